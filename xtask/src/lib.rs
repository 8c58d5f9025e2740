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

/// The workspace's target directory, where every client generated under
/// `target/` (the fixtures', the corpus', the semver baseline) is built
/// too: as cargo keys artifacts by package, version, features and profile,
/// the dependencies a generated client shares with the workspace (the HTTP
/// and TLS stack above all) are compiled once for both. A `cargo test`
/// does not hold the directory's lock while its tests run, so a test may
/// build a client here.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
}

/// `cargo` run in `dir`, a crate or workspace generated under `target/`,
/// building into [`target_dir`].
pub fn generated_client_cargo(dir: &Path) -> Command {
    let mut command = Command::new(cargo());
    command
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir());
    command
}

/// [`generated_client_cargo`] with clippy linting the crates of the
/// workspace at `dir` (not their dependencies) and every warning denied,
/// whatever cargo builds: `cargo test` both lints and tests in one build.
/// The lints reach clippy-driver the way `cargo clippy -- -D warnings`
/// passes them (`CLIPPY_ARGS`), not through `RUSTFLAGS`, which would give
/// every dependency another fingerprint than the workspace's own build and
/// have it compiled again.
pub fn linting_cargo(dir: &Path) -> Command {
    let mut command = generated_client_cargo(dir);
    command.env("RUSTC_WORKSPACE_WRAPPER", "clippy-driver").env(
        "CLIPPY_ARGS",
        "-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__",
    );
    command
}

/// Writes `dir` as a workspace of generated clients under `target/`: the
/// main workspace's lock file, then a manifest with its `members` and the
/// root manifest's `[profile]` settings, so that its dependencies are the
/// versions, and builds, the workspace's own are and shared with them in
/// [`target_dir`]. The manifest comes last, so that its presence tells a
/// workspace that was written whole, and is left as it is when unchanged.
pub fn write_generated_workspace(dir: &Path, members: &[String]) -> Result<(), String> {
    let lock = dir.join("Cargo.lock");
    std::fs::copy(workspace_root().join("Cargo.lock"), &lock)
        .map_err(|error| format!("{}: {error}", lock.display()))?;
    let path = dir.join("Cargo.toml");
    let manifest = generated_workspace_manifest(members)?;
    if std::fs::read_to_string(&path).ok() != Some(manifest.clone()) {
        std::fs::write(&path, manifest).map_err(|error| format!("{}: {error}", path.display()))?;
    }
    Ok(())
}

/// The manifest [`write_generated_workspace`] writes.
fn generated_workspace_manifest(members: &[String]) -> Result<String, String> {
    let path = workspace_root().join("Cargo.toml");
    let root =
        std::fs::read_to_string(&path).map_err(|error| format!("{}: {error}", path.display()))?;
    let root: toml::Table = root
        .parse()
        .map_err(|error| format!("{}: {error}", path.display()))?;
    let mut manifest = toml::Table::new();
    let mut workspace = toml::Table::new();
    workspace.insert("resolver".to_owned(), "3".into());
    workspace.insert(
        "members".to_owned(),
        toml::Value::Array(
            members
                .iter()
                .map(|member| member.as_str().into())
                .collect(),
        ),
    );
    manifest.insert("workspace".to_owned(), workspace.into());
    if let Some(profile) = root.get("profile") {
        manifest.insert("profile".to_owned(), profile.clone());
    }
    Ok(manifest.to_string())
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
