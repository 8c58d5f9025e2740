//! Goal 3: the generator against progenitor (`cargo-progenitor`), on the
//! same inputs in the same run: spec/, the vendor's whole description and
//! the synthetic specs of the scale section.
//!
//! Both run as child processes from spec file to crate directory, one after
//! the other for each repetition, so a slow moment of the machine hits both.
//! Where progenitor fails, its own error is quoted: that is a result too.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::stats::{ChildRun, first_lines, median, mib, ratio, run_child, show};
use crate::{Settings, generator_binary, own_input, remove_dir, scale, vendor_input};

pub const INSTALL: &str = "cargo install cargo-progenitor --locked";

pub fn run(settings: &Settings) {
    let Some(progenitor) = find_progenitor() else {
        println!("skipped: `cargo progenitor` is not on PATH; install it with `{INSTALL}`");
        return;
    };
    let version = installed_version().unwrap_or_else(|| "version unknown".to_owned());
    let generator = generator_binary();
    let runs = settings.runs(3, 1);
    println!(
        "{} ({version}) against client-generator, child processes, {runs} runs each, interleaved:",
        progenitor.display()
    );
    println!(
        "    {:<26} {:>12} {:>12} {:>16} {:>12} {:>12}",
        "input", "ours", "progenitor", "progenitor/ours", "ours peak", "prog. peak"
    );
    let mut inputs: Vec<(String, PathBuf)> = vec![
        (own_input().label, own_input().path),
        (vendor_input().label, vendor_input().path),
    ];
    inputs.extend(
        scale::write_specs(settings)
            .into_iter()
            .map(|(operations, path)| (format!("synthetic {operations} ops"), path)),
    );
    let mut failures = Vec::new();
    for (label, spec) in &inputs {
        let ours_out = settings.scratch.join("peer/ours");
        let theirs_out = settings.scratch.join("peer/progenitor");
        let mut ours = Vec::new();
        let mut theirs = Vec::new();
        for _ in 0..runs {
            ours.push(scale::generate(&generator, spec, &ours_out));
            theirs.push(progenitor_run(&progenitor, spec, &theirs_out));
            // A failure fails the same way every time; once is enough to know.
            if !succeeded(ours.last()) || !succeeded(theirs.last()) {
                break;
            }
        }
        let ours_summary = summary(&ours);
        let theirs_summary = summary(&theirs);
        let ratio_text = match (&ours_summary, &theirs_summary) {
            (Ok((ours, _)), Ok((theirs, _))) => format!("{:.2}×", ratio(*theirs, *ours)),
            _ => "n/a".to_owned(),
        };
        let time = |summary: &Result<_, String>| match summary {
            Ok((time, _)) => show(*time),
            Err(_) => "failed".to_owned(),
        };
        let peak = |summary: &Result<(_, Option<u64>), String>| match summary {
            Ok((_, Some(peak))) => format!("{:.0} MiB", mib(*peak)),
            _ => "n/a".to_owned(),
        };
        println!(
            "    {label:<26} {:>12} {:>12} {ratio_text:>16} {:>12} {:>12}",
            time(&ours_summary),
            time(&theirs_summary),
            peak(&ours_summary),
            peak(&theirs_summary),
        );
        if let Err(error) = ours_summary {
            failures.push(format!("client-generator on {label}: {error}"));
        }
        if let Err(error) = theirs_summary {
            failures.push(format!("progenitor on {label}: {error}"));
        }
        remove_dir(&ours_out);
        remove_dir(&theirs_out);
    }
    for failure in failures {
        println!("    {failure}");
    }
}

fn succeeded(run: Option<&std::io::Result<ChildRun>>) -> bool {
    matches!(run, Some(Ok(run)) if run.success)
}

/// The median time and highest peak memory of successful runs, or why they failed.
fn summary(
    runs: &[std::io::Result<ChildRun>],
) -> Result<(std::time::Duration, Option<u64>), String> {
    let mut times = Vec::new();
    let mut peak = None;
    for run in runs {
        match run {
            Ok(run) if run.success => {
                times.push(run.wall);
                peak = peak.max(run.peak_memory);
            }
            Ok(run) => {
                let said = if run.stderr.trim().is_empty() {
                    &run.stdout
                } else {
                    &run.stderr
                };
                return Err(format!("failed:\n        {}", first_lines(said, 6)));
            }
            Err(error) => return Err(format!("cannot run: {error}")),
        }
    }
    Ok((median(&times), peak))
}

/// The version `cargo install --list` records, as its line `cargo-progenitor v0.15.1:` says.
fn installed_version() -> Option<String> {
    let listed = run_child(Command::new(xtask::cargo()).args(["install", "--list"])).ok()?;
    listed
        .stdout
        .lines()
        .find_map(|line| line.strip_prefix("cargo-progenitor "))
        .map(|version| version.trim_end_matches(':').to_owned())
}

/// `cargo progenitor` writing a crate for `spec` into a fresh `out`.
pub fn progenitor_run(progenitor: &Path, spec: &Path, out: &Path) -> std::io::Result<ChildRun> {
    remove_dir(out);
    // Cargo runs a subcommand binary with the subcommand's name first.
    run_child(
        Command::new(progenitor)
            .arg("progenitor")
            .arg("--input")
            .arg(spec)
            .arg("--output")
            .arg(out)
            .args(["--name", "peer-client", "--version", "0.1.0"])
            // Its panics are quoted; the message is what matters, not a backtrace.
            .env("RUST_BACKTRACE", "0"),
    )
}

/// `cargo-progenitor` on `PATH` (or in cargo's own bin directory), run
/// directly rather than through `cargo` so neither side pays for a cargo start.
pub fn find_progenitor() -> Option<PathBuf> {
    let name = format!("cargo-progenitor{}", std::env::consts::EXE_SUFFIX);
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")));
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .chain(cargo_home.map(|home| home.join("bin")))
        .map(|dir| dir.join(&name))
        .find(|path| path.is_file())
}
