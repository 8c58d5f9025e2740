//! The command line shared by the `client-generator` binary and
//! `cargo xtask generate`: read a spec, write a crate, report what changed.

use std::path::{Path, PathBuf};

use crate::output::{self, Change, ChangeKind};
use crate::{Conventions, File, Options};

/// Usage of [`generate_command`].
pub const USAGE: &str = "--spec PATH --out DIR [--name CRATE_NAME] [--version VERSION]";

/// Runs `--spec PATH --out DIR [--name CRATE_NAME] [--version VERSION]`.
pub fn generate_command(args: &[String]) -> Result<(), String> {
    let mut spec = None;
    let mut out = None;
    let mut name = "openapi-client".to_owned();
    let mut version = "0.1.0".to_owned();
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let value = args
            .next()
            .ok_or_else(|| format!("{flag} needs a value; usage: {USAGE}"))?;
        match flag.as_str() {
            "--spec" => spec = Some(PathBuf::from(value)),
            "--out" => out = Some(PathBuf::from(value)),
            "--name" => name = value.clone(),
            "--version" => version = value.clone(),
            _ => return Err(format!("unknown flag {flag}; usage: {USAGE}")),
        }
    }
    let (Some(spec), Some(out)) = (spec, out) else {
        return Err(format!("usage: {USAGE}"));
    };
    let options = Options {
        crate_name: name,
        crate_version: version,
        conventions: Conventions::default(),
    };
    let files = generate_file(&spec, &options)?;
    write(&out, &files)
}

/// Reads the spec at `path` and generates a crate from it; errors name the file.
pub fn generate_file(path: &Path, options: &Options) -> Result<Vec<File>, String> {
    let text =
        std::fs::read_to_string(path).map_err(|error| format!("{}: {error}", path.display()))?;
    crate::generate(&text, options).map_err(|error| format!("{}: {error}", path.display()))
}

/// Writes `files` to `out` atomically and prints what changed.
pub fn write(out: &Path, files: &[File]) -> Result<(), String> {
    let changes =
        output::write(out, files).map_err(|error| format!("writing {}: {error}", out.display()))?;
    if changes.is_empty() {
        println!("{}: no changes", out.display());
    } else {
        print_changes(&changes);
    }
    Ok(())
}

/// One line per changed file: `   added src/types.rs`.
pub fn print_changes(changes: &[Change]) {
    for change in changes {
        let kind = match change.kind {
            ChangeKind::Added => "added",
            ChangeKind::Modified => "changed",
            ChangeKind::Removed => "removed",
        };
        println!("{kind:>8} {}", change.path);
    }
}
