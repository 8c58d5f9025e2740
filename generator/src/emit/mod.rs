//! Stage 3: the model to Rust token streams and file texts.
//!
//! Reads only the model; each file of the generated crate has its own module.

mod docs;
mod guide;
mod lib_rs;
mod manifest;
mod mock;
mod operations;
mod runtime;
mod types;
mod validation;

use proc_macro2::{Ident, Span, TokenStream};

use crate::Options;
use crate::model::Api;

pub use manifest::{DEPENDENCIES, OPTIONAL_DEPENDENCIES};
pub use runtime::RUNTIME_FILES;

/// One file of the generated crate, before formatting.
pub enum Output {
    /// Rust source, to be checked and formatted.
    Rust(TokenStream),
    /// Text written as it is, after the header.
    Text(String),
}

/// Every file of the crate, keyed by path relative to the crate root.
pub fn emit(api: &Api, options: &Options) -> Vec<(String, Output)> {
    let mut files = vec![
        (
            "Cargo.toml".to_owned(),
            Output::Text(manifest::file(api, options)),
        ),
        (
            "src/lib.rs".to_owned(),
            Output::Rust(lib_rs::file(api, options)),
        ),
        (
            "src/operations.rs".to_owned(),
            Output::Rust(operations::file(api)),
        ),
        ("src/types.rs".to_owned(), Output::Rust(types::file(api))),
        ("src/mock.rs".to_owned(), Output::Rust(mock::file(api))),
    ];
    files.extend(api.versions().into_iter().map(|version| {
        (
            format!("src/{}.rs", version.module.trim_start_matches("r#")),
            Output::Rust(operations::version_file(api, version)),
        )
    }));
    files.extend(RUNTIME_FILES.iter().map(|(name, text)| {
        (
            format!("src/runtime/{name}"),
            Output::Text((*text).to_owned()),
        )
    }));
    files
}

/// `#[allow(clippy::too_many_arguments)]` for a function taking `arguments`
/// besides `self` (`receiver`), when clippy would object: the spec decides
/// how many parameters an operation or a schema requires.
fn allow_many_arguments(arguments: usize, receiver: bool) -> Option<TokenStream> {
    let inputs = arguments + usize::from(receiver);
    (inputs > 7).then(|| quote::quote! { #[allow(clippy::too_many_arguments)] })
}

/// An identifier, raw (`r#type`) where the model chose a keyword.
fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}
