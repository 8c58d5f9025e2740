//! Workspace-level tests live in `tests/`: snapshots of generated code
//! (`snapshots.rs`), a build and behaviour tests of every fixture's client
//! (`fixtures_build.rs`), the vendor's full spec (`vendor_spec.rs`), located
//! generator errors and fallbacks (`generator_errors.rs`), the generated
//! crate's consistency with the workspace (`generated_crate.rs`), checks by
//! independent tools (`spec_lint.rs`, `contract_prism.rs`) and end-to-end
//! tests of the generated client against loopback servers (`e2e_*.rs`,
//! `mock_server.rs`, `example_manage_keys.rs`). This library holds what
//! they share.

use client_generator::{Conventions, Options};
pub use xtask::{
    atlas_conventions, cargo, own_client_dir, own_client_options, own_spec, workspace_root,
};

/// Generator options for a crate called `name`, with no API conventions.
pub fn options(name: &str) -> Options {
    Options {
        crate_name: name.to_owned(),
        crate_version: "0.1.0".to_owned(),
        conventions: Conventions {
            // Generic, but named after the one spec that uses it.
            operation_name_extension: Some("x-xgen-operation-id-override".to_owned()),
            ..Conventions::default()
        },
    }
}

/// The README's example, compiled (not run) as a doctest so it cannot rot.
#[doc = include_str!("../../README.md")]
mod readme {}
