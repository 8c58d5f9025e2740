//! Stage 1: spec text to an `openapiv3` document.
//!
//! The YAML is read once into a `serde_yaml::Value` (JSON is YAML, so both
//! parse here); the version is checked on that, and the document is
//! deserialised from it, so a shape error names its JSON pointer.

use openapiv3::{OpenAPI, PathItem, ReferenceOr, Response};
use serde::de::DeserializeOwned;
use serde_yaml::Value;

use crate::error::{Error, Pointer};

/// Parses `text` as an OpenAPI 3.0.x document.
pub fn parse(text: &str) -> Result<OpenAPI, Error> {
    let value: Value = serde_yaml::from_str(text).map_err(|error| Error {
        pointer: Pointer::root().to_string(),
        line: error.location().map(|location| location.line()),
        message: format!("not a YAML or JSON document: {error}"),
    })?;
    check_version(&value)?;
    match serde_path_to_error::deserialize(&value) {
        Ok(doc) => Ok(doc),
        Err(error) => {
            let located = (
                extend(&Pointer::root(), error.path()),
                error.inner().to_string(),
            );
            let (pointer, message) = refine(&value, located);
            Err(Error::at(
                &pointer,
                format!("not a valid OpenAPI 3.0 document: {message}"),
            ))
        }
    }
}

/// openapiv3 flattens extensions into most of its structs, which hides from
/// serde where below a path item a failure is. This walks down the usual
/// places (operations, their parameters, body and responses) deserialising
/// one node at a time. Only runs once the document has failed.
fn refine(value: &Value, located: (Pointer, String)) -> (Pointer, String) {
    let paths = Pointer::root().join("paths");
    if located.0 != paths {
        return located;
    }
    let Value::Mapping(items) = &value["paths"] else {
        return located;
    };
    for (path, item) in items {
        let at_item = paths.join(key_text(path));
        let Some(item_failure) = failure::<ReferenceOr<PathItem>>(item, &at_item) else {
            continue;
        };
        let Value::Mapping(methods) = item else {
            return item_failure;
        };
        for (method, operation) in methods {
            let method = key_text(method);
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let at = at_item.join(&method);
            if failure::<openapiv3::Operation>(operation, &at).is_some() {
                return operation_failure(operation, &at).unwrap_or(item_failure);
            }
        }
        return item_failure;
    }
    located
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The failing part of an operation that does not deserialise.
fn operation_failure(operation: &Value, at: &Pointer) -> Option<(Pointer, String)> {
    if let Value::Sequence(parameters) = &operation["parameters"] {
        let at = at.join("parameters");
        let found = parameters
            .iter()
            .enumerate()
            .find_map(|(index, parameter)| {
                failure::<ReferenceOr<openapiv3::Parameter>>(parameter, &at.join(index))
            });
        if found.is_some() {
            return found;
        }
    }
    if let Some(body) = operation.get("requestBody") {
        if let Some(found) =
            failure::<ReferenceOr<openapiv3::RequestBody>>(body, &at.join("requestBody"))
        {
            return Some(found);
        }
    }
    let at = at.join("responses");
    match &operation["responses"] {
        Value::Mapping(responses) => responses.iter().find_map(|(status, response)| {
            failure::<ReferenceOr<Response>>(response, &at.join(key_text(status)))
        }),
        other => failure::<openapiv3::Responses>(other, &at),
    }
}

/// Where and why `value` does not deserialise as `T`, below `at`.
fn failure<T: DeserializeOwned>(value: &Value, at: &Pointer) -> Option<(Pointer, String)> {
    let error = serde_path_to_error::deserialize::<_, T>(value).err()?;
    Some((extend(at, error.path()), error.inner().to_string()))
}

/// A mapping key as text; YAML allows numbers (`200:`) and other scalars.
fn key_text(key: &Value) -> String {
    match key {
        Value::String(key) => key.clone(),
        Value::Number(number) => number.to_string(),
        Value::Bool(flag) => flag.to_string(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_owned(),
    }
}

fn extend(base: &Pointer, path: &serde_path_to_error::Path) -> Pointer {
    path.iter().fold(base.clone(), |pointer, segment| {
        pointer.join(segment_text(segment))
    })
}

fn segment_text(segment: &serde_path_to_error::Segment) -> String {
    use serde_path_to_error::Segment;
    match segment {
        Segment::Seq { index } => index.to_string(),
        Segment::Map { key } | Segment::Enum { variant: key } => key.clone(),
        Segment::Unknown => "?".to_owned(),
    }
}

fn check_version(value: &Value) -> Result<(), Error> {
    let root = Pointer::root();
    if !value.is_mapping() {
        return Err(Error::at(&root, "an OpenAPI document must be a mapping"));
    }
    if value.get("swagger").is_some() {
        return Err(Error::at(
            &root.join("swagger"),
            "Swagger 2.0 is not supported: OpenAPI 3.0.x only",
        ));
    }
    match value.get("openapi") {
        Some(Value::String(version)) if version.starts_with("3.0.") => Ok(()),
        Some(Value::String(version)) => Err(Error::at(
            &root.join("openapi"),
            format!("OpenAPI {version} is not supported: OpenAPI 3.0.x only"),
        )),
        Some(_) => Err(Error::at(
            &root.join("openapi"),
            "the version must be a string such as \"3.0.3\"",
        )),
        None => Err(Error::at(&root, "no `openapi` version: OpenAPI 3.0.x only")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_other_versions_with_a_located_message() {
        let error =
            parse("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n").unwrap_err();
        assert_eq!(error.pointer, "#/openapi");
        assert!(error.message.contains("OpenAPI 3.0.x only"), "{error}");

        let error = parse("swagger: '2.0'\n").unwrap_err();
        assert_eq!(error.pointer, "#/swagger");
    }

    #[test]
    fn yaml_errors_carry_a_line() {
        let error = parse("openapi: 3.0.3\ninfo: [unclosed\n").unwrap_err();
        assert_eq!(error.pointer, "#");
        assert!(error.line.is_some(), "{error}");
    }

    #[test]
    fn shape_errors_name_the_pointer() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 7\n";
        let error = parse(text).unwrap_err();
        assert_eq!(error.pointer, "#/paths/~1a/get/responses", "{error}");

        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {content: 5}\n";
        let error = parse(text).unwrap_err();
        // `ReferenceOr` is untagged, so serde cannot see past the response itself.
        assert_eq!(error.pointer, "#/paths/~1a/get/responses/200", "{error}");
    }
}
