//! Stage 1: spec text to an `openapiv3` document.
//!
//! The text is read once into a `serde_json::Value` (JSON as JSON, anything
//! else as YAML); the version is checked on that, and the document is
//! deserialised from it, so a shape error names its JSON pointer.
//!
//! Why a JSON value, even for YAML: `openapiv3`'s `ReferenceOr` deserialises
//! an item twice when it fails, once from serde's buffered copy of the input
//! and once from a `serde_json::Value` made from that copy, and panics when
//! the two disagree. Read from a YAML value they can (a flattened enum picks
//! its variant by the first matching key, and the copy keeps the YAML's key
//! order where an unordered JSON object would not); read from a JSON value
//! whose objects keep their order (`serde_json`'s `preserve_order`), both
//! passes see the same value and so give the same answer.

mod dereference;
mod external;
mod failure;
mod openapi31;
mod repair;

pub use openapi31::{DEPENDENT_REQUIRED, Moves, TUPLE};

pub use external::{Load, no_files};

use std::borrow::Cow;
use std::collections::HashMap;

use openapiv3::{OpenAPI, ReferenceOr, Schema};
use serde_json::Value;

use crate::error::{Error, Pointer};
use crate::model::Fallback;

/// The methods a path item may hold, as its keys.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Parses `text` as an OpenAPI 3.0.x or 3.1.x document that refers to no
/// other file.
pub fn parse(text: &str) -> Result<Parsed, Error> {
    parse_with(text, &mut no_files)
}

/// Parses `text` as an OpenAPI 3.0.x or 3.1.x document, bringing in the
/// files its references name through `load`.
pub fn parse_with(text: &str, load: &mut Load<'_>) -> Result<Parsed, Error> {
    let mut value = read(text)?;
    let bundled = external::bundle(&mut value, load)?;
    let mut parsed = document(&value)?;
    if bundled {
        parsed.bundled = Some(serde_json::to_string_pretty(&value).map_err(|error| {
            Error::at(&Pointer::root(), format!("the bundled document: {error}"))
        })?);
    }
    Ok(parsed)
}

/// The text as a value: JSON when it is a JSON object (JSON's escapes,
/// such as surrogate pairs, are not all valid YAML), otherwise YAML.
pub fn read(text: &str) -> Result<Value, Error> {
    let not_a_document = |line: Option<usize>, error: &dyn std::fmt::Display| Error {
        line,
        ..Error::at(
            &Pointer::root(),
            format!("not a YAML or JSON document: {error}"),
        )
    };
    let json = text
        .trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n'])
        .starts_with('{');
    let json_error = match json.then(|| serde_json::from_str(text)) {
        Some(Ok(value)) => return Ok(value),
        Some(Err(error)) => Some(error),
        None => None,
    };
    // A YAML flow mapping also starts with `{`, so JSON that fails is tried
    // as YAML; when that fails too, the JSON error is the one that helps.
    serde_yaml::from_str(text).map_err(|yaml_error| match json_error {
        Some(error) => not_a_document(Some(error.line()), &error),
        None => not_a_document(
            yaml_error.location().map(|location| location.line()),
            &yaml_error,
        ),
    })
}

/// A document as openapiv3 reads it, and what was ignored or left out to
/// read it.
#[derive(Debug)]
pub struct Parsed {
    pub doc: OpenAPI,
    /// Each mistake ignored and each operation left out, located.
    pub warnings: Vec<Fallback>,
    /// The schemas that `$ref`s reach outside `#/components/schemas/<name>`
    /// (inside another schema, a parameter, a media type), by reference.
    pub elsewhere: HashMap<String, ReferenceOr<Schema>>,
    /// The document with the files it refers to brought in, as JSON, when
    /// it refers to any: what a crate keeps as its description.
    pub bundled: Option<String>,
    /// The names of a 3.1 document's webhooks, which are not operations.
    pub webhooks: Vec<String>,
    /// The items of each tuple of a 3.1 document, by the index its schema's
    /// [`TUPLE`] extension holds.
    pub tuples: Vec<Vec<ReferenceOr<Schema>>>,
    /// Where reading a 3.1 document as 3.0 moved schemas: a pointer into
    /// `doc` as the description has it is [`Moves::original`]. The
    /// warnings above are still in `doc`'s places.
    pub moves: Moves,
}

/// The document `value` holds, once its version is one this reads.
/// A 3.1 document is first rewritten as 3.0 (see `openapi31.rs`).
/// Mistakes with one obvious meaning are mended (see `repair.rs`), and an
/// operation openapiv3 cannot read is left out, so that one odd operation
/// never sinks the document; anything else it cannot read refuses it.
pub fn document(value: &Value) -> Result<Parsed, Error> {
    let version = check_version(value)?;
    let mut warnings = Vec::new();
    let mut value = Cow::Borrowed(value);
    let lifted = match version {
        "3.1" => openapi31::rewrite(value.to_mut(), &mut warnings),
        _ => openapi31::Lifted::default(),
    };
    repair::mend(&mut value, &mut warnings);
    dereference::foreign_references(&mut value);
    loop {
        let error = match serde_path_to_error::deserialize(&*value) {
            Ok(doc) => {
                let elsewhere = schemas_elsewhere(&value);
                let tuples = lifted
                    .tuples
                    .into_iter()
                    .map(|items| items.into_iter().map(tuple_item).collect())
                    .collect();
                return Ok(Parsed {
                    doc,
                    warnings,
                    elsewhere,
                    bundled: None,
                    webhooks: lifted.webhooks,
                    tuples,
                    moves: lifted.moves,
                });
            }
            Err(error) => error,
        };
        let (pointer, message) = failure::locate(&value, &error);
        if !repair::leave_out_operations(&mut value, &pointer, &message, &mut warnings) {
            let pointer =
                Pointer::from_ref(&lifted.moves.original(&pointer.to_string())).unwrap_or(pointer);
            return Err(Error::at(
                &pointer,
                format!("not a valid OpenAPI {version} document: {message}"),
            ));
        }
    }
}

/// Every schema a `$ref` of `value` points to other than a component
/// schema, read where it points; one that is no schema is left out, for
/// lowering to report where it is used.
fn schemas_elsewhere(value: &Value) -> HashMap<String, ReferenceOr<Schema>> {
    let mut found = HashMap::new();
    let mut pending = vec![value];
    while let Some(node) = pending.pop() {
        match node {
            Value::Object(object) => {
                if let Some(Value::String(reference)) = object.get("$ref") {
                    let target = Pointer::from_ref(reference).filter(|pointer| {
                        !matches!(
                            pointer.segments().collect::<Vec<_>>().as_slice(),
                            [components, _, _] if components == "components"
                        )
                    });
                    if let Some(pointer) = target.filter(|_| !found.contains_key(reference)) {
                        let json_pointer = pointer.to_string().split_off(1);
                        let schema = value
                            .pointer(&json_pointer)
                            .and_then(|target| serde_json::from_value(target.clone()).ok());
                        if let Some(schema) = schema {
                            found.insert(reference.clone(), schema);
                        }
                    }
                }
                pending.extend(object.values());
            }
            Value::Array(items) => pending.extend(items),
            _ => {}
        }
    }
    found
}

/// A tuple's item as openapiv3 reads it; one it cannot read takes any
/// value, as an item of a list without `items` does.
fn tuple_item(item: Value) -> ReferenceOr<Schema> {
    serde_json::from_value(item).unwrap_or_else(|_| {
        ReferenceOr::Item(Schema {
            schema_data: Default::default(),
            schema_kind: openapiv3::SchemaKind::Any(Default::default()),
        })
    })
}

/// The versions read, for messages.
const READ: &str = "OpenAPI 3.0.x and 3.1.x only";

/// The document's OpenAPI minor version (`3.0` or `3.1`), when it is one
/// this reads.
fn check_version(value: &Value) -> Result<&'static str, Error> {
    let root = Pointer::root();
    if !value.is_object() {
        return Err(Error::at(&root, "an OpenAPI document must be a mapping"));
    }
    if let Some(version) = value.get("swagger") {
        let version = version.as_str().unwrap_or("2.0");
        return Err(Error::at(
            &root.join("swagger"),
            format!("Swagger (OpenAPI {version}) is not supported: {READ}"),
        ));
    }
    match value.get("openapi") {
        Some(Value::String(version)) if version.starts_with("3.0.") => Ok("3.0"),
        Some(Value::String(version)) if version.starts_with("3.1.") => Ok("3.1"),
        Some(Value::String(version)) => Err(Error::at(
            &root.join("openapi"),
            format!("OpenAPI {version} is not supported: {READ}"),
        )),
        Some(_) => Err(Error::at(
            &root.join("openapi"),
            "the version must be a string such as \"3.0.3\"",
        )),
        None => Err(Error::at(&root, format!("no `openapi` version: {READ}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_other_versions_by_name_with_a_located_message() {
        for (text, pointer, named) in [
            (
                "openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
                "#/openapi",
                "OpenAPI 4.0.0 is not supported",
            ),
            (
                "openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
                "#/openapi",
                "OpenAPI 3.2.0 is not supported",
            ),
            (
                "openapi: 2.0.0\n",
                "#/openapi",
                "OpenAPI 2.0.0 is not supported",
            ),
            (
                "swagger: '2.0'\n",
                "#/swagger",
                "Swagger (OpenAPI 2.0) is not supported",
            ),
        ] {
            let error = parse(text).unwrap_err();
            assert_eq!(error.pointer, pointer, "{text}");
            assert!(error.message.contains(named), "{error}");
            assert!(
                error.message.contains("OpenAPI 3.0.x and 3.1.x only"),
                "{error}"
            );
        }
        let read = parse("openapi: 3.1.1\ninfo: {title: t, version: '1'}\npaths: {}\n");
        assert!(read.is_ok(), "{read:?}");
    }

    #[test]
    fn yaml_errors_carry_a_line() {
        let error = parse("openapi: 3.0.3\ninfo: [unclosed\n").unwrap_err();
        assert_eq!(error.pointer, "#");
        assert!(error.line.is_some(), "{error}");
    }

    #[test]
    fn json_is_read_as_json_and_yaml_flow_mappings_as_yaml() {
        // A surrogate pair is a valid JSON escape and not a valid YAML one.
        let json = r#"{"openapi": "3.0.3", "info": {"title": "\uD83D\uDE00", "version": "1"}, "paths": {}}"#;
        assert_eq!(parse(json).unwrap().doc.info.title, "\u{1F600}");
        let flow = "{openapi: 3.0.3, info: {title: t, version: '1'}, paths: {}}";
        assert_eq!(parse(flow).unwrap().doc.info.title, "t");

        let error = parse("{\"openapi\": \"3.0.3\",\n \"info\": {\"title\": \"t\",\n").unwrap_err();
        assert_eq!(
            (error.pointer.as_str(), error.line),
            ("#", Some(3)),
            "{error}"
        );
    }

    #[test]
    fn yaml_keys_that_are_numbers_read_as_text() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        200: {description: ok}\n";
        let doc = parse(text).unwrap().doc;
        assert_eq!(doc.paths.paths.len(), 1);
    }

    #[test]
    fn the_document_keeps_the_order_of_its_keys() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /z: {}\n  /a: {}\n  /m: {}\n";
        let paths: Vec<_> = parse(text).unwrap().doc.paths.paths.into_keys().collect();
        assert_eq!(paths, ["/z", "/a", "/m"]);
    }

    #[test]
    fn a_value_openapiv3_reads_two_ways_is_an_error_not_a_panic() {
        // `schema: null` before `content`: openapiv3 used to pick the
        // variant by the first key in one pass and the sorted first in the
        // other, and panicked when they differed.
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  headers:\n    H:\n      schema:\n      content:\n          schema:\n            $ref: '#/components/schemas/E'\n";
        let error = parse(text).unwrap_err();
        assert!(error.pointer.starts_with("#/components"), "{error}");
    }

    #[test]
    fn shape_errors_in_an_operation_name_the_pointer_in_its_warning() {
        let reason = |text: &str| {
            let mut warnings = parse(text).unwrap().warnings;
            assert_eq!(warnings.len(), 1, "{warnings:?}");
            let warning = warnings.remove(0);
            assert_eq!(warning.pointer, "#/paths/~1a/get");
            assert!(warning.operation_left_out);
            warning.reason
        };
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 7\n";
        let why = reason(text);
        assert!(why.contains("(at #/paths/~1a/get/responses)"), "{why}");

        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {content: 5}\n";
        // `ReferenceOr` is untagged, so serde cannot see past the response itself.
        let why = reason(text);
        assert!(why.contains("(at #/paths/~1a/get/responses/200)"), "{why}");
    }
}
