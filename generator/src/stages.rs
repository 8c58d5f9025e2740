//! The pipeline's stages one at a time, for the benchmarks (`cargo xtask bench`)
//! to time each on its own.
//!
//! Each function calls the stage `generate` calls, so its work and its
//! errors are the real ones.

use serde_json::Value;

use crate::emit::Output;
use crate::error::Error;
use crate::model::Api;
use crate::parse::Parsed;
use crate::{File, Options, emit, lower, parallel, parse, render};

/// Stage 1a: the text read as a value (JSON as JSON, otherwise YAML),
/// before any OpenAPI shape.
pub fn read(text: &str) -> Result<Value, Error> {
    parse::read(text)
}

/// Stage 1b: the value's version checked and the value deserialised as an
/// `openapiv3` document.
pub fn deserialise(value: &Value) -> Result<Parsed, Error> {
    parse::document(value)
}

/// Stage 2: the document lowered into the model.
pub fn lower(doc: &Parsed, options: &Options) -> Result<Api, Error> {
    lower::lower(doc, &options.conventions)
}

/// The token streams and texts of every part of every file, before
/// rendering, each with its path and whether it starts its file.
pub struct Emitted(Vec<(String, bool, Output)>);

impl Emitted {
    /// How many parts of files there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Stage 3: the model to token streams, with the two text files
/// `generate` adds for a first generation.
pub fn emit(api: &Api, text: &str, options: &Options) -> Result<Emitted, Error> {
    let release = crate::release_of(api, None, options)?;
    let mut outputs: Vec<_> = emit::emit(api, options)
        .into_iter()
        .map(|(part, output)| (part.path, part.first, output))
        .collect();
    outputs.extend(
        crate::text_files(text, &release)
            .into_iter()
            .map(|(path, output)| (path.to_owned(), true, output)),
    );
    Ok(Emitted(outputs))
}

/// Stage 4: every part of every file parsed by `syn` and formatted by
/// `prettyplease`, and the parts of each file joined.
pub fn render(emitted: Emitted) -> Result<Vec<File>, Error> {
    parallel::join(emitted.0.into_iter().map(|(path, first, output)| {
        let text = render::part(&path, output, first)?;
        Ok((path, first, text))
    }))
}

/// Stages 3 and 4 as `generate` runs them: each part of a file of the plan
/// emitted and rendered in one go by one of `threads` threads, and the
/// parts joined (without the two text files that [`emit`] adds).
pub fn emit_and_render(api: &Api, options: &Options, threads: usize) -> Result<Vec<File>, Error> {
    parallel::files(api, options, threads, emit::ITEMS_PER_PART)
}

/// [`emit_and_render`] with files cut into parts of up to `items_per_part`
/// items instead of the usual number, for tests: how files are cut must
/// not show in them.
pub fn emit_and_render_in_parts(
    api: &Api,
    options: &Options,
    threads: usize,
    items_per_part: usize,
) -> Result<Vec<File>, Error> {
    parallel::files(api, options, threads, items_per_part)
}

/// How many threads `generate` emits and renders on.
pub fn threads() -> usize {
    parallel::available_threads()
}
