//! `cargo xtask bench [SECTION…] [--quick]`: how fast the generator is, stage
//! by stage and as specs grow, against its peer progenitor, and how much its
//! output costs at run time (a 1 GiB download's memory among it) and at
//! compile time.
//!
//! It prints figures and asserts nothing: the machines it runs on are shared
//! and noisy, so a timing is only worth a median over repeated runs, and a
//! comparison only worth a ratio measured in the same run. `BENCHMARKS.md`
//! records the method and the latest numbers.
//!
//! Sections: `stages`, `scale`, `peer`, `client`, `download`, `compile` (all
//! by default).
//! `--quick` runs each with few repetitions and small sizes, to check that
//! the benchmark itself works.

mod client;
mod compile;
mod download;
mod peer;
mod scale;
mod stages;
mod stats;
mod synthetic;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use client_generator::Options;

const SECTIONS: &[&str] = &["stages", "scale", "peer", "client", "download", "compile"];

/// Set for a process that runs one section for [`run_each_alone`].
const SECTION_PROCESS: &str = "BENCHMARKS_SECTION_PROCESS";

/// What a run covers and how long it may take.
pub struct Settings {
    /// Few repetitions, small sizes: a check that the benchmark runs.
    pub quick: bool,
    /// Scratch space for specs, generated crates and their builds.
    pub scratch: PathBuf,
}

impl Settings {
    /// `full` repetitions normally, `quick` ones with `--quick`.
    pub fn runs(&self, full: usize, quick: usize) -> usize {
        if self.quick { quick } else { full }
    }
}

/// A spec the benchmark reads, with how its client is generated.
pub struct Input {
    pub label: String,
    pub path: PathBuf,
    pub options: Options,
}

/// The workspace's own spec, generated as `cargo xtask codegen` does.
pub fn own_input() -> Input {
    Input {
        label: "spec/".to_owned(),
        path: xtask::own_spec(),
        options: xtask::own_client_options(),
    }
}

/// The vendor's whole Administration API description, read where it is kept
/// beside the workspace (never copied in), with the same conventions.
pub fn vendor_input() -> Input {
    Input {
        label: "atlas-admin-v2 (vendor)".to_owned(),
        path: xtask::workspace_root().join("../shared/corpus/atlas-admin-v2-2026-08-19.yaml"),
        options: Options {
            crate_name: "atlas-admin".to_owned(),
            ..xtask::own_client_options()
        },
    }
}

fn main() -> ExitCode {
    let mut quick = false;
    let mut sections = Vec::new();
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--quick" => quick = true,
            section if SECTIONS.contains(&section) => sections.push(section.to_owned()),
            other => {
                eprintln!(
                    "unknown argument `{other}`; usage: cargo xtask bench [{}]… [--quick]",
                    SECTIONS.join("|")
                );
                return ExitCode::FAILURE;
            }
        }
    }
    if sections.is_empty() {
        sections = SECTIONS.iter().map(|&section| section.to_owned()).collect();
    }
    let settings = Settings {
        quick,
        scratch: xtask::workspace_root().join("target/bench"),
    };
    if let Err(error) = std::fs::create_dir_all(&settings.scratch) {
        eprintln!("cannot create {}: {error}", settings.scratch.display());
        return ExitCode::FAILURE;
    }
    if std::env::var_os(SECTION_PROCESS).is_none() {
        println!(
            "benchmarks ({}; {} logical CPUs); medians over repeated runs, ratios measured side by side",
            if quick { "quick" } else { "full" },
            std::thread::available_parallelism().map_or(0, usize::from),
        );
    }
    if sections.len() > 1 {
        return run_each_alone(&sections, quick);
    }
    for section in &sections {
        println!("\n## {section}\n");
        match section.as_str() {
            "stages" => stages::run(&settings),
            "scale" => scale::run(&settings),
            "peer" => peer::run(&settings),
            "client" => client::run(&settings),
            "download" => download::run(&settings),
            "compile" => compile::run(&settings),
            _ => unreachable!("sections are checked above"),
        }
    }
    ExitCode::SUCCESS
}

/// Runs each section in a fresh process of this binary, so none starts with
/// another's memory: a child's peak memory, as the OS reports it, is never
/// less than its parent's size when it started.
fn run_each_alone(sections: &[String], quick: bool) -> ExitCode {
    let exe = std::env::current_exe().expect("the running executable has a path");
    let mut failed = false;
    for section in sections {
        let mut command = std::process::Command::new(&exe);
        command.arg(section).env(SECTION_PROCESS, "1");
        if quick {
            command.arg("--quick");
        }
        match command.status() {
            Ok(status) if status.success() => {}
            Ok(status) => {
                eprintln!("section {section} failed ({status})");
                failed = true;
            }
            Err(error) => {
                eprintln!("cannot run section {section}: {error}");
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// The generator binary built beside this one (`cargo xtask bench` builds
/// both), run as a child process so its memory can be measured on its own.
pub fn generator_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("the running executable has a path");
    exe.with_file_name(format!("client-generator{}", std::env::consts::EXE_SUFFIX))
}

/// Removes `dir` if it exists, so a generation starts from nothing.
pub fn remove_dir(dir: &Path) {
    if dir.exists() {
        std::fs::remove_dir_all(dir)
            .unwrap_or_else(|error| panic!("cannot remove {}: {error}", dir.display()));
    }
}
