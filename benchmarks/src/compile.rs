//! Goal 5: how long a generated client alone takes to compile, its
//! dependencies already built: the workspace's client, the vendor's whole
//! description with every feature and with one tag's, and a synthetic
//! description of 200 operations beside progenitor's crate for it.
//!
//! Each crate is written under `target/bench/compile/` with a target
//! directory of its own kind (ours share one, with the workspace's
//! `Cargo.lock`; progenitor's crate resolves its own dependencies). A first
//! build compiles the dependencies; then each round times, crate after
//! crate, `cargo clean -p` and `cargo build` (dev profile) of that crate
//! alone, so the ratios compare builds made side by side.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::stats::{first_lines, median, ratio, run_child, show};
use crate::{Settings, own_input, remove_dir, synthetic, vendor_input};

/// The tag whose feature alone is measured: the vendor's AI Model API Keys.
const ONE_TAG: &str = "ai-model-api-keys";

/// How many operations the synthetic description has.
const SYNTHETIC_OPERATIONS: usize = 200;

/// A crate to build, and how.
struct Build {
    label: String,
    dir: PathBuf,
    target: PathBuf,
    package: String,
    /// `cargo build` arguments choosing features, if not the default ones.
    features: Vec<String>,
    /// Lines of Rust in the crate's `src/`.
    rust_lines: usize,
}

pub fn run(settings: &Settings) {
    let runs = settings.runs(3, 1);
    println!(
        "`cargo build` (dev profile) of a client crate alone, dependencies built; median of {runs} rounds:"
    );
    let scratch = settings.scratch.join("compile");
    let ours = scratch.join("target");
    let mut builds = Vec::new();
    let mut unavailable = Vec::new();
    let mut prepare = |label: &str, made: Result<Vec<Build>, String>| match made {
        Ok(made) => builds.extend(made),
        Err(reason) => unavailable.push(format!("{label}: {reason}")),
    };
    let own = own_input();
    prepare(
        &own.label,
        ours_from_file(&own.path, &own.options, &scratch, &ours, "spec/", &[]),
    );
    let vendor = vendor_input();
    prepare(
        &vendor.label,
        ours_from_file(
            &vendor.path,
            &vendor.options,
            &scratch,
            &ours,
            "vendor, every feature",
            &[format!("vendor, only `{ONE_TAG}`")],
        ),
    );
    let synthetic_spec = scratch.join("synthetic.yaml");
    let written = std::fs::create_dir_all(&scratch)
        .and_then(|()| std::fs::write(&synthetic_spec, synthetic::spec(SYNTHETIC_OPERATIONS)))
        .map_err(|error| format!("{}: {error}", synthetic_spec.display()));
    let synthetic_label = format!("synthetic {SYNTHETIC_OPERATIONS} ops, ours");
    let synthetic_options = client_generator::Options {
        crate_name: "synthetic-client".to_owned(),
        ..own.options.clone()
    };
    prepare(
        &synthetic_label,
        written.clone().and_then(|()| {
            ours_from_file(
                &synthetic_spec,
                &synthetic_options,
                &scratch,
                &ours,
                &synthetic_label,
                &[],
            )
        }),
    );
    prepare(
        "progenitor",
        written.and_then(|()| progenitors(&synthetic_spec, &scratch)),
    );

    for build in &builds {
        if let Err(error) = cargo(build, &["build", "--quiet"]) {
            unavailable.push(format!("{}: first build: {error}", build.label));
        }
    }
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); builds.len()];
    for _ in 0..runs {
        for (build, times) in builds.iter().zip(&mut times) {
            let timed = cargo(build, &["clean", "--quiet", "-p", &build.package])
                .and_then(|_| cargo(build, &["build", "--quiet"]));
            match timed {
                Ok(took) => times.push(took),
                Err(error) => unavailable.push(format!("{}: {error}", build.label)),
            }
        }
    }
    let medians: Vec<Option<Duration>> = times
        .iter()
        .map(|times| (!times.is_empty()).then(|| median(times)))
        .collect();
    for (build, took) in builds.iter().zip(&medians) {
        if let Some(took) = took {
            println!(
                "    {:<36} {:>10}   ({} lines of Rust)",
                build.label,
                show(*took),
                build.rust_lines
            );
        }
    }
    let time_of = |label: &str| {
        builds
            .iter()
            .zip(&medians)
            .find(|(build, _)| build.label == label)
            .and_then(|(_, took)| *took)
    };
    let ratios = [
        ("vendor, every feature", "spec/", "goal ≤ 15×"),
        (
            &format!("vendor, only `{ONE_TAG}`")[..],
            "spec/",
            "goal ≤ 1.5×",
        ),
        (&synthetic_label[..], "synthetic, progenitor", "goal ≤ 1×"),
    ];
    for (a, b, goal) in ratios {
        if let (Some(a_time), Some(b_time)) = (time_of(a), time_of(b)) {
            println!("    {a} / {b}: {:.2}× ({goal})", ratio(a_time, b_time));
        }
    }
    for reason in unavailable {
        println!("    not available: {reason}");
    }
}

/// Our crate for the description at `path`, written under `scratch`: one
/// build with the default features, and one per entry of `one_tag` with
/// only [`ONE_TAG`]'s feature.
fn ours_from_file(
    path: &Path,
    options: &client_generator::Options,
    scratch: &Path,
    target: &Path,
    label: &str,
    one_tag: &[String],
) -> Result<Vec<Build>, String> {
    let text =
        std::fs::read_to_string(path).map_err(|error| format!("{}: {error}", path.display()))?;
    let files = client_generator::generate(&text, options)
        .map_err(|error| format!("generation fails: {error}"))?;
    let dir = scratch.join(&options.crate_name);
    remove_dir(&dir);
    client_generator::output::write(&dir, &files)
        .map_err(|error| format!("writing {}: {error}", dir.display()))?;
    let lock = xtask::workspace_root().join("Cargo.lock");
    std::fs::copy(&lock, dir.join("Cargo.lock"))
        .map_err(|error| format!("copying {}: {error}", lock.display()))?;
    let rust_lines = files
        .iter()
        .filter(|file| file.path.starts_with("src/") && file.path.ends_with(".rs"))
        .map(|file| file.contents.lines().count())
        .sum();
    let build = |label: &str, features: Vec<String>| Build {
        label: label.to_owned(),
        dir: dir.clone(),
        target: target.to_owned(),
        package: options.crate_name.clone(),
        features,
        rust_lines,
    };
    let mut builds = vec![build(label, Vec::new())];
    for label in one_tag {
        let features = ["--no-default-features", "--features", ONE_TAG];
        builds.push(build(label, features.map(str::to_owned).to_vec()));
    }
    Ok(builds)
}

/// progenitor's crate for the synthetic description, made by its command
/// line (`cargo install cargo-progenitor --locked`).
fn progenitors(spec: &Path, scratch: &Path) -> Result<Vec<Build>, String> {
    let progenitor = crate::peer::find_progenitor().ok_or_else(|| {
        format!(
            "`cargo progenitor` is not installed: {}",
            crate::peer::INSTALL
        )
    })?;
    let dir = scratch.join("synthetic-progenitor");
    let run = crate::peer::progenitor_run(&progenitor, spec, &dir)
        .map_err(|error| format!("cannot run progenitor: {error}"))?;
    if !run.success {
        return Err(format!("progenitor fails: {}", first_lines(&run.stderr, 4)));
    }
    // Its crate is a package of its own, outside any workspace.
    let manifest = dir.join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest)
        .map_err(|error| format!("{}: {error}", manifest.display()))?;
    if !text.contains("[workspace]") {
        text.push_str("\n[workspace]\n");
        std::fs::write(&manifest, text)
            .map_err(|error| format!("{}: {error}", manifest.display()))?;
    }
    let rust_lines = rust_lines_under(&dir.join("src"));
    Ok(vec![Build {
        label: "synthetic, progenitor".to_owned(),
        dir,
        target: scratch.join("target-progenitor"),
        package: "peer-client".to_owned(),
        features: Vec::new(),
        rust_lines,
    }])
}

fn rust_lines_under(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(|entry| Some(entry.ok()?.path()))
        .map(|path| {
            if path.is_dir() {
                rust_lines_under(&path)
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                std::fs::read_to_string(&path).map_or(0, |text| text.lines().count())
            } else {
                0
            }
        })
        .sum()
}

/// Runs `cargo ARGS` (with the build's features, for a build) in the
/// build's crate with its target directory, and times it.
fn cargo(build: &Build, args: &[&str]) -> Result<Duration, String> {
    let mut command = Command::new(xtask::cargo());
    command
        .args(args)
        .current_dir(&build.dir)
        .env("CARGO_TARGET_DIR", &build.target);
    if args.first() == Some(&"build") {
        command.args(&build.features);
    }
    let run = run_child(&mut command).map_err(|error| format!("cannot run cargo: {error}"))?;
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
