//! Workspace tasks, run as `cargo xtask <task>`.
//!
//! - `codegen`: regenerate `generated-client/` from `spec/openapi.yaml`, with
//!   the conventions of `spec/client.toml`, and list the files that changed.
//! - `codegen --check`: write nothing; fail when the committed client differs
//!   from what the generator makes now.
//! - `generate --spec PATH --out DIR [--name CRATE]`: write a client crate
//!   for any spec.
//! - `test`: the whole test suite but the fuzzer, with whatever set-up it
//!   needs (the pinned npm tools of `tools/npm`, installed under
//!   `target/`), then `cargo doc` with warnings denied.
//! - `semver`: check `generated-client` against its previous committed
//!   version with cargo-semver-checks (installed, pinned, on first use).
//! - `bench [SECTION…] [--quick]`: the benchmarks of `benchmarks/`, built in
//!   release with the generator binary they run; prints figures, checks none.
//! - `corpus`: every description of `../shared/corpus/` generates with no
//!   operation left out, and the clients pass clippy.
//! - `fuzz [--seconds N] [--seed S] [--debug]`: the generator's fuzzer,
//!   which `test` leaves out: optimised and on every core, for ten minutes
//!   unless told otherwise; CI runs it for a minute with `--debug`.

use std::process::{Command, ExitCode};
use std::time::Instant;

mod corpus;
mod semver;

use client_generator::{cli, output};
use xtask::{cargo, own_client_dir, own_spec, read_own_client_options, workspace_root};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen(&args[1..]),
        Some("generate") => cli::generate_command(&args[1..]),
        Some("test") => test(&args[1..]),
        Some("semver") => semver::check(),
        Some("bench") => bench(&args[1..]),
        Some("fuzz") => fuzz(&args[1..]),
        Some("corpus") => corpus::check(),
        _ => Err(usage()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn usage() -> String {
    format!(
        "usage:\n  cargo xtask codegen [--check]\n  cargo xtask generate {}\n  cargo xtask test [ARGS FOR cargo test]\n  cargo xtask semver\n  cargo xtask bench [stages|scale|peer|client|download|compile]... [--quick]\n  cargo xtask corpus\n  cargo xtask fuzz [--seconds N] [--seed S] [--debug]",
        cli::USAGE
    )
}

fn codegen(args: &[String]) -> Result<(), String> {
    let check = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => return Err(usage()),
    };
    let out = own_client_dir();
    let previous = cli::previous(&out)?;
    let options = read_own_client_options()?;
    let generation = cli::generate_file(&own_spec(), &options, previous.as_ref())?;
    if !check {
        cli::write(&out, &generation.files)?;
        cli::print_release(&generation, previous.as_ref());
        cli::print_fallbacks(&own_spec(), &generation);
        return Ok(());
    }
    let changes = output::diff(&out, &generation.files)
        .map_err(|error| format!("reading {}: {error}", out.display()))?;
    if changes.is_empty() {
        println!("generated-client is up to date with spec/openapi.yaml");
        return Ok(());
    }
    cli::print_changes(&changes);
    cli::print_release(&generation, previous.as_ref());
    Err("generated-client is stale: run `cargo xtask codegen` and commit the result".to_owned())
}

/// Runs every test of the workspace but the fuzzer (`cargo xtask fuzz`):
/// unit tests and doctests, snapshots, the fixture and vendor clients'
/// builds, the spec's lint, the contract test and the end-to-end tests
/// (their servers start from the tests). With no extra arguments it also
/// builds the docs, failing on any rustdoc warning. Prints how long each
/// part took.
fn test(args: &[String]) -> Result<(), String> {
    let timed = |part: &str, started: Instant| {
        println!("== {part}: {} s", started.elapsed().as_secs());
    };
    let started = Instant::now();
    xtask::npm_tools::install()?;
    timed("npm tools", started);
    let started = Instant::now();
    run(Command::new(cargo())
        .args(["test", "--workspace"])
        .args(args))
    .map_err(|status| format!("tests failed ({status})"))?;
    timed("cargo test", started);
    if args.is_empty() {
        let started = Instant::now();
        // `--examples` has the dev-dependencies resolved, as `cargo clippy
        // --all-targets` does, so both check the dependencies with the same
        // features, once. Binaries are left out: their docs are not
        // published, and two of them share their library's name.
        run(Command::new(cargo())
            .args(["doc", "--no-deps", "--workspace", "--lib", "--examples"])
            .env("RUSTDOCFLAGS", "-D warnings"))
        .map_err(|status| format!("`cargo doc` found problems ({status})"))?;
        timed("cargo doc", started);
    }
    Ok(())
}

/// Builds the generator binary that the scale and peer benchmarks run as a
/// child process, then runs the benchmarks, both optimised: debug timings
/// would say little about what users get.
fn bench(args: &[String]) -> Result<(), String> {
    run(Command::new(cargo()).args([
        "build",
        "--quiet",
        "--release",
        "--package",
        "client-generator",
        "--bin",
        "client-generator",
    ]))
    .map_err(|status| format!("building the generator failed ({status})"))?;
    run(Command::new(cargo())
        .args([
            "run",
            "--quiet",
            "--release",
            "--package",
            "benchmarks",
            "--",
        ])
        .args(args))
    .map_err(|status| format!("the benchmarks failed ({status})"))
}

/// The fuzz test in `tests/tests/main.rs`, which `cargo test` leaves out
/// (`#[ignore]`) because it takes its whole time budget.
const FUZZ_TEST: &str = "generator::fuzz::generator_gives_ok_or_a_located_error_for_any_input";

/// Runs the fuzz test alone, with a worker per core, for `--seconds`
/// (default 600) from `--seed` (default: the clock's): optimised, or with
/// `--debug` in the test build `cargo xtask test` has made (CI's minute,
/// which then compiles nothing).
fn fuzz(args: &[String]) -> Result<(), String> {
    let mut seconds = "600".to_owned();
    let mut seed = None;
    let mut release = true;
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        if flag == "--debug" {
            release = false;
            continue;
        }
        let value = args
            .next()
            .filter(|value| value.parse::<u64>().is_ok())
            .ok_or_else(usage)?;
        match flag.as_str() {
            "--seconds" => seconds = value.clone(),
            "--seed" => seed = Some(value.clone()),
            _ => return Err(usage()),
        }
    }
    let mut command = Command::new(cargo());
    command.args(["test", "-p", "tests", "--test", "main"]);
    if release {
        command.arg("--release");
    }
    command
        .args(["--", "--ignored", "--exact", FUZZ_TEST, "--nocapture"])
        .env("GENERATOR_FUZZ_SECONDS", seconds);
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    command.env("GENERATOR_FUZZ_THREADS", threads.to_string());
    if let Some(seed) = seed {
        command.env("GENERATOR_FUZZ_SEED", seed);
    }
    run(&mut command).map_err(|status| format!("the fuzzer found a breach ({status})"))
}

/// Runs `command` in the workspace root, failing with its exit status.
fn run(command: &mut Command) -> Result<(), String> {
    let status = command
        .current_dir(workspace_root())
        .status()
        .map_err(|error| format!("cannot run {:?}: {error}", command.get_program()))?;
    if status.success() {
        Ok(())
    } else {
        Err(status.to_string())
    }
}
