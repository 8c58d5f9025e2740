//! Generates a typed async Rust client crate from an OpenAPI 3.0 or 3.1 description.
//!
//! The pipeline runs one way, a module per stage:
//! [`parse`] (spec text to an `openapiv3` document), [`lower`] (document to
//! the [`model`]), `emit` (model to token streams) and `render` (tokens to
//! formatted text). [`generate`] runs them all and returns the files; it does
//! no I/O. [`output`] writes or checks a crate directory atomically, and
//! [`cli`] is the command line of the binary and of `cargo xtask generate`.

pub mod changes;
pub mod cli;
pub mod config;
mod emit;
pub mod error;
mod locate;
pub mod lower;
mod media_type;
pub mod model;
mod names;
pub mod output;
mod parallel;
pub mod parse;
pub mod release;
mod render;
pub mod stages;

use std::collections::BTreeMap;

pub use config::{Cursor, NextLink, OffsetLimit, PageNumber, Paging};
pub use emit::{DEPENDENCIES, OPTIONAL_DEPENDENCIES, RUNTIME_FILES};
pub use error::Error;
pub use release::{Previous, Release};

/// What the generated crate is called and versioned as, and the API's conventions.
#[derive(Debug, Clone)]
pub struct Options {
    /// The package name in `Cargo.toml`.
    pub crate_name: String,
    /// The package version in `Cargo.toml`.
    pub crate_version: String,
    /// Conventions the API follows that OpenAPI cannot state.
    pub conventions: Conventions,
}

/// API conventions that OpenAPI has no words for. The generator knows no
/// API; whoever runs it says which conventions hold (none by default),
/// usually in a config file ([`config`]), but for the end of an event
/// stream, `[DONE]` by default.
#[derive(Debug, Clone)]
pub struct Conventions {
    /// How lists are paged: each style by the names of its parameters and
    /// fields. A list operation that has the names of one gets an item stream.
    pub paging: Paging,
    /// A boolean query parameter that makes the server answer 200 with
    /// `{"status": …, "content": …}`, which the client then unwraps.
    pub envelope_parameter: Option<String>,
    /// Environment variables holding credentials, which `Auth::from_env`
    /// and the crate guide's examples read.
    pub environment: Environment,
    /// An operation extension whose string value names the operation's
    /// method and builder instead of its `operationId` (for an API whose
    /// ids are long); the `operationId` itself still identifies the
    /// operation.
    pub operation_name_extension: Option<String>,
    /// A media-type extension whose string value names the API version the
    /// media type belongs to; without it, no versions are read.
    pub version_extension: Option<String>,
    /// The version labels that mark an unstable version (such as
    /// `preview`): ordered after the stable ones, and never what `Client`'s
    /// own methods call, so callers opt in to them.
    pub preview_version_labels: Vec<String>,
    /// The `User-Agent` the client sends; without it, the generated
    /// crate's name and version.
    pub user_agent: Option<String>,
    /// The data of the server-sent event that ends an event stream before
    /// the body does (not handed to the caller); `None` for none.
    pub event_stream_end: Option<String>,
    /// The operations to generate, when not all of them.
    pub subset: Subset,
}

/// The part of a description to generate: every operation when both lists
/// are empty; else each operation that has one of `tags` (by its name in
/// the description or its feature's name) or whose `operationId` is one of
/// `operations`, and the types those reach.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subset {
    pub tags: Vec<String>,
    pub operations: Vec<String>,
}

impl Subset {
    /// Whether this is the whole description.
    pub fn is_everything(&self) -> bool {
        self.tags.is_empty() && self.operations.is_empty()
    }

    /// Whether the operation `id` with `tags` is generated.
    pub fn includes(&self, id: &str, tags: &[String]) -> bool {
        self.is_everything()
            || self.operations.iter().any(|wanted| wanted == id)
            || tags
                .iter()
                .any(|tag| self.tags.iter().any(|wanted| Self::names(wanted, tag)))
    }

    /// Whether `wanted`, a name the subset lists, names `tag`: as written
    /// or as its feature.
    pub fn names(wanted: &str, tag: &str) -> bool {
        wanted == tag || wanted == names::feature(tag)
    }
}

impl Conventions {
    /// The conventional end of an event stream: `data: [DONE]`.
    pub const EVENT_STREAM_END: &str = "[DONE]";

    /// Whether the version `label` is unstable (see
    /// `preview_version_labels`).
    pub fn is_preview_version(&self, label: &str) -> bool {
        self.preview_version_labels
            .iter()
            .any(|preview| preview == label)
    }
}

impl Default for Conventions {
    fn default() -> Self {
        Self {
            paging: Paging::default(),
            envelope_parameter: None,
            environment: Environment::default(),
            operation_name_extension: None,
            version_extension: None,
            preview_version_labels: Vec::new(),
            user_agent: None,
            event_stream_end: Some(Self::EVENT_STREAM_END.to_owned()),
            subset: Subset::default(),
        }
    }
}

/// Environment variables that hold credentials and a base URL, such as
/// those of the API's own command-line tool.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    /// Who else reads these variables, for the guide's prose, e.g. "the
    /// API's command-line tool".
    pub used_by: Option<String>,
    /// The variable holding the base URL of another server.
    pub base_url: Option<String>,
    /// Per security scheme, by its name in the description: the variable
    /// holding each part of its credential, by the part's name (`username`
    /// and `password`, `token`, `key`, `client_id` and `client_secret`).
    pub credentials: BTreeMap<String, BTreeMap<String, String>>,
}

/// A generated file: a path relative to the crate root, with `/` separators, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub path: String,
    pub contents: String,
}

/// Generates every file of a client crate for the spec `text`, sorted by path.
pub fn generate(text: &str, options: &Options) -> Result<Vec<File>, Error> {
    Ok(regenerate(text, options, None)?.files)
}

/// A generation: the crate's files, its version and changes, and the
/// constructs it typed as `serde_json::Value` because it could not map them.
#[derive(Debug, Clone)]
pub struct Generation {
    pub files: Vec<File>,
    pub release: Release,
    /// Each fallback, located like an error; printed as warnings.
    pub fallbacks: Vec<Error>,
    /// What became of the description, in numbers.
    pub summary: Summary,
}

/// What a generation made of its description, in numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Operations that became methods.
    pub operations: usize,
    /// Operations left out, each with a warning among the fallbacks.
    pub left_out: usize,
    /// Named types.
    pub types: usize,
    /// Other warnings: constructs typed as `serde_json::Value`, mistakes
    /// ignored, parts of operations left out.
    pub fallbacks: usize,
    /// Webhooks: requests the API sends, which the client does not make.
    pub webhooks: usize,
}

impl Summary {
    fn of(api: &model::Api) -> Self {
        let mut operations: Vec<&str> = api.operations.iter().map(|op| op.id.as_str()).collect();
        operations.sort_unstable();
        operations.dedup();
        let left_out = api
            .fallbacks
            .iter()
            .filter(|fallback| fallback.operation_left_out)
            .count();
        Self {
            operations: operations.len(),
            left_out,
            types: api.types.len(),
            fallbacks: api.fallbacks.len() - left_out,
            webhooks: api.webhooks.len(),
        }
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let plural = |count: usize, noun: &str| match count {
            1 => format!("1 {noun}"),
            _ => format!("{count} {noun}s"),
        };
        write!(
            f,
            "{} ({} left out), {}, {}",
            plural(self.operations, "operation"),
            self.left_out,
            plural(self.types, "type"),
            plural(self.fallbacks, "fallback")
        )?;
        match self.webhooks {
            0 => Ok(()),
            count => write!(
                f,
                "; {} the API sends, not generated",
                plural(count, "webhook")
            ),
        }
    }
}

/// Generates the crate for `text` as the next version after `previous`
/// (the crate directory's last generation), with a changelog entry for what
/// changed in its Rust API. Without `previous`, the version is
/// `options.crate_version`.
///
/// It never panics: a panic inside it (a bug) is an [`Error`] marked
/// `internal`.
pub fn regenerate(
    text: &str,
    options: &Options,
    previous: Option<&Previous>,
) -> Result<Generation, Error> {
    regenerate_with(text, options, previous, &mut parse::no_files)
}

/// [`regenerate`] for a description that refers to other files, which
/// `load` reads (by their path from the description's directory). The crate
/// keeps the description with those files brought in, as JSON.
pub fn regenerate_with(
    text: &str,
    options: &Options,
    previous: Option<&Previous>,
    load: &mut parse::Load<'_>,
) -> Result<Generation, Error> {
    error::catch_panics(|| generation(text, options, previous, load))
}

fn generation(
    text: &str,
    options: &Options,
    previous: Option<&Previous>,
    load: &mut parse::Load<'_>,
) -> Result<Generation, Error> {
    let parsed = parse::parse_with(text, load).map_err(|error| with_line(error, text))?;
    let api =
        lower::lower(&parsed, &options.conventions).map_err(|error| with_line(error, text))?;
    let previous = match previous {
        Some(previous) => {
            // The previous crate may have been made from another part of
            // its description: its own subset says which.
            let conventions = Conventions {
                subset: previous.subset.clone(),
                ..options.conventions.clone()
            };
            let previous_api = parse::parse(&previous.spec)
                .and_then(|doc| lower::lower(&doc, &conventions))
                .map_err(|error| with_line(error, &previous.spec))
                .map_err(|error| Error {
                    message: format!(
                        "in the crate's previous description ({}): {}",
                        release::SPEC_COPY,
                        error.message
                    ),
                    ..error
                })?;
            Some((previous, previous_api))
        }
        None => None,
    };
    let release = release_of(
        &api,
        previous.as_ref().map(|(previous, api)| (*previous, api)),
        options,
    )?;
    let options = Options {
        crate_version: release.version.to_string(),
        ..options.clone()
    };
    let mut files = parallel::files(
        &api,
        &options,
        parallel::available_threads(),
        emit::ITEMS_PER_PART,
    )?;
    let description = parsed.bundled.as_deref().unwrap_or(text);
    for (path, output) in text_files(description, &release) {
        let contents = render::render(path, output)?;
        files.push(File {
            path: path.to_owned(),
            contents,
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let fallbacks = api
        .fallbacks
        .iter()
        .map(|fallback| Error {
            pointer: fallback.pointer.clone(),
            line: locate::line(text, &fallback.pointer),
            message: fallback.reason.clone(),
            internal: false,
        })
        .collect();
    Ok(Generation {
        files,
        release,
        fallbacks,
        summary: Summary::of(&api),
    })
}

/// The release `api` makes: the next version after `previous`'s, or
/// `options.crate_version` for a first generation.
fn release_of(
    api: &model::Api,
    previous: Option<(&Previous, &model::Api)>,
    options: &Options,
) -> Result<Release, Error> {
    let first_version = semver::Version::parse(&options.crate_version).map_err(|error| {
        Error::at(
            &error::Pointer::root(),
            format!("the crate version `{}`: {error}", options.crate_version),
        )
    })?;
    Ok(release::release(
        api,
        previous,
        &options.crate_name,
        &first_version,
    ))
}

/// The files of a crate that are text, not Rust: the description it was
/// made from, and its changelog.
fn text_files(text: &str, release: &Release) -> [(&'static str, emit::Output); 2] {
    [
        (release::SPEC_COPY, emit::Output::Text(text.to_owned())),
        (
            release::CHANGELOG,
            emit::Output::Text(release.changelog.clone()),
        ),
    ]
}

/// `error` with the line of its pointer in `text`, when it has none yet.
fn with_line(error: Error, text: &str) -> Error {
    match error.line {
        Some(_) => error,
        None => Error {
            line: locate::line(text, &error.pointer),
            ..error
        },
    }
}
