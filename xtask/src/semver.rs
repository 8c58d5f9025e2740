//! `cargo xtask semver`: cargo-semver-checks on `generated-client`, against
//! its previous committed version.
//!
//! The baseline is the commit that made the previous version, so a spec
//! change is checked against the release it follows. The tool is
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

/// The commit that made the release `generated-client` follows: the newest
/// commit changing its `Cargo.toml` to another version than the working
/// tree's.
/// Commits between two releases can hold a half-regenerated crate (one
/// change in several commits), so only a version change marks a release.
fn baseline() -> Result<Option<String>, String> {
    let manifest = "generated-client/Cargo.toml";
    let current = std::fs::read_to_string(workspace_root().join(manifest))
        .map_err(|error| format!("cannot read {manifest}: {error}"))?;
    let current = package_version(&current);
    let commits = git(&["log", "--format=%H", "--", manifest])?;
    for commit in String::from_utf8_lossy(&commits.stdout).lines() {
        let shown = git(&["show", &format!("{commit}:{manifest}")])?;
        if !shown.status.success() {
            continue;
        }
        let version = package_version(&String::from_utf8_lossy(&shown.stdout));
        if version.is_some() && version != current {
            return Ok(Some(commit.to_owned()));
        }
    }
    Ok(None)
}

/// The `version` of a manifest's `[package]` table.
fn package_version(manifest: &str) -> Option<String> {
    let manifest: toml::Table = manifest.parse().ok()?;
    let version = manifest.get("package")?.get("version")?.as_str()?;
    Some(version.to_owned())
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
