//! The vendor's full Atlas Administration API description, as published
//! (`../shared/corpus/atlas-admin-v2-2026-08-19.yaml`, beside the
//! workspace), generates a client without a single fallback, the same bytes
//! every time, and that client passes clippy (which checks it too) with
//! warnings denied. Its `mock` feature is left to the fixtures, which
//! cover the same generator code at a fraction of the build time.
//!
//! The output goes under `target/vendor-client`, never into the repository,
//! and is built in the target directory of every generated client
//! (`tests::generated_client_cargo`); when it is what the generator makes
//! now, it is left as it is, so cargo does not check it again.

use std::path::PathBuf;
use std::time::Instant;

use client_generator::{Options, lower, parse, regenerate};
use tests::{generated_client_cargo, workspace_root, write_generated_crate};

fn vendor_spec() -> (PathBuf, String) {
    let path = workspace_root()
        .parent()
        .expect("the workspace has a parent directory")
        .join("shared/corpus/atlas-admin-v2-2026-08-19.yaml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| {
        panic!("the vendor's spec is read from {}: {error}", path.display())
    });
    (path, text)
}

/// How this workspace would generate a client for the whole Atlas API.
fn options() -> Options {
    Options {
        crate_name: "atlas-admin".to_owned(),
        crate_version: "0.1.0".to_owned(),
        conventions: xtask::atlas_conventions(),
    }
}

#[test]
fn the_vendor_spec_generates_the_same_bytes_twice_with_no_fallback() {
    let (_, text) = vendor_spec();
    let started = Instant::now();
    let first = regenerate(&text, &options(), None).unwrap();
    let elapsed = started.elapsed();
    let second = regenerate(&text, &options(), None).unwrap();
    assert_eq!(
        first.fallbacks,
        [],
        "constructs the generator could not map"
    );
    assert!(first.files == second.files, "two generations differ");

    let api = lower::lower(&parse::parse(&text).unwrap(), &options().conventions).unwrap();
    let lines: usize = first
        .files
        .iter()
        .map(|file| file.contents.lines().count())
        .sum();
    println!(
        "vendor spec: {} operation versions, {} types, {} files, {lines} lines, generated in {elapsed:.2?} (debug build)",
        api.operations.len(),
        api.types.len(),
        first.files.len(),
    );
    assert!(
        api.operations.len() >= 540,
        "every operation, once per version"
    );
}

#[test]
fn the_vendor_client_passes_clippy() {
    let (_, text) = vendor_spec();
    let generation = regenerate(&text, &options(), None).unwrap();
    let dir = workspace_root().join("target/vendor-client");
    write_generated_crate(&dir, &generation.files);
    // The workspace's lock file, so dependency versions match; the outer
    // workspace excludes `target/`, so the crate is a root of its own.
    std::fs::copy(workspace_root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let started = Instant::now();
    let result = generated_client_cargo(&dir)
        .args(["clippy", "--quiet", "--", "-D", "warnings"])
        .output()
        .unwrap();
    println!("vendor client: clippy took {:.0?}", started.elapsed());
    assert!(
        result.status.success(),
        "the vendor client does not build cleanly:\n{}",
        String::from_utf8_lossy(&result.stderr)
    );
}
