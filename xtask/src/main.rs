//! Workspace tasks, run as `cargo xtask <task>`.
//!
//! - `codegen`: regenerate `generated-client/` from `spec/openapi.yaml` and
//!   list the files that changed.
//! - `codegen --check`: write nothing; fail when the committed client differs
//!   from what the generator makes now.
//! - `generate --spec PATH --out DIR [--name CRATE]`: write a client crate
//!   for any spec.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use client_generator::output::{self, Change, ChangeKind};
use client_generator::{File, Options};

/// The package name of the workspace's own generated client.
const CLIENT_NAME: &str = "atlas-ai-model-api-keys";
const CLIENT_VERSION: &str = "0.1.0";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen(&args[1..]),
        Some("generate") => generate(&args[1..]),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

const USAGE: &str = "usage:
  cargo xtask codegen [--check]
  cargo xtask generate --spec PATH --out DIR [--name CRATE_NAME]";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

fn codegen(args: &[String]) -> Result<(), String> {
    let check = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => return Err(USAGE.to_owned()),
    };
    let root = workspace_root();
    let spec = root.join("spec/openapi.yaml");
    let out = root.join("generated-client");
    let files = generate_files(&spec, CLIENT_NAME)?;
    if check {
        let changes = output::diff(&out, &files)
            .map_err(|error| format!("reading {}: {error}", out.display()))?;
        if changes.is_empty() {
            println!("generated-client is up to date with spec/openapi.yaml");
            return Ok(());
        }
        print_changes(&changes);
        return Err(
            "generated-client is stale: run `cargo xtask codegen` and commit the result".to_owned(),
        );
    }
    write(&out, &files)
}

fn generate(args: &[String]) -> Result<(), String> {
    let mut spec = None;
    let mut out = None;
    let mut name = None;
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let value = args
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        match flag.as_str() {
            "--spec" => spec = Some(PathBuf::from(value)),
            "--out" => out = Some(PathBuf::from(value)),
            "--name" => name = Some(value.clone()),
            _ => return Err(format!("unknown flag {flag}\n{USAGE}")),
        }
    }
    let (Some(spec), Some(out)) = (spec, out) else {
        return Err(USAGE.to_owned());
    };
    let name = name.unwrap_or_else(|| "openapi-client".to_owned());
    let files = generate_files(&spec, &name)?;
    write(&out, &files)
}

fn generate_files(spec: &Path, crate_name: &str) -> Result<Vec<File>, String> {
    let text =
        std::fs::read_to_string(spec).map_err(|error| format!("{}: {error}", spec.display()))?;
    let options = Options {
        crate_name: crate_name.to_owned(),
        crate_version: CLIENT_VERSION.to_owned(),
    };
    client_generator::generate(&text, &options)
        .map_err(|error| format!("{}: {error}", spec.display()))
}

fn write(out: &Path, files: &[File]) -> Result<(), String> {
    let changes =
        output::write(out, files).map_err(|error| format!("writing {}: {error}", out.display()))?;
    if changes.is_empty() {
        println!("{}: no changes", out.display());
    } else {
        print_changes(&changes);
    }
    Ok(())
}

fn print_changes(changes: &[Change]) {
    for change in changes {
        let kind = match change.kind {
            ChangeKind::Added => "added",
            ChangeKind::Modified => "changed",
            ChangeKind::Removed => "removed",
        };
        println!("{kind:>8} {}", change.path);
    }
}
