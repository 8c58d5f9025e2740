//! Every fixture's generated client builds and passes clippy with warnings
//! denied, with every feature (the `mock` test doubles too), so a snapshot
//! that matches is also code that compiles cleanly; the examples of each
//! crate guide compile too. Fixtures with a file in `tests/fixture_behaviour/`
//! also get it as an integration test of their crate: how the generated
//! types decode and what goes on the wire, checked on the generated code.
//!
//! The clients are written as one workspace under `target/fixture-clients`,
//! with the main workspace's lock file and profile so dependency versions
//! and builds match, and built in the workspace's own target directory
//! (`tests::generated_client_cargo`), which already holds most of their
//! dependencies. A crate whose files are what the generator makes now is
//! left as it is, so cargo checks again only what changed.

use client_generator::{File, generate};
use tests::{
    fixture_options, generated_client_cargo, linting_cargo, workspace_root, write_generated_crate,
    write_generated_workspace,
};

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
        let options = fixture_options(&name, &format!("fixture-{}", name.replace('_', "-")));
        let mut files = generate(&std::fs::read_to_string(&path).unwrap(), &options).unwrap();
        add_behaviour_tests(&mut files, &name);
        write_generated_crate(&dir.join(&name), &files);
        members.push(name);
    }
    members.sort();
    write_generated_workspace(&dir, &members).unwrap();

    // Two builds lint and test: clippy-driver compiles the fixtures' own
    // crates (as `cargo clippy` has it do) for the tests too, so nothing is
    // compiled once checked for clippy and once built for the tests. The
    // doc tests build every library (with the dev-dependencies' features,
    // as the behaviour tests do) and run the crate guides' examples; the
    // behaviour tests then reuse those libraries. A generated library has
    // no unit tests (the runtime's run in the runtime crate), so its test
    // harness would only compile it a second time.
    for (targets, what) in [
        (&["--doc"][..], "the crate guides' examples"),
        (&["--test", "*"][..], "the behaviour tests"),
    ] {
        let result = linting_cargo(&dir)
            .args(["test", "--workspace", "--all-features", "--quiet"])
            .args(targets)
            .output()
            .unwrap();
        assert!(
            result.status.success(),
            "the fixture clients do not pass clippy, or {what} fail:\n{}{}",
            String::from_utf8_lossy(&result.stdout),
            String::from_utf8_lossy(&result.stderr)
        );
    }

    // Each feature of the `tags` fixture passes clippy alone, with and
    // without the mock server, and so does none: no missing item, no unused
    // `use`. Checked rather than built: the dependencies checked here, as
    // any generated crate's without dev-dependencies, are the ones `cargo
    // xtask corpus` and `cargo xtask semver` check later.
    let manifest = std::fs::read_to_string(dir.join("tags/Cargo.toml")).unwrap();
    let features = tag_features(&manifest);
    assert_eq!(
        features,
        ["pets", "store-orders", "untagged", "unused-types"],
        "{manifest}"
    );
    for feature in features.iter().map(String::as_str).chain([""]) {
        for with_mock in [false, true] {
            let features = match (feature, with_mock) {
                ("", true) => "mock".to_owned(),
                (feature, true) => format!("{feature},mock"),
                (feature, false) => feature.to_owned(),
            };
            let result = generated_client_cargo(&dir)
                .args(["clippy", "--quiet", "--lib", "-p", "fixture-tags"])
                .args(["--no-default-features", "--features", &features])
                .args(["--", "-D", "warnings"])
                .output()
                .unwrap();
            assert!(
                result.status.success(),
                "the tags fixture does not build cleanly with only `{features}`:\n{}",
                String::from_utf8_lossy(&result.stderr)
            );
        }
    }
}

/// The features `default` lists in a generated manifest.
fn tag_features(manifest: &str) -> Vec<String> {
    let table: toml::Table = manifest.parse().unwrap();
    table["features"]["default"]
        .as_array()
        .unwrap()
        .iter()
        .map(|name| name.as_str().unwrap().to_owned())
        .collect()
}

/// Adds `tests/fixture_behaviour/{name}.rs`, if there is one, to the
/// fixture's crate as `tests/behaviour.rs`, with the test runtime it needs.
fn add_behaviour_tests(files: &mut Vec<File>, name: &str) {
    let source = workspace_root().join(format!("tests/fixture_behaviour/{name}.rs"));
    let Ok(tests) = std::fs::read_to_string(&source) else {
        return;
    };
    let manifest = files
        .iter_mut()
        .find(|file| file.path == "Cargo.toml")
        .expect("a generated crate has a manifest");
    manifest.contents.push_str(
        "\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"io-util\", \"macros\", \"net\", \"rt-multi-thread\"] }\nwiremock = \"0.6\"\nmulter = \"3\"\n",
    );
    files.push(File {
        path: "tests/behaviour.rs".to_owned(),
        contents: tests,
    });
}

/// The lints reach what [`linting_cargo`] builds: a crate with an unused
/// function and a clippy finding fails to build, naming both.
/// `CLIPPY_ARGS` is how `cargo clippy` talks to clippy-driver, not a
/// documented interface; were it to change, the fixture build above would
/// pass without denying anything, so this guards it.
#[test]
fn linting_cargo_denies_warnings() {
    let dir = workspace_root().join("target/lint-canary");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"lint-canary\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[workspace]\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("src/lib.rs"),
        "fn never_called() {}\n\npub fn length(bytes: &Vec<u8>) -> usize {\n    bytes.len()\n}\n",
    )
    .unwrap();
    let result = linting_cargo(&dir)
        .args(["build", "--quiet"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        !result.status.success(),
        "built despite a warning:\n{stderr}"
    );
    assert!(
        stderr.contains("function `never_called` is never used"),
        "{stderr}"
    );
    assert!(stderr.contains("clippy::ptr_arg"), "{stderr}");
}
