//! What `cargo xtask` knows about this workspace, shared with the tests so
//! the spec's snapshots are generated exactly as `cargo xtask codegen` does.

use std::path::{Path, PathBuf};
use std::process::Command;

use client_generator::output::{self, ChangeKind};
use client_generator::{Conventions, File, Options, config};

pub mod npm_tools;
pub mod openapi31;

/// The workspace's root directory.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// The cargo running this task (or a test), else the one on `PATH`.
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// Where every client generated under `target/` is built (the fixtures',
/// the vendor's, the corpus'): one target directory, so the dependencies
/// they share are compiled once, beside the main one (which an outer
/// `cargo test` may hold).
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
pub fn write_generated_crate(dir: &Path, files: &[File]) -> Result<(), String> {
    let changes =
        output::diff(dir, files).map_err(|error| format!("reading {}: {error}", dir.display()))?;
    let unchanged = changes
        .iter()
        .all(|change| change.path == "Cargo.lock" && change.kind == ChangeKind::Removed);
    if !unchanged {
        output::write(dir, files).map_err(|error| format!("writing {}: {error}", dir.display()))?;
    }
    Ok(())
}

/// The spec the workspace's own client is generated from.
pub fn own_spec() -> PathBuf {
    workspace_root().join("spec/openapi.yaml")
}

/// Where the workspace's own client is written.
pub fn own_client_dir() -> PathBuf {
    workspace_root().join("generated-client")
}

/// The conventions of the workspace's own API, beside its spec.
pub fn own_config() -> PathBuf {
    workspace_root().join("spec/client.toml")
}

/// How the workspace's own client is generated: its package, and the
/// conventions of `spec/client.toml`.
///
/// # Panics
///
/// When `spec/client.toml` cannot be read or is wrong (see
/// [`read_own_client_options`] for the error instead).
pub fn own_client_options() -> Options {
    read_own_client_options().unwrap_or_else(|error| panic!("{error}"))
}

/// [`own_client_options`], or the config file's error.
pub fn read_own_client_options() -> Result<Options, String> {
    Ok(Options {
        crate_name: "atlas-ai-model-api-keys".to_owned(),
        crate_version: "0.1.0".to_owned(),
        conventions: read_own_conventions()?,
    })
}

/// The conventions of `spec/client.toml` (paging, envelopes, versions,
/// method names, the Atlas CLI's environment variables).
pub fn read_own_conventions() -> Result<Conventions, String> {
    config::read(&own_config())
}

/// [`read_own_conventions`], for tests: a broken config file panics.
pub fn own_conventions() -> Conventions {
    read_own_conventions().unwrap_or_else(|error| panic!("{error}"))
}
