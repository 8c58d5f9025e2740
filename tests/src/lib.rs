//! Workspace-level tests live in `tests/tests/`, one test binary
//! (`main.rs`) with a module per area: `generator` (snapshots of generated
//! code, the fixture and vendor clients built, located errors and
//! fallbacks, bad input, the change summary, the generated manifest, the
//! fuzzer), `client` (the generated client end to end against loopback
//! servers) and `tools` (checks by Spectral and Prism); `tracing_spans.rs`
//! is a binary of its own. This library holds what they share with
//! `xtask`.

use std::path::Path;

use client_generator::{Conventions, File, Options};
pub use xtask::{
    atlas_conventions, cargo, generated_client_cargo, generated_clients_build_dir, own_client_dir,
    own_client_options, own_spec, workspace_root,
};

/// Generator options for a crate called `name`, with no API conventions.
pub fn options(name: &str) -> Options {
    Options {
        crate_name: name.to_owned(),
        crate_version: "0.1.0".to_owned(),
        conventions: Conventions {
            // Generic, but named after the one spec that uses it.
            operation_name_extension: Some("x-xgen-operation-id-override".to_owned()),
            ..Conventions::default()
        },
    }
}

/// Writes `files` as the crate at `dir`, unless it already holds them
/// (see [`xtask::write_generated_crate`]).
pub fn write_generated_crate(dir: &Path, files: &[File]) {
    xtask::write_generated_crate(dir, files).unwrap_or_else(|error| panic!("{error}"));
}

/// The README's example, compiled (not run) as a doctest so it cannot rot.
#[doc = include_str!("../../README.md")]
mod readme {}
