//! Goal 5: how long a generated client alone takes to compile, its
//! dependencies already built, for spec/ and for the vendor's whole
//! description.
//!
//! Each client is generated under `target/bench/compile/`, with the
//! workspace's `Cargo.lock` (the versions the workspace tests) and a target
//! directory of its own. A first build compiles the dependencies; then, for
//! each timed run, `cargo clean -p` removes the client's own artifacts and
//! `cargo build` compiles it again, and nothing else.

use std::path::Path;
use std::process::Command;

use crate::stats::{first_lines, median, run_child, show};
use crate::{Input, Settings, own_input, remove_dir, vendor_input};

pub fn run(settings: &Settings) {
    let runs = settings.runs(3, 1);
    println!(
        "`cargo build` (dev profile) of the client crate alone, dependencies built, {runs} runs:"
    );
    for input in [own_input(), vendor_input()] {
        match measure(&input, settings, runs) {
            Ok(line) => println!("    {:<26} {line}", input.label),
            Err(reason) => println!("    {:<26} not available: {reason}", input.label),
        }
    }
}

fn measure(input: &Input, settings: &Settings, runs: usize) -> Result<String, String> {
    let text = std::fs::read_to_string(&input.path)
        .map_err(|error| format!("{}: {error}", input.path.display()))?;
    let files = client_generator::generate(&text, &input.options)
        .map_err(|error| format!("generation fails: {error}"))?;
    let dir = settings
        .scratch
        .join("compile")
        .join(&input.options.crate_name);
    // The target directory is kept between benchmark runs: it holds the built dependencies.
    let target = settings.scratch.join("compile/target");
    remove_dir(&dir);
    client_generator::output::write(&dir, &files)
        .map_err(|error| format!("writing {}: {error}", dir.display()))?;
    let lock = xtask::workspace_root().join("Cargo.lock");
    std::fs::copy(&lock, dir.join("Cargo.lock"))
        .map_err(|error| format!("copying {}: {error}", lock.display()))?;
    let lines = text.lines().count();
    let rust_lines: usize = files
        .iter()
        .filter(|file| file.path.ends_with(".rs"))
        .map(|file| file.contents.lines().count())
        .sum();

    cargo(&dir, &target, &["build", "--quiet"]).map_err(|error| format!("first build: {error}"))?;
    let mut times = Vec::new();
    for _ in 0..runs {
        cargo(
            &dir,
            &target,
            &["clean", "--quiet", "-p", &input.options.crate_name],
        )?;
        let took = cargo(&dir, &target, &["build", "--quiet"])?;
        times.push(took);
    }
    Ok(format!(
        "{:>10}   ({lines} spec lines, {rust_lines} lines of Rust)",
        show(median(&times))
    ))
}

/// Runs `cargo ARGS` in the crate `dir` with its own target directory.
fn cargo(dir: &Path, target: &Path, args: &[&str]) -> Result<std::time::Duration, String> {
    let run = run_child(
        Command::new(xtask::cargo())
            .args(args)
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", target),
    )
    .map_err(|error| format!("cannot run cargo: {error}"))?;
    if run.success {
        Ok(run.wall)
    } else {
        Err(format!(
            "`cargo {}` failed:\n        {}",
            args.join(" "),
            first_lines(&run.stderr, 8)
        ))
    }
}
