//! The hand-written support files copied into every generated crate.

/// `(file name, text)` of each file of the `runtime` module. The crate root
/// of `client-runtime` becomes the module's `mod.rs`.
pub const RUNTIME_FILES: &[(&str, &str)] = &[
    ("mod.rs", include_str!("../../runtime/src/lib.rs")),
    ("auth.rs", include_str!("../../runtime/src/auth.rs")),
    ("body.rs", include_str!("../../runtime/src/body.rs")),
    ("client.rs", include_str!("../../runtime/src/client.rs")),
    ("de.rs", include_str!("../../runtime/src/de.rs")),
    ("download.rs", include_str!("../../runtime/src/download.rs")),
    ("error.rs", include_str!("../../runtime/src/error.rs")),
    ("events.rs", include_str!("../../runtime/src/events.rs")),
    ("form.rs", include_str!("../../runtime/src/form.rs")),
    ("mock.rs", include_str!("../../runtime/src/mock.rs")),
    (
        "multipart.rs",
        include_str!("../../runtime/src/multipart.rs"),
    ),
    ("paging.rs", include_str!("../../runtime/src/paging.rs")),
    ("request.rs", include_str!("../../runtime/src/request.rs")),
    ("response.rs", include_str!("../../runtime/src/response.rs")),
    ("retry.rs", include_str!("../../runtime/src/retry.rs")),
    ("secret.rs", include_str!("../../runtime/src/secret.rs")),
    ("sending.rs", include_str!("../../runtime/src/sending.rs")),
    ("validate.rs", include_str!("../../runtime/src/validate.rs")),
];
