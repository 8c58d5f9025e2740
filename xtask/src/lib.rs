//! What `cargo xtask` knows about this workspace, shared with the tests so
//! the spec's snapshots are generated exactly as `cargo xtask codegen` does.

use std::path::{Path, PathBuf};
use std::process::Command;

use client_generator::output::{self, ChangeKind};
use client_generator::{Conventions, CredentialVariables, File, Options, PagingConvention};

pub mod npm_tools;

/// The workspace's root directory.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// The cargo running this task (or a test), else the one on `PATH`.
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// Where every client generated under `target/` is built (the fixtures',
/// the vendor's, the corpus'): one target directory, so the dependencies
/// they share are compiled once, beside the main one (which an outer
/// `cargo test` may hold).
pub fn generated_clients_build_dir() -> PathBuf {
    workspace_root().join("target/generated-clients-build")
}

/// `cargo` run in `dir`, a crate or workspace generated under `target/`,
/// building into [`generated_clients_build_dir`] without debug info: these
/// builds are checked, never debugged, and debug info is much of the time
/// they take to compile and link.
pub fn generated_client_cargo(dir: &Path) -> Command {
    let mut command = Command::new(cargo());
    command
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", generated_clients_build_dir())
        .env("CARGO_PROFILE_DEV_DEBUG", "false");
    command
}

/// Writes `files` as the crate at `dir`, unless the crate there already
/// holds them (a lock file cargo keeps beside them aside): rewriting gives
/// every file a new modification time, and cargo would check and build the
/// whole crate again when nothing changed.
pub fn write_generated_crate(dir: &Path, files: &[File]) -> Result<(), String> {
    let changes =
        output::diff(dir, files).map_err(|error| format!("reading {}: {error}", dir.display()))?;
    let unchanged = changes
        .iter()
        .all(|change| change.path == "Cargo.lock" && change.kind == ChangeKind::Removed);
    if !unchanged {
        output::write(dir, files).map_err(|error| format!("writing {}: {error}", dir.display()))?;
    }
    Ok(())
}

/// The spec the workspace's own client is generated from.
pub fn own_spec() -> PathBuf {
    workspace_root().join("spec/openapi.yaml")
}

/// Where the workspace's own client is written.
pub fn own_client_dir() -> PathBuf {
    workspace_root().join("generated-client")
}

/// How the workspace's own client is generated: its package, and the
/// Atlas Administration API's conventions for paging and envelopes.
pub fn own_client_options() -> Options {
    Options {
        crate_name: "atlas-ai-model-api-keys".to_owned(),
        crate_version: "0.1.0".to_owned(),
        conventions: atlas_conventions(),
    }
}

/// Atlas pages lists with `pageNum` and `itemsPerPage` and answers
/// `{results, totalCount}`; `envelope=true` wraps answers; its spec gives
/// short method names in `x-xgen-operation-id-override`.
pub fn atlas_conventions() -> Conventions {
    Conventions {
        paging: Some(PagingConvention {
            page_parameter: "pageNum".to_owned(),
            size_parameter: "itemsPerPage".to_owned(),
            items_field: "results".to_owned(),
            total_field: "totalCount".to_owned(),
        }),
        envelope_parameter: Some("envelope".to_owned()),
        credential_variables: Some(atlas_cli_variables()),
        operation_name_extension: Some("x-xgen-operation-id-override".to_owned()),
    }
}

/// The environment variables the Atlas CLI reads credentials and its base
/// URL from, so one set of variables serves the CLI and this client.
pub fn atlas_cli_variables() -> CredentialVariables {
    CredentialVariables {
        used_by: "the Atlas CLI".to_owned(),
        client_id: "MONGODB_ATLAS_CLIENT_ID".to_owned(),
        client_secret: "MONGODB_ATLAS_CLIENT_SECRET".to_owned(),
        public_key: "MONGODB_ATLAS_PUBLIC_API_KEY".to_owned(),
        private_key: "MONGODB_ATLAS_PRIVATE_API_KEY".to_owned(),
        access_token: "MONGODB_ATLAS_ACCESS_TOKEN".to_owned(),
        base_url: "MONGODB_ATLAS_OPS_MANAGER_URL".to_owned(),
    }
}
