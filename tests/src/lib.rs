//! Workspace-level tests live in `tests/tests/`, one test binary
//! (`main.rs`) with a module per area: `generator` (snapshots of generated
//! code, the fixture and vendor clients built, located errors and
//! fallbacks, bad input, the change summary, the generated manifest, the
//! fuzzer), `client` (the generated client end to end against loopback
//! servers) and `tools` (checks by Spectral and Prism); `tracing_spans.rs`
//! is a binary of its own. This library holds what they share with
//! `xtask`.

use std::path::{Path, PathBuf};
use std::process::Command;

use client_generator::output::{self, ChangeKind};
use client_generator::{Conventions, File, Options};
pub use xtask::{
    atlas_conventions, cargo, own_client_dir, own_client_options, own_spec, workspace_root,
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

/// Where every client generated under `target/` is built: one target
/// directory, so the dependencies they share are compiled once, beside the
/// main one (which the outer `cargo test` may hold).
pub fn generated_clients_build_dir() -> PathBuf {
    workspace_root().join("target/generated-clients-build")
}

/// `cargo` run in `dir`, a crate or workspace generated under `target/`,
/// building into [`generated_clients_build_dir`] without debug info: these
/// builds are checked, never debugged, and debug info is much of the time
/// they take to compile and link.
pub fn generated_client_cargo(dir: &Path) -> Command {
    let mut command = Command::new(cargo());
    command
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", generated_clients_build_dir())
        .env("CARGO_PROFILE_DEV_DEBUG", "false");
    command
}

/// Writes `files` as the crate at `dir`, unless the crate there already
/// holds them (a lock file cargo keeps beside them aside): rewriting gives
/// every file a new modification time, and cargo would check and build the
/// whole crate again when nothing changed.
pub fn write_generated_crate(dir: &Path, files: &[File]) {
    let changes = output::diff(dir, files)
        .unwrap_or_else(|error| panic!("reading {}: {error}", dir.display()));
    let unchanged = changes
        .iter()
        .all(|change| change.path == "Cargo.lock" && change.kind == ChangeKind::Removed);
    if !unchanged {
        output::write(dir, files)
            .unwrap_or_else(|error| panic!("writing {}: {error}", dir.display()));
    }
}

/// The README's example, compiled (not run) as a doctest so it cannot rot.
#[doc = include_str!("../../README.md")]
mod readme {}
