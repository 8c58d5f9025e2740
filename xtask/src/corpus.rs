//! `cargo xtask corpus`: every real description in `../shared/corpus/`
//! generates a client with no operation left out, and the clients pass
//! clippy with warnings denied, the vendor's also with a sample of its
//! features alone. Each description's summary line is printed.
//!
//! The clients are one workspace under `target/corpus`, with the main
//! workspace's lock file and profile so dependency versions and builds
//! match, built in the workspace's target directory (`xtask::target_dir`),
//! which the earlier steps have filled with most of their dependencies; a
//! client that is already what the generator makes is not rewritten.

use std::path::{Path, PathBuf};
use std::time::Instant;

use client_generator::{Conventions, Options, cli};
use xtask::{
    generated_client_cargo, read_own_conventions, workspace_root, write_generated_crate,
    write_generated_workspace,
};

/// The corpus: `../shared/corpus/`, beside the workspace.
fn corpus_dir() -> PathBuf {
    workspace_root().join("../shared/corpus")
}

pub fn check() -> Result<(), String> {
    let dir = corpus_dir();
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|error| format!("{}: {error}", dir.display()))?
        .filter_map(|entry| Some(entry.ok()?.path()))
        .filter(|path| {
            path.extension()
                .is_some_and(|ext| ext == "yaml" || ext == "json")
        })
        .collect();
    specs.sort();
    if specs.is_empty() {
        return Err(format!("no descriptions in {}", dir.display()));
    }
    let out = workspace_root().join("target/corpus");
    let mut members = Vec::new();
    let mut left_out = Vec::new();
    for spec in &specs {
        let name = crate_name(spec);
        let started = Instant::now();
        let generation = cli::generate_file(spec, &options(spec, &name)?, None)?;
        let took = started.elapsed();
        write_generated_crate(&out.join(&name), &generation.files)?;
        println!(
            "{}: {} ({took:.1?})",
            spec.file_name().unwrap_or_default().to_string_lossy(),
            generation.summary
        );
        if generation.summary.left_out > 0 {
            left_out.push(spec.display().to_string());
        }
        members.push(name);
    }
    write_generated_workspace(&out, &members)?;
    if !left_out.is_empty() {
        return Err(format!("operations left out in {}", left_out.join(", ")));
    }

    let started = Instant::now();
    let status = generated_client_cargo(&out)
        .args(["clippy", "--workspace", "--quiet", "--", "-D", "warnings"])
        .status()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    println!("corpus clients: clippy took {:.0?}", started.elapsed());
    if !status.success() {
        return Err(format!("the corpus clients do not pass clippy ({status})"));
    }
    features_alone(&out, &specs)
}

/// Features of the vendor's client checked alone: a small tag, a large one
/// that shares many types, the unused types, and none at all.
const VENDOR_FEATURES: [&str; 4] = ["ai-model-api-keys", "clusters", "unused-types", ""];

/// Each of [`VENDOR_FEATURES`] passes clippy alone: no type missing, no
/// `use` left unused.
fn features_alone(out: &Path, specs: &[PathBuf]) -> Result<(), String> {
    let Some(vendor) = specs.iter().find(|spec| is_vendor(spec)) else {
        return Ok(());
    };
    let package = crate_name(vendor);
    let started = Instant::now();
    for features in VENDOR_FEATURES {
        let status = generated_client_cargo(out)
            .args(["clippy", "--quiet", "-p", &package, "--no-default-features"])
            .args(["--features", features, "--", "-D", "warnings"])
            .status()
            .map_err(|error| format!("cannot run cargo: {error}"))?;
        if !status.success() {
            return Err(format!(
                "{package} does not pass clippy with only the features `{features}` ({status})"
            ));
        }
    }
    println!(
        "{package}: {} feature sets alone, clippy took {:.0?}",
        VENDOR_FEATURES.len(),
        started.elapsed()
    );
    Ok(())
}

/// The vendor's Atlas description, which the workspace's conventions fit.
fn is_vendor(spec: &Path) -> bool {
    spec.file_name()
        .is_some_and(|file| file.to_string_lossy().starts_with("atlas-"))
}

/// `corpus-pagerduty-rest` for `pagerduty-rest.json`, and the like.
fn crate_name(spec: &Path) -> String {
    let stem = spec.file_stem().unwrap_or_default().to_string_lossy();
    let stem: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("corpus-{}", stem.trim_matches('-'))
}

/// The vendor's Atlas description is generated with this workspace's
/// conventions (`spec/client.toml`);
/// the others with no conventions at all, as a new user would.
fn options(spec: &Path, name: &str) -> Result<Options, String> {
    let atlas = is_vendor(spec);
    Ok(Options {
        crate_name: name.to_owned(),
        crate_version: "0.1.0".to_owned(),
        conventions: if atlas {
            read_own_conventions()?
        } else {
            Conventions::default()
        },
    })
}
