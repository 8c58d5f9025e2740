//! What `cargo xtask` knows about this workspace, shared with the tests so
//! the spec's snapshots are generated exactly as `cargo xtask codegen` does.

use std::path::{Path, PathBuf};

use client_generator::{Conventions, CredentialVariables, Options, PagingConvention};

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
