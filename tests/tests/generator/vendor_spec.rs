//! The vendor's full Atlas Administration API description, as published
//! (`../shared/corpus/atlas-admin-v2-2026-08-19.yaml`, beside the
//! workspace), generates a client without a single fallback, the same bytes
//! every time. `cargo xtask corpus` (a step of `.ci/run`) runs clippy on
//! that client, generated the same way, with every other corpus client.

use std::path::PathBuf;
use std::time::Instant;

use client_generator::{Options, lower, parse, regenerate};
use tests::workspace_root;

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
        conventions: xtask::own_conventions(),
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
