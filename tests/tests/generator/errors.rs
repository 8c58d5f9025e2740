//! Specs the generator cannot use give an error at the construct's JSON
//! pointer, never a panic; constructs it cannot map in an otherwise usable
//! spec give a located fallback warning instead.

use client_generator::{generate, regenerate};
use tests::options;

/// The one fallback warning of a spec that generates.
fn only_fallback(spec: &str) -> client_generator::Error {
    let mut fallbacks = match regenerate(spec, &options("x"), None) {
        Ok(generation) => generation.fallbacks,
        Err(error) => panic!("expected a generation, got {error} for:\n{spec}"),
    };
    assert_eq!(fallbacks.len(), 1, "{fallbacks:?}");
    fallbacks.remove(0)
}

fn error_for(spec: &str) -> client_generator::Error {
    let options = options("x");
    match generate(spec, &options) {
        Ok(_) => panic!("expected an error for:\n{spec}"),
        Err(error) => error,
    }
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

fn spec(rest: &str) -> String {
    format!("{HEAD}{rest}")
}

#[test]
fn a_schema_without_a_rust_type_falls_back_to_json_with_a_located_warning() {
    let fallback = only_fallback(&spec(
        "paths: {}\ncomponents:\n  schemas:\n    Pet:\n      type: object\n      properties:\n        kind:\n          not: {type: string}\n",
    ));
    assert_eq!(fallback.pointer, "#/components/schemas/Pet/properties/kind");
    assert_eq!(fallback.line, Some(9));
    assert!(
        fallback.message.contains("serde_json::Value"),
        "{}",
        fallback
    );
}

#[test]
fn a_ref_to_nowhere_is_located() {
    let error = error_for(&spec(
        "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Missing'}\n",
    ));
    assert_eq!(
        error.pointer,
        "#/paths/~1a/get/responses/200/content/application~1json/schema"
    );
    assert!(error.message.contains("points to no schema"), "{error}");
}

#[test]
fn a_ref_to_another_file_is_located() {
    let error = error_for(&spec(
        "paths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {$ref: 'other.yaml#/components/schemas/B'}\n",
    ));
    assert_eq!(error.pointer, "#/components/schemas/A/properties/b");
    assert!(error.message.contains("another document"), "{error}");
}

#[test]
fn a_ref_cycle_without_an_object_is_refused() {
    let error = error_for(&spec(
        "paths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n",
    ));
    assert_eq!(error.pointer, "#/components/schemas/A");
    assert!(error.message.contains("cycle"), "{error}");
}

#[test]
fn duplicate_operation_ids_are_located() {
    let error = error_for(&spec(
        "paths:\n  /a:\n    get: {operationId: same, responses: {'204': {description: ok}}}\n  /b:\n    get: {operationId: same, responses: {'204': {description: ok}}}\n",
    ));
    assert_eq!(error.pointer, "#/paths/~1b/get/operationId");
    assert!(error.message.contains("#/paths/~1a/get"), "{error}");
}

#[test]
fn path_templates_and_path_parameters_are_made_to_agree_with_a_warning() {
    let fallback = only_fallback(&spec(
        "paths:\n  /a/{id}:\n    get: {responses: {'204': {description: ok}}}\n",
    ));
    assert_eq!(fallback.pointer, "#/paths/~1a~1{id}/get");
    assert!(fallback.message.contains("`{id}`"), "{fallback}");

    let fallback = only_fallback(&spec(
        "paths:\n  /a:\n    get:\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses: {'204': {description: ok}}\n",
    ));
    assert_eq!(fallback.pointer, "#/paths/~1a/get/parameters");
    assert!(fallback.message.contains("`id`"), "{fallback}");
}

#[test]
fn operations_without_success_generate_a_call_with_no_body_type() {
    let files = generate(
        &spec(
            "paths:\n  /a:\n    get: {operationId: probe, responses: {'404': {description: no}}}\n",
        ),
        &options("x"),
    )
    .unwrap();
    let operations = &files
        .iter()
        .find(|f| f.path == "src/operations.rs")
        .unwrap()
        .contents;
    assert!(
        operations.contains("documents no success answer, so any 2xx status succeeds"),
        "{operations}"
    );
    // Read as an answer without a body.
    assert!(
        operations.contains("Sending<'a, answer::Empty<serde_json::Value>>"),
        "{operations}"
    );
}

#[test]
fn cookie_parameters_are_left_out_with_a_located_warning() {
    let fallback = only_fallback(&spec(
        "paths:\n  /a:\n    get:\n      parameters: [{name: s, in: cookie, schema: {type: string}}]\n      responses: {'204': {description: ok}}\n",
    ));
    assert_eq!(fallback.pointer, "#/paths/~1a/get/parameters/0");
    assert!(fallback.message.contains("cookie"), "{}", fallback);
}

#[test]
fn a_missing_operation_id_is_derived_from_method_and_path() {
    let options = options("x");
    let files = generate(
        &spec("paths:\n  /users/{userId}/keys:\n    get:\n      parameters: [{name: userId, in: path, required: true, schema: {type: string}}]\n      responses: {'204': {description: ok}}\n"),
        &options,
    )
    .unwrap();
    let operations = files
        .iter()
        .find(|file| file.path == "src/operations.rs")
        .unwrap();
    assert!(
        operations
            .contents
            .contains("pub fn get_users_user_id_keys<'a>"),
        "{}",
        operations.contents
    );
}

#[test]
fn a_media_type_without_its_version_among_versioned_ones_is_left_out() {
    let fallback = only_fallback(&spec(
        "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/vnd.x.2024-01-01+json: {x-xgen-version: '2024-01-01'}\n            application/vnd.x.preview+json: {}\n",
    ));
    assert_eq!(
        fallback.pointer,
        "#/paths/~1a/get/responses/200/content/application~1vnd.x.preview+json"
    );
    assert!(
        fallback.message.contains("names no API version"),
        "{}",
        fallback
    );
}

#[test]
fn a_version_the_body_lacks_is_left_out() {
    let fallback = only_fallback(&spec(
        "paths:\n  /a:\n    post:\n      requestBody:\n        content:\n          application/vnd.x.2024-01-01+json: {x-xgen-version: '2024-01-01'}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/vnd.x.2024-01-01+json: {x-xgen-version: '2024-01-01'}\n            application/vnd.x.2025-01-01+json: {x-xgen-version: '2025-01-01'}\n",
    ));
    assert_eq!(fallback.pointer, "#/paths/~1a/post/requestBody/content");
    assert!(fallback.message.contains("`2025-01-01`"), "{}", fallback);
}

#[test]
fn an_unlabelled_body_takes_the_version_of_the_same_media_type() {
    let generation = regenerate(
        &spec(
            "paths:\n  /a:\n    post:\n      operationId: make\n      requestBody:\n        content:\n          application/vnd.x.2024-01-01+json: {schema: {type: object, properties: {a: {type: string}}}}\n      responses:\n        '201':\n          description: ok\n          content:\n            application/vnd.x.2024-01-01+json: {x-xgen-version: '2024-01-01', schema: {type: string}}\n",
        ),
        &options("x"),
        None,
    )
    .unwrap();
    assert_eq!(generation.fallbacks, []);
    let module = generation
        .files
        .iter()
        .find(|file| file.path == "src/v2024_01_01.rs")
        .expect("a module for the version");
    assert!(
        module
            .contents
            .contains("request.json_body(\"application/vnd.x.2024-01-01+json\", body);"),
        "{}",
        module.contents
    );
}

/// A 3.1 document's errors and warnings name its own places and lines,
/// though it is read through its 3.0 spelling.
#[test]
fn a_3_1_document_is_located_as_written() {
    let head = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n";
    let error = error_for(&format!(
        "{head}components:\n  schemas:\n    A:\n      type: [object, 'null']\n      properties:\n        b:\n          $ref: '#/components/schemas/Missing'\n          description: gone\n"
    ));
    // Read as `allOf: [$ref]` beside the description, named as written.
    assert_eq!(error.pointer, "#/components/schemas/A/properties/b");
    assert_eq!(error.line, Some(8), "{error}");
    assert!(error.message.contains("points to no schema"), "{error}");

    let fallback = only_fallback(&format!(
        "{head}components:\n  schemas:\n    A:\n      type: object\n      properties:\n        b:\n          type: [string, 'null']\n          if: {{maxLength: 1}}\n          then: {{pattern: a}}\n"
    ));
    assert_eq!(fallback.pointer, "#/components/schemas/A/properties/b/if");
    assert_eq!(fallback.line, Some(10), "{fallback}");

    // A shape error in a 3.1 document is refused as one, at its place.
    let error = error_for(&format!(
        "{head}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties: 7\n"
    ));
    assert!(error.message.contains("OpenAPI 3.1 document"), "{error}");
    assert!(
        error.pointer.starts_with("#/components/schemas/A"),
        "{error}"
    );
}
