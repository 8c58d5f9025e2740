//! Every fixture's generated client builds and passes clippy with warnings
//! denied, with every feature (the `mock` test doubles too), so a snapshot
//! that matches is also code that compiles cleanly; the examples of each
//! crate guide compile too. Fixtures with a file in `tests/fixture_behaviour/`
//! also get it as an integration test of their crate: how the generated
//! types decode and what goes on the wire, checked on the generated code.
//!
//! The clients are written as one workspace under `target/fixture-clients`,
//! with the main workspace's lock file so dependency versions match, and
//! built with their own target directory (the outer `cargo test` may hold
//! the main one).

use std::process::Command;

use client_generator::{generate, output};
use tests::{options, workspace_root};

#[test]
fn every_fixture_client_passes_clippy() {
    let root = workspace_root();
    let dir = root.join("target/fixture-clients");
    let mut members = Vec::new();
    for entry in std::fs::read_dir(root.join("tests/fixtures")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|ext| ext != "yaml") {
            continue;
        }
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let options = options(&format!("fixture-{}", name.replace('_', "-")));
        let files = generate(&std::fs::read_to_string(&path).unwrap(), &options).unwrap();
        output::write(&dir.join(&name), &files).unwrap();
        add_behaviour_tests(&dir.join(&name), &name);
        members.push(format!("{name:?}"));
    }
    members.sort();
    let manifest = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
        members.join(", ")
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();

    let cargo = |args: &[&str]| {
        Command::new(tests::cargo())
            .args(args)
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", dir.join("target"))
            .output()
            .unwrap()
    };
    let result = cargo(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--all-features",
        "--quiet",
        "--",
        "-D",
        "warnings",
    ]);
    assert!(
        result.status.success(),
        "fixture clients do not build cleanly:\n{}",
        String::from_utf8_lossy(&result.stderr)
    );

    let result = cargo(&["test", "--workspace", "--all-features", "--quiet"]);
    assert!(
        result.status.success(),
        "the fixture clients' behaviour tests or guides fail:\n{}{}",
        String::from_utf8_lossy(&result.stdout),
        String::from_utf8_lossy(&result.stderr)
    );
}

/// Copies `tests/fixture_behaviour/{name}.rs`, if there is one, into the
/// fixture's crate as `tests/behaviour.rs`, with the test runtime it needs.
fn add_behaviour_tests(crate_dir: &std::path::Path, name: &str) {
    let source = workspace_root().join(format!("tests/fixture_behaviour/{name}.rs"));
    let Ok(tests) = std::fs::read_to_string(&source) else {
        return;
    };
    std::fs::create_dir_all(crate_dir.join("tests")).unwrap();
    std::fs::write(crate_dir.join("tests/behaviour.rs"), tests).unwrap();
    let manifest = crate_dir.join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest).unwrap();
    text.push_str(
        "\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\n",
    );
    std::fs::write(manifest, text).unwrap();
}
