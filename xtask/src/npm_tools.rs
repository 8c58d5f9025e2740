//! The npm tools the tests use (Spectral, Prism), pinned by
//! `tools/npm/package-lock.json` and installed under `target/tools/npm`.
//!
//! Installing is `cargo xtask test`'s set-up step; tests only look the tools
//! up, and fail naming the command to run when they are missing, so a test
//! never passes because a tool was absent.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::workspace_root;

const MANIFEST: &str = "package.json";
const LOCK: &str = "package-lock.json";

/// Where the pinned manifest and lock file are committed.
fn pinned_dir() -> PathBuf {
    workspace_root().join("tools/npm")
}

/// Where the tools are installed.
pub fn install_dir() -> PathBuf {
    workspace_root().join("target/tools/npm")
}

/// The path of an installed tool's executable, or a message saying how to
/// install it.
pub fn tool(name: &str) -> Result<PathBuf, String> {
    let path = install_dir().join("node_modules/.bin").join(name);
    if path.is_file() && is_current()? {
        Ok(path)
    } else {
        Err(format!(
            "{name} is not installed (or not at the pinned version) under {}: \
             run `cargo xtask test`, which installs the npm tools of tools/npm/package-lock.json",
            install_dir().display()
        ))
    }
}

/// Installs exactly what the lock file pins, unless that is already there.
pub fn install() -> Result<(), String> {
    if is_current()? {
        return Ok(());
    }
    let target = install_dir();
    if target.exists() {
        fs::remove_dir_all(&target)
            .map_err(|error| format!("removing {}: {error}", target.display()))?;
    }
    fs::create_dir_all(&target)
        .map_err(|error| format!("creating {}: {error}", target.display()))?;
    copy(MANIFEST, &target.join(MANIFEST))?;
    copy(LOCK, &target.join(LOCK))?;
    println!("installing the pinned npm tools into {}", target.display());
    // `npm ci` installs the lock file as written; `--ignore-scripts` because
    // none of these tools needs an install script (the one dependency that
    // has one only reports analytics).
    let status = Command::new("npm")
        .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"])
        .current_dir(&target)
        .env("npm_config_update_notifier", "false")
        .status()
        .map_err(|error| format!("cannot run npm (Node.js and npm are needed): {error}"))?;
    if status.success() {
        // Written last, so an interrupted install is redone next time.
        copy(LOCK, &target.join("installed.lock"))
    } else {
        Err(format!(
            "`npm ci` in {} failed ({status})",
            target.display()
        ))
    }
}

/// Whether the installed tree came from the committed lock file.
fn is_current() -> Result<bool, String> {
    let installed = install_dir().join("installed.lock");
    let Ok(installed) = fs::read(&installed) else {
        return Ok(false);
    };
    let pinned = pinned_dir().join(LOCK);
    let pinned =
        fs::read(&pinned).map_err(|error| format!("reading {}: {error}", pinned.display()))?;
    Ok(installed == pinned)
}

fn copy(name: &str, to: &Path) -> Result<(), String> {
    let from = pinned_dir().join(name);
    fs::copy(&from, to)
        .map(drop)
        .map_err(|error| format!("copying {} to {}: {error}", from.display(), to.display()))
}
