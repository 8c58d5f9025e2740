//! `cargo xtask semver`: cargo-semver-checks on `generated-client`, against
//! its previous committed version.
//!
//! The baseline is the commit that made the previous version, so a spec
//! change is checked against the release it follows. The tool is
//! installed once, at a pinned version, into a cache directory outside the
//! workspace, so a fresh clone does not rebuild it.
//!
//! Both versions' rustdoc JSON is built here, in the workspace's target
//! directory, and handed to the tool: left to itself, cargo-semver-checks
//! builds each version in a target directory of its own, compiling every
//! dependency twice more (about 40 s each on the 2-core machine), while
//! here they were checked already by `cargo doc` and `cargo clippy`.

use std::path::{Path, PathBuf};
use std::process::Command;

use xtask::{cargo, target_dir, workspace_root, write_generated_workspace};

/// The cargo-semver-checks release this workspace is checked with.
const TOOL_VERSION: &str = "0.51.0";
const PACKAGE: &str = "atlas-ai-model-api-keys";
const CLIENT_DIR: &str = "generated-client";

pub fn check() -> Result<(), String> {
    let Some(baseline) = baseline()? else {
        println!(
            "semver: generated-client has no earlier committed version, so there is nothing to compare"
        );
        return Ok(());
    };
    let tool = install()?;
    println!("semver: checking {PACKAGE} against its version at {baseline}");
    let work = target_dir().join("semver");
    let rustdoc = write_rustdoc_wrapper(&work)?;
    let current = rustdoc_json(
        &workspace_root().join(CLIENT_DIR),
        &rustdoc,
        &work.join("current.json"),
    )?;
    let baseline_dir = work.join(format!("baseline-{baseline}"));
    if !baseline_dir.join("Cargo.toml").exists() {
        extract(&baseline, &baseline_dir)?;
    }
    let baseline_json = rustdoc_json(
        &baseline_dir.join(CLIENT_DIR),
        &rustdoc,
        &work.join("baseline.json"),
    )?;
    let status = Command::new(cargo())
        .args(["semver-checks", "check-release", "--baseline-rustdoc"])
        .arg(&baseline_json)
        .arg("--current-rustdoc")
        .arg(&current)
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

/// Builds the rustdoc JSON of the crate at `dir` with every feature (as
/// cargo-semver-checks would) and copies it to `to`. Only rustdoc runs
/// with `RUSTC_BOOTSTRAP` (JSON output is unstable): set for the whole
/// build, it would change the fingerprint of dependencies whose build
/// scripts read it (proc-macro2, and all that derives), and those would be
/// compiled again, here and in the next ordinary build.
fn rustdoc_json(dir: &Path, rustdoc: &Path, to: &Path) -> Result<PathBuf, String> {
    let status = Command::new(cargo())
        .args([
            "rustdoc",
            "--quiet",
            "--lib",
            "--all-features",
            "--manifest-path",
        ])
        .arg(dir.join("Cargo.toml"))
        .args(["--", "-Z", "unstable-options", "--output-format", "json"])
        .env("CARGO_TARGET_DIR", target_dir())
        .env("RUSTDOC", rustdoc)
        .status()
        .map_err(|error| format!("cannot run cargo rustdoc: {error}"))?;
    if !status.success() {
        return Err(format!(
            "rustdoc JSON of {} failed ({status})",
            dir.display()
        ));
    }
    let built = target_dir()
        .join("doc")
        .join(format!("{}.json", PACKAGE.replace('-', "_")));
    std::fs::copy(&built, to).map_err(|error| format!("{}: {error}", built.display()))?;
    Ok(to.to_path_buf())
}

/// A `rustdoc` that allows unstable options, for [`rustdoc_json`], written
/// into `work`.
fn write_rustdoc_wrapper(work: &Path) -> Result<PathBuf, String> {
    let path = work.join("rustdoc-json");
    let script = "#!/bin/sh\nRUSTC_BOOTSTRAP=1 exec rustdoc \"$@\"\n";
    let write = || -> std::io::Result<()> {
        std::fs::create_dir_all(path.parent().expect("a file in a directory"))?;
        if std::fs::read_to_string(&path).ok().as_deref() != Some(script) {
            std::fs::write(&path, script)?;
        }
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
    };
    write().map_err(|error| format!("{}: {error}", path.display()))?;
    Ok(path)
}

/// Writes `generated-client/` as it was at `commit` into `dir`, in a
/// workspace with the main one's lock file and profile, so that its
/// dependencies are the ones already checked (the workspace's manifest,
/// written last, marks a whole extraction).
fn extract(commit: &str, dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|error| format!("{}: {error}", dir.display()))?;
    let archive = git(&["archive", "--format=tar", commit, CLIENT_DIR])?;
    if !archive.status.success() {
        return Err(format!(
            "git archive {commit}: {}",
            String::from_utf8_lossy(&archive.stderr)
        ));
    }
    let mut tar = Command::new("tar")
        .args(["-x", "-C"])
        .arg(dir)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .map_err(|error| format!("cannot run tar: {error}"))?;
    {
        use std::io::Write;
        let mut stdin = tar.stdin.take().expect("piped");
        stdin
            .write_all(&archive.stdout)
            .map_err(|error| format!("tar: {error}"))?;
    }
    let status = tar.wait().map_err(|error| format!("tar: {error}"))?;
    if !status.success() {
        return Err(format!("tar failed to unpack {commit} ({status})"));
    }
    write_generated_workspace(dir, &[CLIENT_DIR.to_owned()])
}

/// The commit that made the release `generated-client` follows: the newest
/// commit changing its `Cargo.toml` to another version than the working
/// tree's.
/// Commits between two releases can hold a half-regenerated crate (one
/// change in several commits), so only a version change marks a release.
fn baseline() -> Result<Option<String>, String> {
    let manifest = format!("{CLIENT_DIR}/Cargo.toml");
    let current = std::fs::read_to_string(workspace_root().join(&manifest))
        .map_err(|error| format!("cannot read {manifest}: {error}"))?;
    let current = package_version(&current);
    let commits = git(&["log", "--format=%H", "--", &manifest])?;
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
        "semver: installing cargo-semver-checks {TOOL_VERSION} into {} (once; about four minutes)",
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
        // The tool's own release profile (fat LTO, one codegen unit, full
        // optimisation) takes 343 s to build on the 2-core machine; this one
        // 219 s, and checks this crate in 0.16 s instead of 0.14 s.
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "1")
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
