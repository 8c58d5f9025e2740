//! Specs the generator cannot map give an error at the construct's JSON
//! pointer, never a panic.

use client_generator::generate;
use tests::options;

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
fn unsupported_schema_combinators_are_located() {
    let error = error_for(&spec(
        "paths: {}\ncomponents:\n  schemas:\n    Pet:\n      type: object\n      properties:\n        kind:\n          oneOf: [{type: string}, {type: integer}]\n",
    ));
    assert_eq!(error.pointer, "#/components/schemas/Pet/properties/kind");
    assert!(error.message.contains("oneOf"), "{error}");
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
fn path_templates_and_path_parameters_must_agree() {
    let error = error_for(&spec(
        "paths:\n  /a/{id}:\n    get: {responses: {'204': {description: ok}}}\n",
    ));
    assert_eq!(error.pointer, "#/paths/~1a~1{id}/get");
    assert!(error.message.contains("`{id}`"), "{error}");

    let error = error_for(&spec(
        "paths:\n  /a:\n    get:\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses: {'204': {description: ok}}\n",
    ));
    assert_eq!(error.pointer, "#/paths/~1a/get/parameters");
    assert!(error.message.contains("`id`"), "{error}");
}

#[test]
fn operations_without_success_or_with_non_json_bodies_are_located() {
    let error = error_for(&spec(
        "paths:\n  /a:\n    get: {responses: {'404': {description: no}}}\n",
    ));
    assert_eq!(error.pointer, "#/paths/~1a/get/responses");

    let error = error_for(&spec(
        "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content: {text/csv: {schema: {type: string}}}\n",
    ));
    assert_eq!(
        error.pointer,
        "#/paths/~1a/get/responses/200/content/text~1csv"
    );
}

#[test]
fn cookie_parameters_are_located() {
    let error = error_for(&spec(
        "paths:\n  /a:\n    get:\n      parameters: [{name: s, in: cookie, schema: {type: string}}]\n      responses: {'204': {description: ok}}\n",
    ));
    assert_eq!(error.pointer, "#/paths/~1a/get/parameters/0");
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
fn a_media_type_without_its_version_among_versioned_ones_is_located() {
    let error = error_for(&spec(
        "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/vnd.x.2024-01-01+json: {x-xgen-version: '2024-01-01'}\n            application/vnd.x.preview+json: {}\n",
    ));
    assert_eq!(
        error.pointer,
        "#/paths/~1a/get/responses/200/content/application~1vnd.x.preview+json"
    );
    assert!(error.message.contains("x-xgen-version"), "{error}");
}

#[test]
fn a_body_missing_a_version_the_response_offers_is_located() {
    let error = error_for(&spec(
        "paths:\n  /a:\n    post:\n      requestBody:\n        content:\n          application/vnd.x.2024-01-01+json: {x-xgen-version: '2024-01-01'}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/vnd.x.2024-01-01+json: {x-xgen-version: '2024-01-01'}\n            application/vnd.x.2025-01-01+json: {x-xgen-version: '2025-01-01'}\n",
    ));
    assert_eq!(error.pointer, "#/paths/~1a/post/requestBody/content");
    assert!(error.message.contains("`2025-01-01`"), "{error}");
}
