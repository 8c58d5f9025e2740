//! Snapshots of the model (its outline, a line per item) and of the
//! generated code: for `spec/`, every generated file; for each fixture in
//! `tests/fixtures/`, its Rust modules.
//!
//! A spec or generator change shows up here as a diff to review with
//! `cargo insta review`. The runtime files are verbatim copies of
//! `generator/runtime`, so they are not snapshotted.
//!
//! The snapshots keep the names and the directory they had when this file
//! was a test binary of its own: `tests/tests/snapshots/snapshots__*.snap`
//! ([`assert_file_snapshot`]).

use std::path::Path;

use client_generator::Options;
use client_generator::{File, generate, lower, model, parse, stages};
use tests::{fixture_options, own_client_dir, own_client_options, own_spec, workspace_root};

fn generate_from(path: &Path, options: &Options) -> Vec<File> {
    let text = std::fs::read_to_string(path).unwrap();
    generate(&text, options).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// The outline of the model lowered from the spec at `path`: a lowering
/// change shows here as a model diff, before any Rust.
fn model_outline(path: &Path, options: &Options) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let parsed = parse::parse(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let api = lower::lower(&parsed, &options.conventions)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    model::outline(&api)
}

/// Snapshot name for a generated file: `spec__src__types.rs` and the like.
fn snapshot_name(prefix: &str, file: &File) -> String {
    format!("{prefix}__{}", file.path.replace('/', "__"))
}

/// Asserts `contents` against `tests/tests/snapshots/snapshots__{name}.snap`.
///
/// insta would name a snapshot after the module path
/// (`main__generator__snapshots__…`) in a directory beside this file; the
/// settings keep the files where they are, named as they were.
fn assert_file_snapshot(name: &str, contents: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(format!("snapshots__{name}"), contents));
}

#[test]
fn spec_model() {
    assert_file_snapshot(
        "spec__model",
        &model_outline(&own_spec(), &own_client_options()),
    );
}

#[test]
fn spec_client() {
    // As `cargo xtask codegen` does: the next version after the committed one,
    // which at rest is the committed crate itself.
    let previous = client_generator::cli::previous(&own_client_dir()).unwrap();
    let text = std::fs::read_to_string(own_spec()).unwrap();
    let files = client_generator::regenerate(&text, &own_client_options(), previous.as_ref())
        .unwrap()
        .files;
    for file in files
        .iter()
        .filter(|file| !file.path.starts_with("src/runtime/") && file.path != "openapi.yaml")
    {
        assert_file_snapshot(&snapshot_name("spec", file), &file.contents);
    }
}

/// Every fixture, so a new one cannot be forgotten here.
const FIXTURES: &[&str] = &[
    "access",
    "answers",
    "arrays",
    "binary_upload",
    "compositions",
    "enums",
    "errors",
    "event_stream",
    "fields",
    "forms",
    "maps",
    "media_types",
    "mistakes",
    "multipart",
    "names",
    "no_content",
    "openapi31_document",
    "openapi31_schemas",
    "optional_body",
    "paging_cursor",
    "paging_link",
    "paging_offset",
    "paging_page_number",
    "parameters",
    "paths",
    "patterns",
    "references",
    "refs",
    "request_bodies",
    "security",
    "tags",
    "text_and_binary",
    "versions",
];

fn fixture_snapshots(name: &str) {
    let path = workspace_root()
        .join("tests/fixtures")
        .join(format!("{name}.yaml"));
    let options = fixture_options(name, &format!("fixture-{name}"));
    assert_file_snapshot(&format!("{name}__model"), &model_outline(&path, &options));
    let files = generate_from(&path, &options);
    for file in files
        .iter()
        .filter(|file| {
            (file.path.ends_with(".rs") && !file.path.starts_with("src/runtime/"))
                || (name == "tags" && file.path == "Cargo.toml")
        })
        // Every lib.rs and auth.rs is alike but for the security schemes
        // and the features: the spec's snapshots show them with versions,
        // the `security` fixture's with every kind of scheme, the `tags`
        // fixture's with modules compiled under features.
        .filter(|file| match file.path.as_str() {
            "src/lib.rs" => name == "security" || name == "tags",
            "src/auth.rs" => name == "security",
            _ => true,
        })
    {
        assert_file_snapshot(&snapshot_name(name, file), &file.contents);
    }
}

macro_rules! fixture_tests {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                fixture_snapshots(stringify!($name));
            }
        )*
    };
}

fixture_tests!(
    access,
    answers,
    arrays,
    binary_upload,
    forms,
    multipart,
    compositions,
    enums,
    errors,
    event_stream,
    fields,
    maps,
    media_types,
    names,
    mistakes,
    patterns,
    references,
    no_content,
    openapi31_document,
    openapi31_schemas,
    optional_body,
    paging_cursor,
    paging_link,
    paging_offset,
    paging_page_number,
    parameters,
    paths,
    refs,
    request_bodies,
    security,
    tags,
    text_and_binary,
    versions
);

#[test]
fn every_fixture_has_snapshots() {
    let mut on_disk: Vec<String> = std::fs::read_dir(workspace_root().join("tests/fixtures"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    assert_eq!(on_disk, FIXTURES);
}

/// Hash maps in the generator are seeded per instance, so two runs in one
/// process would differ if any output depended on their order.
#[test]
fn generation_is_deterministic() {
    let spec = workspace_root().join("spec/openapi.yaml");
    assert_eq!(
        generate_from(&spec, &own_client_options()),
        generate_from(&spec, &own_client_options())
    );
    for name in FIXTURES {
        let path = workspace_root()
            .join("tests/fixtures")
            .join(format!("{name}.yaml"));
        assert_eq!(
            generate_from(&path, &fixture_options(name, name)),
            generate_from(&path, &fixture_options(name, name)),
            "{name}"
        );
    }
}

/// `generate` cuts files with many items into parts and shares the parts
/// out to threads; neither how files are cut nor which thread makes which
/// part may show in the output. Whole files on one thread are the reference.
#[test]
fn parts_and_threads_do_not_change_the_output() {
    let mut inputs = vec![(
        workspace_root().join("spec/openapi.yaml"),
        own_client_options(),
    )];
    inputs.extend(FIXTURES.iter().map(|name| {
        let path = workspace_root()
            .join("tests/fixtures")
            .join(format!("{name}.yaml"));
        (path, fixture_options(name, name))
    }));
    for (path, options) in inputs {
        let text = std::fs::read_to_string(&path).unwrap();
        let value = stages::read(&text).unwrap();
        let doc = stages::deserialise(&value).unwrap();
        let api = stages::lower(&doc, &options).unwrap();
        let whole = stages::emit_and_render_in_parts(&api, &options, 1, usize::MAX).unwrap();
        for (threads, items_per_part) in [(1, 1), (2, 2), (3, 7), (64, 1)] {
            let cut =
                stages::emit_and_render_in_parts(&api, &options, threads, items_per_part).unwrap();
            assert!(
                whole == cut,
                "{}: {threads} threads, {items_per_part} items per part",
                path.display()
            );
        }
        assert!(whole == stages::emit_and_render(&api, &options, 2).unwrap());
    }
}
