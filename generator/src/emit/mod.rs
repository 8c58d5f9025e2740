//! Stage 3: the model to Rust token streams and file texts.
//!
//! Reads only the model; each file of the generated crate has its own module.

pub mod docs;
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
use crate::model::{Api, Version};

pub use manifest::{DEPENDENCIES, OPTIONAL_DEPENDENCIES};
pub use runtime::RUNTIME_FILES;

/// One file of the generated crate, before formatting.
pub enum Output {
    /// Rust source, to be checked and formatted, and the doc texts its
    /// doc placeholders stand for (see [`docs`]).
    Rust(TokenStream, Vec<String>),
    /// Text written as it is, after the header.
    Text(String),
}

/// A file of the crate that is yet to be emitted. Emission is planned
/// first and done one file at a time, so that each file's tokens can be
/// made, rendered and dropped on one thread (token streams cannot cross
/// threads) and only a few files' tokens are ever held at once.
pub struct Planned<'a> {
    /// The path relative to the crate root.
    pub path: String,
    contents: Contents<'a>,
}

enum Contents<'a> {
    Manifest,
    LibRs,
    Operations,
    Types,
    Mock,
    Version(&'a Version),
    Runtime(&'static str),
}

impl Planned<'_> {
    /// The file's tokens or text.
    pub fn emit(&self, api: &Api, options: &Options) -> Output {
        let rust = |emit: &dyn Fn() -> TokenStream| {
            let (tokens, docs) = docs::collect(emit);
            Output::Rust(tokens, docs)
        };
        match self.contents {
            Contents::Manifest => Output::Text(manifest::file(api, options)),
            Contents::LibRs => rust(&|| lib_rs::file(api, options)),
            Contents::Operations => rust(&|| operations::file(api)),
            Contents::Types => rust(&|| types::file(api)),
            Contents::Mock => rust(&|| mock::file(api)),
            Contents::Version(version) => rust(&|| operations::version_file(api, version)),
            Contents::Runtime(text) => Output::Text(text.to_owned()),
        }
    }
}

/// Every file of the crate, keyed by path relative to the crate root. The
/// files that take longest to render come first, so that threads sharing
/// the list out finish together.
pub fn plan(api: &Api) -> Vec<Planned<'_>> {
    let planned = |path: &str, contents| Planned {
        path: path.to_owned(),
        contents,
    };
    let mut files = vec![planned("src/types.rs", Contents::Types)];
    files.extend(api.versions().into_iter().map(|version| Planned {
        path: format!("src/{}.rs", version.module.trim_start_matches("r#")),
        contents: Contents::Version(version),
    }));
    files.extend([
        planned("src/mock.rs", Contents::Mock),
        planned("src/operations.rs", Contents::Operations),
        planned("src/lib.rs", Contents::LibRs),
        planned("Cargo.toml", Contents::Manifest),
    ]);
    files.extend(RUNTIME_FILES.iter().map(|(name, text)| Planned {
        path: format!("src/runtime/{name}"),
        contents: Contents::Runtime(text),
    }));
    files
}

/// Every file of the crate emitted in turn, keyed by path relative to the
/// crate root.
pub fn emit(api: &Api, options: &Options) -> Vec<(String, Output)> {
    plan(api)
        .into_iter()
        .map(|file| {
            let output = file.emit(api, options);
            (file.path, output)
        })
        .collect()
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
