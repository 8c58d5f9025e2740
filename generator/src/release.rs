//! Regenerating a crate that already exists: what changed in its Rust API
//! since the description it was made from, the version that follows, and
//! the changelog entry saying so.
//!
//! The previous description travels inside the crate (`openapi.yaml`), so
//! this needs neither git nor network, and `--check` sees what CI sees.

use std::fmt::Write;

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
}

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
    let changes = changes::compare(previous_api, api);
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

/// Reads the package version from a generated `Cargo.toml`.
pub fn manifest_version(manifest: &str) -> Result<semver::Version, String> {
    let value = manifest
        .lines()
        .find_map(|line| line.strip_prefix("version = "))
        .ok_or("the generated Cargo.toml has no `version`")?;
    semver::Version::parse(value.trim().trim_matches('"'))
        .map_err(|error| format!("the generated Cargo.toml's version: {error}"))
}
