//! Workspace-level tests live in `tests/`: snapshots of generated code
//! (`snapshots.rs`), a build of every fixture's client (`fixtures_build.rs`),
//! located generator errors (`generator_errors.rs`), the generated crate's
//! consistency with the workspace (`generated_crate.rs`) and end-to-end tests
//! of the generated client against loopback servers (`e2e_*.rs`). This
//! library holds what they share.

use std::path::{Path, PathBuf};

use client_generator::Options;

/// The workspace's root directory.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate lives one level below the workspace root")
        .to_path_buf()
}

/// Generator options for a crate called `name`.
pub fn options(name: &str) -> Options {
    Options {
        crate_name: name.to_owned(),
        crate_version: "0.1.0".to_owned(),
    }
}

/// The README's example, compiled (not run) as a doctest so it cannot rot.
#[doc = include_str!("../../README.md")]
mod readme {}
