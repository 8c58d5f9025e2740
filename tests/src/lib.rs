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
    cargo, generated_client_cargo, linting_cargo, own_client_dir, own_client_options,
    own_conventions, own_spec, workspace_root, write_generated_workspace,
};

/// Generator options for a crate called `name`, with [`fixture_conventions`].
pub fn options(name: &str) -> Options {
    Options {
        crate_name: name.to_owned(),
        crate_version: "0.1.0".to_owned(),
        conventions: fixture_conventions(),
    }
}

/// The conventions of a fixture without a config file: method names and
/// API versions from extensions, as the fixtures that test them spell them,
/// and no paging or envelope.
pub fn fixture_conventions() -> Conventions {
    Conventions {
        operation_name_extension: Some("x-xgen-operation-id-override".to_owned()),
        version_extension: Some("x-xgen-version".to_owned()),
        preview_version_labels: vec!["preview".to_owned()],
        ..Conventions::default()
    }
}

/// Options for the fixture `fixture` (`tests/fixtures/{fixture}.yaml`), as
/// a crate called `name`: with the conventions of the config file beside it,
/// `{fixture}.toml`, if there is one.
pub fn fixture_options(fixture: &str, name: &str) -> Options {
    let config = workspace_root().join(format!("tests/fixtures/{fixture}.toml"));
    let conventions = if config.exists() {
        client_generator::config::read(&config).unwrap_or_else(|error| panic!("{error}"))
    } else {
        fixture_conventions()
    };
    Options {
        conventions,
        ..options(name)
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
