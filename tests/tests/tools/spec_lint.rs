//! Spectral, a widely used OpenAPI linter, over `spec/openapi.yaml` with the
//! ruleset in `spec/.spectral.yaml`: no errors and no warnings.
//!
//! Spectral is installed (pinned) by `cargo xtask test`; when it is missing
//! the test fails with that command in its message rather than skipping.

use std::path::Path;
use std::process::{Command, Output};

fn spectral(spec: &Path) -> Output {
    let spectral = xtask::npm_tools::tool("spectral").unwrap_or_else(|message| panic!("{message}"));
    Command::new(spectral)
        .arg("lint")
        .arg(spec)
        .arg("--ruleset")
        .arg(xtask::workspace_root().join("spec/.spectral.yaml"))
        .args(["--fail-severity", "warn", "--format", "text"])
        .env("NO_COLOR", "1")
        .output()
        .expect("running spectral")
}

#[test]
fn the_spec_has_no_lint_errors_or_warnings() {
    let output = spectral(&xtask::own_spec());
    assert!(
        output.status.success(),
        "spectral found problems in spec/openapi.yaml:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The same ruleset fails a spec with a missing path parameter (an error)
/// and an undeclared tag (a warning), so a pass above means something.
#[test]
fn the_ruleset_fails_a_broken_spec() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("broken.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3
info: {title: Broken, version: '1', description: A spec with two problems.}
servers: [{url: 'https://example.com'}]
tags: [{name: declared, description: A tag.}]
paths:
  /things/{thingId}:
    get:
      operationId: getThing
      description: Returns a thing.
      tags: [undeclared]
      responses:
        '200': {description: OK}
",
    )
    .unwrap();
    let output = spectral(&spec);
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(!output.status.success(), "{report}");
    assert!(report.contains("path-params"), "{report}");
    assert!(report.contains("operation-tag-defined"), "{report}");
}
