//! Workspace-level tests live in `tests/`: snapshots of generated code
//! (`snapshots.rs`), a build of every fixture's client (`fixtures_build.rs`)
//! and end-to-end tests of the generated client against loopback servers
//! (`e2e_*.rs`). This library is empty; it only gives them a package.

/// The README's example, compiled (not run) as a doctest so it cannot rot.
#[doc = include_str!("../../README.md")]
mod readme {}
