//! Where a document that openapiv3 cannot read fails, as a JSON pointer
//! and a message.
//!
//! openapiv3 flattens extensions into most of its structs, which hides from
//! serde where below a path item a failure is. This walks down the usual
//! places (operations, their parameters, body and responses) deserialising
//! one node at a time. It only runs once the document has failed.

use openapiv3::{PathItem, ReferenceOr, Response};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::METHODS;
use crate::error::Pointer;

/// Where and why `value` failed to deserialise with `error`.
pub fn locate(
    value: &Value,
    error: &serde_path_to_error::Error<serde_json::Error>,
) -> (Pointer, String) {
    let located = (
        extend(&Pointer::root(), error.path()),
        error.inner().to_string(),
    );
    refine(value, located)
}

/// The place below `#/paths` that fails, when the first failure is there.
fn refine(value: &Value, located: (Pointer, String)) -> (Pointer, String) {
    let paths = Pointer::root().join("paths");
    if located.0 != paths {
        return located;
    }
    let Value::Object(items) = &value["paths"] else {
        return located;
    };
    for (path, item) in items {
        let at_item = paths.join(path);
        let Some(item_failure) = failure::<ReferenceOr<PathItem>>(item, &at_item) else {
            continue;
        };
        let Value::Object(methods) = item else {
            return item_failure;
        };
        for (method, operation) in methods {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let at = at_item.join(method);
            if failure::<openapiv3::Operation>(operation, &at).is_some() {
                return operation_failure(operation, &at).unwrap_or(item_failure);
            }
        }
        return item_failure;
    }
    located
}

/// The failing part of an operation that does not deserialise.
fn operation_failure(operation: &Value, at: &Pointer) -> Option<(Pointer, String)> {
    if let Value::Array(parameters) = &operation["parameters"] {
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
        Value::Object(responses) => responses.iter().find_map(|(status, response)| {
            failure::<ReferenceOr<Response>>(response, &at.join(status))
        }),
        other => failure::<openapiv3::Responses>(other, &at),
    }
}

/// Where and why `value` does not deserialise as `T`, below `at`.
fn failure<T: DeserializeOwned>(value: &Value, at: &Pointer) -> Option<(Pointer, String)> {
    let error = serde_path_to_error::deserialize::<_, T>(value).err()?;
    Some((extend(at, error.path()), error.inner().to_string()))
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
