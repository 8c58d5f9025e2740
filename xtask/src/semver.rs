//! `cargo xtask semver`: cargo-semver-checks on `generated-client`, against
//! its previous committed version.
//!
//! The baseline is the commit before the newest one that changed
//! `generated-client` (or `HEAD`, when the working tree changes it), so a
//! spec change is checked against the release it follows. The tool is
//! installed once, at a pinned version, into a cache directory outside the
//! workspace, so a fresh clone does not rebuild it.

use std::path::PathBuf;
use std::process::Command;

use crate::{cargo, workspace_root};

/// The cargo-semver-checks release this workspace is checked with.
const TOOL_VERSION: &str = "0.51.0";
const PACKAGE: &str = "atlas-ai-model-api-keys";

pub fn check() -> Result<(), String> {
    let Some(baseline) = baseline()? else {
        println!(
            "semver: generated-client has no earlier committed version, so there is nothing to compare"
        );
        return Ok(());
    };
    let tool = install()?;
    println!("semver: checking {PACKAGE} against its version at {baseline}");
    let status = Command::new(cargo())
        .arg("semver-checks")
        .args(["check-release", "--package", PACKAGE, "--baseline-rev"])
        .arg(&baseline)
        .env("PATH", path_with(tool.join("bin")))
        .current_dir(workspace_root())
        .status()
        .map_err(|error| format!("cannot run cargo semver-checks: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "{PACKAGE} breaks semver against {baseline}: the spec change needs a bigger version bump"
        ))
    }
}

/// The commit holding the previous version of `generated-client`.
fn baseline() -> Result<Option<String>, String> {
    let dirty = !git(&["diff", "--quiet", "HEAD", "--", "generated-client"])?
        .status
        .success();
    let candidate = if dirty {
        "HEAD".to_owned()
    } else {
        let newest = git(&["log", "-n1", "--format=%H", "--", "generated-client"])?;
        let newest = String::from_utf8_lossy(&newest.stdout).trim().to_owned();
        if newest.is_empty() {
            return Ok(None);
        }
        format!("{newest}~1")
    };
    let exists = git(&[
        "rev-parse",
        "--verify",
        "--quiet",
        &format!("{candidate}^{{commit}}"),
    ])?;
    let has_client = git(&[
        "cat-file",
        "-e",
        &format!("{candidate}:generated-client/Cargo.toml"),
    ])?;
    Ok((exists.status.success() && has_client.status.success()).then_some(candidate))
}

/// The directory cargo-semver-checks is installed under (`bin/` inside),
/// installing it first if needed.
fn install() -> Result<PathBuf, String> {
    let root = std::env::var_os("XTASK_TOOLS_DIR")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache/xtask-tools"))
        })
        .ok_or("set XTASK_TOOLS_DIR or HOME: cargo-semver-checks needs a place to live")?
        .join(format!("cargo-semver-checks-{TOOL_VERSION}"));
    if root.join("bin/cargo-semver-checks").exists() {
        return Ok(root);
    }
    println!(
        "semver: installing cargo-semver-checks {TOOL_VERSION} into {} (once; a few minutes)",
        root.display()
    );
    let status = Command::new(cargo())
        .args([
            "install",
            "--locked",
            "cargo-semver-checks",
            "--version",
            TOOL_VERSION,
            "--root",
        ])
        .arg(&root)
        .status()
        .map_err(|error| format!("cannot run cargo install: {error}"))?;
    if status.success() {
        Ok(root)
    } else {
        Err(format!(
            "installing cargo-semver-checks {TOOL_VERSION} failed ({status})"
        ))
    }
}

fn git(args: &[&str]) -> Result<std::process::Output, String> {
    Command::new("git")
        .args(args)
        .current_dir(workspace_root())
        .output()
        .map_err(|error| format!("cannot run git: {error}"))
}

fn path_with(dir: PathBuf) -> std::ffi::OsString {
    let mut paths = vec![dir];
    if let Some(path) = std::env::var_os("PATH") {
        paths.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(paths).unwrap_or_default()
}
