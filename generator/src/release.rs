//! Regenerating a crate that already exists: what changed in its Rust API
//! since the description it was made from, the version that follows, and
//! the changelog entry saying so.
//!
//! The previous description travels inside the crate (`openapi.yaml`), so
//! this needs neither git nor network, and `--check` sees what CI sees.

use std::fmt::Write;

use crate::Subset;
use crate::changes::{self, Change};
use crate::model::Api;

/// The generated crate's copy of the description it was made from.
pub const SPEC_COPY: &str = "openapi.yaml";

/// The generated crate's changelog.
pub const CHANGELOG: &str = "CHANGELOG.md";

/// What a crate directory holds from its last generation.
#[derive(Debug, Clone)]
pub struct Previous {
    /// The description it was generated from ([`SPEC_COPY`]).
    pub spec: String,
    /// Its package version.
    pub version: semver::Version,
    /// Its changelog, if it has one.
    pub changelog: Option<String>,
    /// The edition of the runtime API it was generated with
    /// ([`RUNTIME_API`]); 1 for crates from before editions were recorded.
    pub runtime_api: u32,
    /// The part of its description it was made from ([`subset_of`]), which
    /// its model is lowered with for the change summary.
    pub subset: Subset,
}

/// The edition of the API every generated crate has whatever its
/// description (`Client`, `Auth`, `Error`, the mock server): raised, with
/// an entry in [`RUNTIME_API_CHANGES`], whenever a generator change breaks
/// code written against crates it made before. A crate regenerated across
/// editions gets those changes in its summary, and its version follows.
pub const RUNTIME_API: u32 = 3;

/// What each edition of [`RUNTIME_API`] broke: `(edition, item, what)`.
pub const RUNTIME_API_CHANGES: &[(u32, &str, &str)] = &[
    (
        2,
        "Auth",
        "a method per security scheme of the description (`Auth::new().…`) replaces `Auth::bearer`, `Auth::digest`, `Auth::service_account` and the enum's variants",
    ),
    (
        2,
        "ServiceAccount",
        "renamed `ClientCredentials`, for any OAuth 2.0 client-credentials scheme",
    ),
    (
        2,
        "Error::Transport",
        "a struct variant that says whether the request may have reached the server",
    ),
    (
        2,
        "mock::MOCK_TOKEN",
        "removed: `MockServer::client` sends no credentials",
    ),
    (
        3,
        "types",
        "a type implements `Serialize` only if a request sends it and `Deserialize` only if an answer holds it (with the `mock` feature, answers implement `Serialize` too)",
    ),
    (
        3,
        "features",
        "a Cargo feature per tag compiles that tag's operations and the types they use; all are on by default",
    ),
];

/// The `[package.metadata.client-generator]` key that records [`RUNTIME_API`].
pub const RUNTIME_API_KEY: &str = "runtime-api";

/// The `[package.metadata.client-generator]` keys that record a subset's
/// tags and operations, when a crate is made from part of its description.
pub const SUBSET_TAGS_KEY: &str = "include-tags";
pub const SUBSET_OPERATIONS_KEY: &str = "include-operations";

/// The version and changes of a generation.
#[derive(Debug, Clone)]
pub struct Release {
    pub version: semver::Version,
    /// Empty for a first generation, which has nothing to compare with.
    pub changes: Vec<Change>,
    /// The whole changelog, the new entry on top.
    pub changelog: String,
}

/// Compares `api` with the crate's previous generation (and its model), if
/// there is one.
pub fn release(
    api: &Api,
    previous: Option<(&Previous, &Api)>,
    crate_name: &str,
    first_version: &semver::Version,
) -> Release {
    let Some((previous, previous_api)) = previous else {
        let entry = format!(
            "## {first_version}\n\nFirst version, generated from version {} of the API description.\n",
            api.version
        );
        return Release {
            version: first_version.clone(),
            changes: Vec::new(),
            changelog: changelog_with(crate_name, None, Some(&entry)),
        };
    };
    let mut changes = changes::compare(previous_api, api);
    changes.extend(
        RUNTIME_API_CHANGES
            .iter()
            .filter(|(edition, ..)| *edition > previous.runtime_api)
            .map(|(_, item, what)| changes::Change {
                breaking: true,
                item: (*item).to_owned(),
                what: (*what).to_owned(),
            }),
    );
    let version = changes::next_version(&previous.version, &changes);
    let entry = (!changes.is_empty()).then(|| entry(&version, &changes));
    let changelog = changelog_with(crate_name, previous.changelog.as_deref(), entry.as_deref());
    Release {
        version,
        changes,
        changelog,
    }
}

/// A changelog entry: the version, then its changes, breaking ones first.
pub fn entry(version: &semver::Version, changes: &[Change]) -> String {
    let mut text = format!("## {version}\n");
    for (breaking, heading) in [(true, "Breaking"), (false, "Non-breaking")] {
        let mut lines = changes.iter().filter(|c| c.breaking == breaking).peekable();
        if lines.peek().is_none() {
            continue;
        }
        let _ = write!(text, "\n### {heading}\n\n");
        for change in lines {
            let _ = writeln!(text, "- `{}`: {}", change.item, change.what);
        }
    }
    text
}

/// The changelog's preamble, `entry`, then the old changelog's entries.
fn changelog_with(crate_name: &str, old: Option<&str>, entry: Option<&str>) -> String {
    let mut text = format!(
        "# Changelog\n\nEvery version of `{crate_name}` and what changed in its Rust API. The generator\nwrites each entry from the API description's changes; breaking ones bump the version\nas semver asks.\n"
    );
    if let Some(entry) = entry {
        text.push('\n');
        text.push_str(entry);
    }
    let old_entries = old.and_then(|old| old.find("\n## ").map(|start| &old[start..]));
    if let Some(old_entries) = old_entries {
        text.push_str(old_entries);
    }
    text
}

/// The summary `codegen` prints: one line per change.
pub fn summary(changes: &[Change]) -> String {
    if changes.is_empty() {
        return "no changes to the Rust API".to_owned();
    }
    let breaking = changes.iter().filter(|c| c.breaking).count();
    let mut text = format!(
        "{} change(s) to the Rust API, {breaking} breaking:\n",
        changes.len()
    );
    for change in changes {
        let _ = writeln!(text, "{change}");
    }
    text
}

/// The runtime API edition a generated `Cargo.toml` records; 1 when it
/// records none.
pub fn runtime_api_of(manifest: &str) -> u32 {
    manifest
        .lines()
        .find_map(|line| line.strip_prefix(RUNTIME_API_KEY)?.trim().strip_prefix('='))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(1)
}

/// The subset a generated `Cargo.toml` records; the whole description when
/// it records none.
pub fn subset_of(manifest: &str) -> Subset {
    let table: toml::Table = toml::from_str(manifest).unwrap_or_default();
    let recorded = table
        .get("package")
        .and_then(|package| package.get("metadata"))
        .and_then(|metadata| metadata.get("client-generator"));
    let names = |key: &str| -> Vec<String> {
        recorded
            .and_then(|recorded| recorded.get(key))
            .and_then(toml::Value::as_array)
            .map(|names| {
                names
                    .iter()
                    .filter_map(|name| name.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    Subset {
        tags: names(SUBSET_TAGS_KEY),
        operations: names(SUBSET_OPERATIONS_KEY),
    }
}

/// Reads the package version from a generated `Cargo.toml`.
pub fn manifest_version(manifest: &str) -> Result<semver::Version, String> {
    let value = manifest
        .lines()
        .find_map(|line| line.strip_prefix("version = "))
        .ok_or("the generated Cargo.toml has no `version`")?;
    semver::Version::parse(value.trim().trim_matches('"'))
        .map_err(|error| format!("the generated Cargo.toml's version: {error}"))
}
