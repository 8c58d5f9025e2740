//! A 1 GiB download through a generated client's binary-response method,
//! read chunk by chunk: its peak memory (goal: under 64 MiB, so the body is
//! never held whole) and its throughput.
//!
//! A crate is generated under `target/bench/download/` from a one-operation
//! description (`GET /blobs/{size}`, `application/octet-stream`), with
//! `programs/download.rs` as its example: a loopback server in the same
//! process writes the bytes as the socket takes them, and the example reads
//! them through the generated `download` method. It is built in release
//! with the workspace's `Cargo.lock` and run as a child process, whose peak
//! resident memory (`VmHWM`, and `wait4`'s for the process) is its own.

use std::path::Path;
use std::process::Command;

use client_generator::{File, Options};

use crate::Settings;
use crate::stats::{first_lines, mib, run_child};

/// The description of the crate the benchmark builds.
const SPEC: &str = "openapi: 3.0.3
info: {title: Download benchmark, version: '1'}
paths:
  /blobs/{size}:
    get:
      operationId: download
      parameters:
        - {name: size, in: path, required: true, schema: {type: integer, format: int64}}
      responses:
        '200':
          description: '`size` bytes.'
          content:
            application/octet-stream:
              schema: {type: string, format: binary}
";

/// The example that downloads, as the generated crate's `examples/download.rs`.
const PROGRAM: &str = include_str!("../programs/download.rs");

/// The goal for the process's peak memory.
const GOAL_MIB: f64 = 64.0;

pub fn run(settings: &Settings) {
    let size: u64 = if settings.quick { 64 << 20 } else { 1 << 30 };
    println!(
        "{} MiB from a loopback server through the generated `download` method, chunk by chunk (goal: peak memory under {GOAL_MIB} MiB):",
        size >> 20
    );
    match measure(settings, size) {
        Ok(line) => println!("    {line}"),
        Err(reason) => println!("    not available: {reason}"),
    }
}

fn measure(settings: &Settings, size: u64) -> Result<String, String> {
    let options = Options {
        crate_name: "bench-download".to_owned(),
        crate_version: "0.1.0".to_owned(),
        conventions: client_generator::Conventions::default(),
    };
    let mut files = client_generator::generate(SPEC, &options)
        .map_err(|error| format!("generation fails: {error}"))?;
    add_program(&mut files);
    let dir = settings.scratch.join("download/bench-download");
    let target = settings.scratch.join("download/target");
    crate::remove_dir(&dir);
    client_generator::output::write(&dir, &files)
        .map_err(|error| format!("writing {}: {error}", dir.display()))?;
    let lock = xtask::workspace_root().join("Cargo.lock");
    std::fs::copy(&lock, dir.join("Cargo.lock"))
        .map_err(|error| format!("copying {}: {error}", lock.display()))?;
    build(&dir, &target)?;
    let program = target.join("release/examples/download");
    let run = run_child(Command::new(&program).arg(size.to_string()))
        .map_err(|error| format!("cannot run {}: {error}", program.display()))?;
    if !run.success {
        return Err(format!(
            "the download failed: {}",
            first_lines(&run.stderr, 8)
        ));
    }
    let field = |name: &str| -> Option<f64> {
        run.stdout
            .split_whitespace()
            .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('=')?.parse().ok())
    };
    let (Some(bytes), Some(chunks), Some(seconds), Some(peak_kib)) = (
        field("bytes"),
        field("chunks"),
        field("seconds"),
        field("peak_kib"),
    ) else {
        return Err(format!("unexpected output: {}", run.stdout.trim()));
    };
    let peak = peak_kib / 1024.0;
    let verdict = if peak < GOAL_MIB { "met" } else { "MISSED" };
    let wait4 = run.peak_memory.map_or(String::new(), |peak| {
        format!(", {:.1} MiB by wait4", mib(peak))
    });
    Ok(format!(
        "{:.0} MiB in {chunks:.0} chunks, {seconds:.2} s ({:.0} MiB/s); peak memory (VmHWM) {peak:.1} MiB{wait4}: goal {verdict}",
        bytes / 1048576.0,
        bytes / 1048576.0 / seconds.max(1e-9),
    ))
}

/// The example, and the dev-dependency it needs (a tokio runtime and sockets).
fn add_program(files: &mut [File]) {
    if let Some(manifest) = files.iter_mut().find(|file| file.path == "Cargo.toml") {
        manifest.contents.push_str(
            "\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"io-util\", \"macros\", \"net\", \"rt-multi-thread\"] }\n",
        );
    }
}

/// Builds the example in release.
fn build(dir: &Path, target: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir.join("examples"))
        .and_then(|()| std::fs::write(dir.join("examples/download.rs"), PROGRAM))
        .map_err(|error| format!("writing the example: {error}"))?;
    let run = run_child(
        Command::new(xtask::cargo())
            .args(["build", "--quiet", "--release", "--example", "download"])
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", target),
    )
    .map_err(|error| format!("cannot run cargo: {error}"))?;
    if run.success {
        Ok(())
    } else {
        Err(format!(
            "`cargo build --release --example download` failed:\n        {}",
            first_lines(&run.stderr, 8)
        ))
    }
}
