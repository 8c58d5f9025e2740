//! OpenAPI 3.1 generates as well as 3.0: the workspace's description
//! written as 3.1 (`tests/fixtures/openapi31/spec.yaml`) gives the same
//! `src/` as `spec/openapi.yaml`, and the vendor's full description, taken
//! to 3.1 by the rewrites 3.0 → 3.1 migration guides list ([`to_3_1`]),
//! gives the same crate as the original. Its clippy run is the corpus
//! step's, on the 3.0 original's crate: the files are the same bytes.
//! ([`to_3_1`] is `xtask`'s, so that `cargo xtask bench stages` can time
//! the same 3.1 document.)

use std::path::PathBuf;

use client_generator::{File, Options, parse, regenerate};
use tests::{own_client_options, own_spec, workspace_root};
use xtask::openapi31::to_3_1;

fn generated(text: &str, options: &Options) -> Vec<File> {
    regenerate(text, options, None)
        .unwrap_or_else(|error| panic!("{error}"))
        .files
}

/// The files of a generation that come from the description's meaning,
/// not its text (`openapi.yaml` is the text itself).
fn meaning(files: Vec<File>) -> Vec<File> {
    files
        .into_iter()
        .filter(|file| file.path != "openapi.yaml")
        .collect()
}

#[test]
fn the_spec_written_as_3_1_generates_the_same_src() {
    let fixture = workspace_root().join("tests/fixtures/openapi31/spec.yaml");
    let as_3_1 = std::fs::read_to_string(&fixture).unwrap();
    let as_3_0 = std::fs::read_to_string(own_spec()).unwrap();
    let source = |text: &str| -> Vec<File> {
        generated(text, &own_client_options())
            .into_iter()
            .filter(|file| file.path.starts_with("src/"))
            .collect()
    };
    let (from_3_1, from_3_0) = (source(&as_3_1), source(&as_3_0));
    assert_eq!(
        from_3_1.iter().map(|file| &file.path).collect::<Vec<_>>(),
        from_3_0.iter().map(|file| &file.path).collect::<Vec<_>>()
    );
    for (from_3_1, from_3_0) in from_3_1.iter().zip(&from_3_0) {
        assert!(
            from_3_1.contents == from_3_0.contents,
            "{} differs between 3.1 and 3.0",
            from_3_1.path
        );
    }
    // The fixture is 3.1 in earnest, not the 3.0 text relabelled.
    for written_as_3_1 in [
        "openapi: 3.1.0",
        "type: [string, 'null']",
        "examples: [",
        "exclusiveMinimum: 0",
    ] {
        assert!(as_3_1.contains(written_as_3_1), "{written_as_3_1}");
    }
    assert!(!as_3_1.contains("nullable:"));
}

#[test]
fn the_vendor_description_taken_to_3_1_generates_the_same_crate() {
    let path: PathBuf = workspace_root()
        .parent()
        .expect("the workspace has a parent directory")
        .join("shared/corpus/atlas-admin-v2-2026-08-19.yaml");
    let as_3_0 = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let mut document = parse::read(&as_3_0).unwrap();
    let rewrites = to_3_1(&mut document);
    assert!(rewrites > 1_000, "only {rewrites} rewrites");
    let as_3_1 = serde_json::to_string(&document).unwrap();

    let options = Options {
        crate_name: "atlas-admin".to_owned(),
        crate_version: "0.1.0".to_owned(),
        conventions: xtask::own_conventions(),
    };
    let from_3_0 = meaning(generated(&as_3_0, &options));
    let from_3_1 = meaning(generated(&as_3_1, &options));
    assert_eq!(from_3_0.len(), from_3_1.len());
    for (from_3_0, from_3_1) in from_3_0.iter().zip(&from_3_1) {
        assert_eq!(from_3_0.path, from_3_1.path);
        if from_3_0.contents != from_3_1.contents {
            let line = from_3_0
                .contents
                .lines()
                .zip(from_3_1.contents.lines())
                .position(|(a, b)| a != b)
                .unwrap_or_default();
            panic!(
                "{} differs between 3.0 and 3.1, first at line {}:\n{}\n{}",
                from_3_0.path,
                line + 1,
                from_3_0.contents.lines().nth(line).unwrap_or_default(),
                from_3_1.contents.lines().nth(line).unwrap_or_default(),
            );
        }
    }
}

#[test]
fn a_document_of_webhooks_alone_generates_a_client_without_operations() {
    let text = "openapi: 3.1.0\ninfo: {title: Hooks, version: '1'}\nwebhooks:\n  ping:\n    post:\n      responses: {'200': {description: ok}}\n  pong: {}\n";
    let generation = regenerate(text, &tests::options("hooks"), None).unwrap();
    assert_eq!(
        generation.summary.to_string(),
        "0 operations (0 left out), 0 types, 0 fallbacks; 2 webhooks the API sends, not generated"
    );
    assert!(
        generation.fallbacks.is_empty(),
        "{:?}",
        generation.fallbacks
    );
}
