//! The generator under bad input: every class of broken or hostile spec in
//! `tests/fixtures/bad/` that cannot be used is refused with an error naming
//! the file, the JSON pointer and (where the text has it) the line, and
//! leaves the output directory as it was; a mistake within one operation
//! (a path parameter missing or extra) is a warning located the same way.
//! Unusual but valid input still generates.

use std::path::{Path, PathBuf};

use client_generator::{cli, generate, output};
use tests::{options, workspace_root};

fn bad(name: &str) -> PathBuf {
    workspace_root().join("tests/fixtures/bad").join(name)
}

/// Generates `spec` over an existing crate directory and returns the error,
/// checking that the directory is untouched and the message names the file.
fn refused(spec: &Path) -> String {
    let out = tempfile::tempdir().unwrap();
    let before = generate(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n",
        &options("previous"),
    )
    .unwrap();
    output::write(out.path(), &before).unwrap();

    let error = match cli::generate_file(spec, &options("x"), None) {
        Ok(_) => panic!("{} generated", spec.display()),
        Err(error) => error,
    };
    assert!(
        error.starts_with(&format!("{}: #", spec.display())),
        "the message names the file, then the pointer: {error}"
    );
    assert!(
        output::diff(out.path(), &before).unwrap().is_empty(),
        "the output directory changed"
    );
    error
}

#[test]
fn text_that_is_not_a_document_is_refused_at_its_line() {
    let truncated = refused(&bad("truncated.yaml"));
    assert!(
        truncated.contains("# (line 8): not a YAML or JSON document"),
        "{truncated}"
    );
    let truncated_json = refused(&bad("truncated.json"));
    assert!(
        truncated_json.contains("(line 2): not a YAML or JSON document: EOF while parsing"),
        "{truncated_json}"
    );
    let prose = refused(&bad("prose.yaml"));
    assert!(
        prose.contains("# (line 1): an OpenAPI document must be a mapping"),
        "{prose}"
    );
    let empty = refused(&bad("empty.yaml"));
    assert!(
        empty.contains(": #: an OpenAPI document must be a mapping"),
        "{empty}"
    );
}

#[test]
fn bytes_that_are_not_text_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("binary.yaml");
    std::fs::write(&path, b"openapi: \xff\xfe\x00binary").unwrap();
    let error = refused(&path);
    assert!(
        error.contains("#: not a YAML or JSON document: not UTF-8 text (byte 9"),
        "{error}"
    );
}

/// Nine aliases of nine aliases, twelve levels deep: 9^12 nodes if expanded.
#[test]
fn a_yaml_bomb_is_refused_without_expanding_it() {
    let mut text = String::from(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\nx-bomb:\n  a0: &a0 [x, x, x, x, x, x, x, x, x]\n",
    );
    for level in 1..12 {
        let previous = format!("*a{}", level - 1);
        let items = [previous.as_str(); 9].join(", ");
        text.push_str(&format!("  a{level}: &a{level} [{items}]\n"));
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.yaml");
    std::fs::write(&path, text).unwrap();
    let error = refused(&path);
    assert!(error.contains("repetition limit exceeded"), "{error}");
}

#[test]
fn other_openapi_versions_are_refused_by_name() {
    let newer = refused(&bad("openapi_4.yaml"));
    assert!(
        newer.ends_with(
            "#/openapi (line 1): OpenAPI 4.0.0 is not supported: OpenAPI 3.0.x and 3.1.x only"
        ),
        "{newer}"
    );
    let older = refused(&bad("swagger_2.yaml"));
    assert!(
        older.ends_with(
            "#/swagger (line 1): Swagger (OpenAPI 2.0) is not supported: OpenAPI 3.0.x and 3.1.x only"
        ),
        "{older}"
    );
}

#[test]
fn bad_refs_are_located() {
    let nowhere = refused(&bad("ref_nowhere.yaml"));
    assert!(
        nowhere.contains("#/paths/~1a/get/responses/200/content/application~1json/schema (line 11): `$ref: #/components/schemas/Missing` points to no schema"),
        "{nowhere}"
    );
    let other_file = refused(&bad("ref_other_file.yaml"));
    assert!(
        other_file.contains("#/components/schemas/A/properties/b (line 9):"),
        "{other_file}"
    );
    assert!(
        other_file.contains("other.yaml: cannot read it"),
        "{other_file}"
    );
    let cycle = refused(&bad("ref_cycle.yaml"));
    assert!(
        cycle.contains("#/components/schemas/A (line 6):"),
        "{cycle}"
    );
    assert!(cycle.contains("cycle"), "{cycle}");
}

/// openapiv3 deserialises a failing item a second time from another
/// representation, and panicked when the two passes disagreed; the document
/// is read so that they cannot.
#[test]
fn a_document_openapiv3_once_panicked_on_is_located() {
    let error = refused(&bad("header_schema_and_content.yaml"));
    assert!(
        error.contains("#/components/headers/H (line 8): not a valid OpenAPI 3.0 document"),
        "{error}"
    );
    assert!(!error.contains("internal error"), "{error}");
}

#[test]
fn duplicate_operation_ids_are_refused_and_path_mistakes_are_located_warnings() {
    let duplicate = refused(&bad("duplicate_operation_id.yaml"));
    assert!(
        duplicate.contains("#/paths/~1b/get/operationId (line 10): operationId `fetch` is already used at #/paths/~1a/get"),
        "{duplicate}"
    );
    // One operation's path mistake never sinks the document: it is mended,
    // with a warning at its pointer and line.
    let warning = |name: &str| {
        let generation = cli::generate_file(&bad(name), &options("x"), None)
            .unwrap_or_else(|error| panic!("{name}: {error}"));
        assert_eq!(generation.fallbacks.len(), 1, "{:?}", generation.fallbacks);
        generation.fallbacks[0].to_string()
    };
    let missing = warning("path_parameter_missing.yaml");
    assert!(
        missing.starts_with("#/paths/~1keys~1{keyId}/get (line 5): the path has `{keyId}`"),
        "{missing}"
    );
    let extra = warning("path_parameter_extra.yaml");
    assert!(
        extra.starts_with("#/paths/~1keys/get/parameters (line 7): path parameter `keyId`"),
        "{extra}"
    );
}

/// A chain of 300 object schemas, each holding the next, the last holding
/// the first: legal, and every link must still generate (boxed).
#[test]
fn deep_recursion_through_objects_generates() {
    let mut text = String::from(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n",
    );
    for index in 0..300 {
        let next = (index + 1) % 300;
        text.push_str(&format!(
            "    Node{index}:\n      type: object\n      required: [next]\n      properties:\n        next: {{$ref: '#/components/schemas/Node{next}'}}\n"
        ));
    }
    let files = generate(&text, &options("deep")).expect("deep recursion is legal");
    let types = &files
        .iter()
        .find(|f| f.path == "src/types.rs")
        .unwrap()
        .contents;
    assert_eq!(
        types.matches("pub next: Box<Node").count(),
        300,
        "every link is boxed"
    );
}

/// A synthetic spec of 10,000 operations generates, with a method and a
/// builder for each.
#[test]
fn ten_thousand_operations_generate() {
    let mut text = String::from("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n");
    for index in 0..10_000 {
        text.push_str(&format!(
            "  /items{index}/{{id}}:\n    get:\n      operationId: getItem{index}\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: string}}}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{type: object, properties: {{name: {{type: string}}}}}}\n"
        ));
    }
    let files = generate(&text, &options("large")).expect("a large spec generates");
    let operations = &files
        .iter()
        .find(|f| f.path == "src/operations.rs")
        .unwrap()
        .contents;
    assert_eq!(operations.matches("\n    pub fn get_item").count(), 10_000);
    assert_eq!(operations.matches("\npub struct GetItem").count(), 10_000);
}
