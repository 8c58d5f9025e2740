//! Stage 3: the model to Rust token streams and file texts.
//!
//! Reads only the model; each file of the generated crate has its own module.

pub(crate) mod auth;
mod builders;
pub mod docs;
mod gate;
mod guide;
mod lib_rs;
mod manifest;
mod mock;
mod operations;
mod paging;
mod runtime;
mod serde_impls;
mod types;
mod validation;

use std::ops::Range;

use proc_macro2::{Ident, Span, TokenStream};

use crate::Options;
use crate::model::{Api, Version};
use docs::Docs;

pub use manifest::{DEPENDENCIES, OPTIONAL_DEPENDENCIES};
pub use runtime::RUNTIME_FILES;

/// One file of the generated crate, or a part of one, before formatting.
pub enum Output {
    /// Rust source, to be checked and formatted, and the doc texts its
    /// doc placeholders stand for (see [`docs`]).
    Rust(TokenStream, Vec<String>),
    /// Text written as it is, after the header.
    Text(String),
}

/// A file of the crate, or a part of one, that is yet to be emitted.
/// Emission is planned first and done one part at a time, so that each
/// part's tokens can be made, rendered and dropped on one thread (token
/// streams cannot cross threads) and only a few parts' tokens are ever held
/// at once. A file with many items (types, builders) is planned as parts of
/// [`ITEMS_PER_PART`] items, each rendered on its own; the parts' texts
/// joined are the file's text.
pub struct Planned<'a> {
    /// The path relative to the crate root.
    pub path: String,
    /// Whether this part starts its file: the file's header and module docs
    /// come with it.
    pub first: bool,
    contents: Contents<'a>,
    /// Which of the file's items this part emits.
    items: Range<usize>,
}

/// How many items a part of a file has at most. Small enough that a big
/// spec's largest file spreads over all threads and its tokens are never
/// all held at once; large enough that a part's fixed cost does not show.
pub const ITEMS_PER_PART: usize = 100;

#[derive(Clone, Copy)]
enum Contents<'a> {
    Manifest,
    LibRs,
    Auth,
    Operations,
    Types,
    Mock,
    Version(&'a Version),
    Runtime(&'static str),
}

impl Planned<'_> {
    /// The part's tokens or text.
    pub fn emit(&self, api: &Api, options: &Options) -> Output {
        let rust = |emit: &dyn Fn(&Docs) -> TokenStream| {
            let docs = Docs::collecting();
            let tokens = emit(&docs);
            Output::Rust(tokens, docs.into_texts())
        };
        let part = Part {
            first: self.first,
            items: self.items.clone(),
        };
        match self.contents {
            Contents::Manifest => Output::Text(manifest::file(api, options)),
            Contents::LibRs => rust(&|docs| lib_rs::file(api, options, docs)),
            Contents::Auth => rust(&|docs| auth::file(api, &options.conventions.environment, docs)),
            Contents::Operations => rust(&|docs| operations::file(api, &part, docs)),
            Contents::Types => rust(&|docs| types::file(api, &part, docs)),
            Contents::Mock => rust(&|docs| mock::file(api, docs)),
            Contents::Version(version) => {
                rust(&|docs| operations::version_file(api, version, &part, docs))
            }
            Contents::Runtime(text) => Output::Text(runtime::shipped(text).to_owned()),
        }
    }
}

/// What a file's emitter makes: its header (module docs, imports and
/// whatever is not a run of items) when `first`, then its `items`.
pub struct Part {
    first: bool,
    items: Range<usize>,
}

impl Part {
    /// The header, made by `head`, when this part starts the file.
    fn head(&self, head: impl FnOnce() -> TokenStream) -> TokenStream {
        if self.first {
            head()
        } else {
            TokenStream::new()
        }
    }

    /// This part's share of `items`.
    fn of<'t, T>(&self, items: &'t [T]) -> &'t [T] {
        &items[self.items.start.min(items.len())..self.items.end.min(items.len())]
    }
}

/// Every file of the crate, keyed by path relative to the crate root, in
/// parts of up to `items_per_part` items ([`ITEMS_PER_PART`] but in tests).
/// The files that take longest to render come first, so that threads
/// sharing the list out finish together.
pub fn plan(api: &Api, items_per_part: usize) -> Vec<Planned<'_>> {
    let items_per_part = items_per_part.max(1);
    let mut files = Vec::new();
    let mut add = |path: String, contents, items: usize| {
        let parts = items.div_ceil(items_per_part).max(1);
        files.extend((0..parts).map(|part| Planned {
            path: path.clone(),
            first: part == 0,
            contents,
            items: part * items_per_part..(part + 1).saturating_mul(items_per_part),
        }));
    };
    add("src/types.rs".to_owned(), Contents::Types, api.types.len());
    for version in api.versions() {
        add(
            format!("src/{}.rs", version.module.trim_start_matches("r#")),
            Contents::Version(version),
            operations::version_items(api, version),
        );
    }
    add("src/mock.rs".to_owned(), Contents::Mock, 0);
    add(
        "src/operations.rs".to_owned(),
        Contents::Operations,
        operations::file_items(api),
    );
    add("src/lib.rs".to_owned(), Contents::LibRs, 0);
    add("src/auth.rs".to_owned(), Contents::Auth, 0);
    add("Cargo.toml".to_owned(), Contents::Manifest, 0);
    for (name, text) in RUNTIME_FILES {
        add(format!("src/runtime/{name}"), Contents::Runtime(text), 0);
    }
    files
}

/// Every part of every file of the crate, emitted in turn.
pub fn emit<'a>(api: &'a Api, options: &Options) -> Vec<(Planned<'a>, Output)> {
    plan(api, ITEMS_PER_PART)
        .into_iter()
        .map(|part| {
            let output = part.emit(api, options);
            (part, output)
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
