//! The change summary on pairs of fixture specs: `tests/fixtures/changes/base.yaml`
//! against each other file there, which changes one thing. Every case
//! asserts the whole summary, so an extra or missing line fails too.

use client_generator::changes::{Change, compare, next_version};
use client_generator::{lower, parse};
use tests::{own_conventions, workspace_root};

fn api(name: &str) -> client_generator::model::Api {
    let path = workspace_root()
        .join("tests/fixtures/changes")
        .join(format!("{name}.yaml"));
    let text = std::fs::read_to_string(&path).unwrap();
    let doc = parse::parse(&text).unwrap_or_else(|error| panic!("{name}: {error}"));
    lower::lower(&doc, &own_conventions()).unwrap_or_else(|error| panic!("{name}: {error}"))
}

/// The summary of `base` -> `name`, one `breaking|non-breaking item: what` line each.
fn summary(name: &str) -> Vec<String> {
    summary_between("base", name)
}

/// The summary of `old` -> `new`.
fn summary_between(old: &str, new: &str) -> Vec<String> {
    compare(&api(old), &api(new))
        .iter()
        .map(|change| {
            let kind = if change.breaking {
                "breaking"
            } else {
                "non-breaking"
            };
            format!("{kind} {}: {}", change.item, change.what)
        })
        .collect()
}

#[test]
fn the_same_spec_has_no_changes() {
    assert_eq!(summary("base"), Vec::<String>::new());
}

#[test]
fn field_added() {
    assert_eq!(
        summary("field_added"),
        [
            "breaking types::ItemRequest: required field `cloud` added",
            "non-breaking types::Item: optional field `endpoint` added",
        ]
    );
}

#[test]
fn security_scheme_added_and_removed() {
    assert_eq!(
        summary("security_scheme_added"),
        ["non-breaking Auth::api_key: added, for security scheme `apiKey`"]
    );
    assert_eq!(
        summary_between("security_scheme_added", "base"),
        ["breaking Auth::api_key: removed with security scheme `apiKey`"]
    );
}

#[test]
fn field_removed() {
    assert_eq!(
        summary("field_removed"),
        ["breaking types::Item: field `name` removed"]
    );
}

#[test]
fn type_changed() {
    assert_eq!(
        summary("type_changed"),
        ["breaking types::Item: field `id` is now `Option<i64>` (was `Option<String>`)"]
    );
}

#[test]
fn operation_removed() {
    assert_eq!(
        summary("operation_removed"),
        ["breaking Client::delete_item: removed"]
    );
}

#[test]
fn required_flipped() {
    assert_eq!(
        summary("required_flipped"),
        ["breaking types::ItemRequest: field `note` is now `String` (was `Option<String>`)"]
    );
}

#[test]
fn enum_value_added() {
    assert_eq!(
        summary("enum_value_added"),
        ["non-breaking types::Color: value `BLUE` added"]
    );
}

#[test]
fn preview_media_type_added() {
    assert_eq!(
        summary("media_type_added"),
        ["non-breaking preview::Operations::list_items: added (API version `preview`)"]
    );
}

#[test]
fn newer_stable_media_type_moves_the_default() {
    assert_eq!(
        summary("stable_version_added"),
        [
            "breaking Client::list_items: now uses API version `2025-01-01` (was API version `2024-01-01`)",
            "non-breaking v2025_01_01::Operations::list_items: added (API version `2025-01-01`)",
        ]
    );
}

#[test]
fn versions_follow_semver_for_the_summary() {
    let change = |breaking| Change {
        breaking,
        item: "types::Item".to_owned(),
        what: "changed".to_owned(),
    };
    let bump = |version: &str, changes: &[Change]| {
        next_version(&semver::Version::parse(version).unwrap(), changes).to_string()
    };
    assert_eq!(bump("0.1.0", &[]), "0.1.0");
    assert_eq!(bump("0.1.0", &[change(false)]), "0.1.1");
    assert_eq!(bump("0.1.3", &[change(false), change(true)]), "0.2.0");
    assert_eq!(bump("1.2.3", &[change(false)]), "1.3.0");
    assert_eq!(bump("1.2.3", &[change(true)]), "2.0.0");
}

/// A regeneration over a previous crate bumps its version and puts the
/// summary on top of the changelog, keeping the older entries.
#[test]
fn regeneration_writes_the_next_version_and_its_changelog_entry() {
    let read = |name: &str| {
        std::fs::read_to_string(
            workspace_root()
                .join("tests/fixtures/changes")
                .join(format!("{name}.yaml")),
        )
        .unwrap()
    };
    let options = tests::options("fixture-changes");
    let first = client_generator::regenerate(&read("base"), &options, None).unwrap();
    let file = |generation: &client_generator::Generation, path: &str| {
        generation
            .files
            .iter()
            .find(|file| file.path == path)
            .unwrap_or_else(|| panic!("no {path}"))
            .contents
            .clone()
    };
    let previous = client_generator::Previous {
        spec: file(&first, "openapi.yaml"),
        version: semver::Version::parse("0.3.0").unwrap(),
        changelog: Some(file(&first, "CHANGELOG.md")),
        runtime_api: client_generator::release::RUNTIME_API,
        subset: client_generator::Subset::default(),
    };
    let next =
        client_generator::regenerate(&read("field_added"), &options, Some(&previous)).unwrap();
    assert_eq!(next.release.version.to_string(), "0.4.0");
    assert!(file(&next, "Cargo.toml").contains("\nversion = \"0.4.0\"\n"));
    assert!(file(&next, "openapi.yaml").contains("endpoint: {type: string}"));
    let changelog = file(&next, "CHANGELOG.md");
    let expected = "## 0.4.0\n\n### Breaking\n\n- `types::ItemRequest`: required field `cloud` added\n\n### Non-breaking\n\n- `types::Item`: optional field `endpoint` added\n\n## 0.1.0\n\nFirst version";
    assert!(changelog.contains(expected), "{changelog}");
    assert_eq!(changelog.matches("@generated").count(), 1, "{changelog}");

    // Regenerating from its own output changes nothing.
    let previous = client_generator::Previous {
        spec: file(&next, "openapi.yaml"),
        version: next.release.version.clone(),
        changelog: Some(changelog.clone()),
        runtime_api: client_generator::release::runtime_api_of(&file(&next, "Cargo.toml")),
        subset: client_generator::release::subset_of(&file(&next, "Cargo.toml")),
    };
    let again =
        client_generator::regenerate(&read("field_added"), &options, Some(&previous)).unwrap();
    assert_eq!(again.files, next.files);

    // A crate made before the runtime API's last breaking change gets a new
    // version for it, even from the same description.
    let older = client_generator::Previous {
        runtime_api: 1,
        ..previous
    };
    let upgraded =
        client_generator::regenerate(&read("field_added"), &options, Some(&older)).unwrap();
    assert_eq!(upgraded.release.version.to_string(), "0.5.0");
    assert!(
        upgraded
            .release
            .changes
            .iter()
            .any(|change| change.breaking && change.item == "Error::Transport"),
        "{:?}",
        upgraded.release.changes
    );
}
