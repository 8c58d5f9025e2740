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

/// The part of a runtime file a generated crate carries: all but its unit
/// tests, which the `client-runtime` crate runs; copied, they were compiled
/// and run again in the test build of every generated crate that is a
/// workspace member. A file's tests are its last item, `#[cfg(test)] mod
/// tests`.
pub fn shipped(text: &'static str) -> &'static str {
    match text.find(TESTS) {
        // Up to the newline that ends the code, without the blank lines
        // before the tests (the files are formatted: no trailing spaces).
        Some(start) => &text[..=text[..start].trim_end().len()],
        None => text,
    }
}

/// Where a runtime file's unit tests start.
const TESTS: &str = "\n#[cfg(test)]\nmod tests {";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unit_tests_are_each_files_last_item_and_nothing_else_is_left_out() {
        let mut with_tests = 0;
        for (name, text) in RUNTIME_FILES {
            let kept = shipped(text);
            assert!(!kept.contains("#[cfg(test)]"), "{name} keeps test code");
            assert!(
                kept.ends_with("\n") && !kept.ends_with("\n\n"),
                "{name} does not end with one newline"
            );
            let left_out = &text[kept.len()..];
            if left_out.is_empty() {
                continue;
            }
            with_tests += 1;
            let items = syn::parse_file(left_out)
                .unwrap_or_else(|error| panic!("{name}: {error}"))
                .items;
            assert!(
                matches!(&items[..], [syn::Item::Mod(module)] if module.ident == "tests"),
                "{name}: what follows its code is more than the tests module"
            );
        }
        assert!(with_tests > 10, "only {with_tests} files have unit tests");
    }
}
