//! What the reader forgives, each with a located warning: mistakes real
//! descriptions make that have one obvious meaning (mended before reading),
//! and operations openapiv3 cannot read (left out, so that one odd
//! operation never sinks the document).

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::METHODS;
use crate::error::Pointer;
use crate::model::Fallback;

/// Mends the mistakes of `value` that have one obvious meaning:
/// - `required: true` (or `false`) inside a schema, where a list of
///   property names belongs: ignored;
/// - `examples` that is not a map of named examples (a string or a list
///   where a schema's `example` was meant): ignored;
/// - an integer schema's bound or `multipleOf` written as a float: the
///   integer it is (`1.0` is `1`), or, when it is none or does not fit 64
///   bits, ignored.
pub fn mend(value: &mut Cow<'_, Value>, warnings: &mut Vec<Fallback>) {
    let mut mistakes = Vec::new();
    find_in_document(value, &Pointer::root(), &mut mistakes);
    if mistakes.is_empty() {
        return;
    }
    let value = value.to_mut();
    for Mistake {
        at,
        key,
        mended,
        reason,
    } in mistakes
    {
        if let Some(Value::Object(owner)) = value.pointer_mut(&json_pointer(&at)) {
            match mended {
                Some(mended) => owner.insert(key.to_owned(), mended),
                None => owner.remove(key),
            };
        }
        if let Some(reason) = reason {
            warnings.push(Fallback {
                pointer: at.join(key).to_string(),
                reason: reason.to_owned(),
                operation_left_out: false,
            });
        }
    }
}

/// A mistake: the object it is in, its key, its mended value (`None` to
/// remove it), and the warning it gives, if any.
struct Mistake {
    at: Pointer,
    key: &'static str,
    mended: Option<Value>,
    reason: Option<&'static str>,
}

impl Mistake {
    fn ignored(at: &Pointer, key: &'static str, reason: &'static str) -> Self {
        Self {
            at: at.clone(),
            key,
            mended: None,
            reason: Some(reason),
        }
    }
}

/// Keys whose values are data (examples, defaults, enumerations) or
/// extensions, never OpenAPI objects to look into.
pub(super) fn is_data(key: &str) -> bool {
    matches!(key, "example" | "default" | "enum") || key.starts_with("x-")
}

/// Walks the document outside schemas: every `schema` (and each of
/// `components/schemas`) starts a schema.
fn find_in_document(value: &Value, at: &Pointer, mistakes: &mut Vec<Mistake>) {
    match value {
        Value::Object(object) => {
            for (key, child) in object {
                let at_child = at.join(key);
                match key.as_str() {
                    "schema" => find_in_schema(child, &at_child, mistakes),
                    "schemas" if at.to_string() == "#/components" => {
                        for (name, schema) in child.as_object().into_iter().flatten() {
                            find_in_schema(schema, &at_child.join(name), mistakes);
                        }
                    }
                    "examples" if !child.is_object() => mistakes.push(Mistake::ignored(
                        at,
                        "examples",
                        "`examples` here is a map of named examples; this one is not, and is ignored",
                    )),
                    "encoding" if child.is_object() => {
                        explode_by_default(child, &at_child, mistakes);
                        find_in_document(child, &at_child, mistakes);
                    }
                    key if is_data(key) => {}
                    _ => find_in_document(child, &at_child, mistakes),
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                find_in_document(item, &at.join(index), mistakes);
            }
        }
        _ => {}
    }
}

/// Writes out `explode: true` where a media type's `encoding` of a
/// property leaves it out in `form` style, as OpenAPI's default says:
/// openapiv3 reads an absent `explode` as false, which would join arrays
/// the document means to repeat. Not a mistake, so no warning.
fn explode_by_default(encoding: &Value, at: &Pointer, mistakes: &mut Vec<Mistake>) {
    for (property, entry) in encoding.as_object().into_iter().flatten() {
        let Value::Object(entry) = entry else {
            continue;
        };
        let form_style = entry.get("style").is_none_or(|style| style == "form");
        if form_style && !entry.contains_key("explode") {
            mistakes.push(Mistake {
                at: at.join(property),
                key: "explode",
                mended: Some(Value::Bool(true)),
                reason: None,
            });
        }
    }
}

/// Walks a schema and the schemas inside it.
fn find_in_schema(schema: &Value, at: &Pointer, mistakes: &mut Vec<Mistake>) {
    let Value::Object(schema) = schema else {
        return;
    };
    if schema.get("required").is_some_and(Value::is_boolean) {
        mistakes.push(Mistake::ignored(
            at,
            "required",
            "`required` in a schema lists property names; a true or false here means nothing and is ignored",
        ));
    }
    if schema.get("type").and_then(Value::as_str) == Some("integer") {
        for key in ["minimum", "maximum", "multipleOf"] {
            if let Some(Value::Number(number)) = schema.get(key) {
                mistakes.extend(integer_bound(number, at, key));
            }
        }
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(child) = schema.get(key) {
            find_in_schema(child, &at.join(key), mistakes);
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        let members = schema.get(key).and_then(Value::as_array);
        for (index, member) in members.into_iter().flatten().enumerate() {
            find_in_schema(member, &at.join(key).join(index), mistakes);
        }
    }
    if let Some(Value::Object(properties)) = schema.get("properties") {
        find_in_properties(properties, &at.join("properties"), mistakes);
    }
}

/// The mending an integer schema's numeric keyword needs, if any: a float
/// that is an integer becomes one; other floats, and integers beyond 64
/// signed bits (which openapiv3 cannot hold), are ignored.
fn integer_bound(number: &serde_json::Number, at: &Pointer, key: &'static str) -> Option<Mistake> {
    if number.is_i64() {
        return None;
    }
    let integral = number.as_f64().filter(|float| {
        float.fract() == 0.0 && (i64::MIN as f64..=i64::MAX as f64).contains(float)
    });
    Some(match integral {
        Some(float) => Mistake {
            at: at.clone(),
            key,
            mended: Some(Value::from(float as i64)),
            reason: None,
        },
        None => Mistake::ignored(
            at,
            key,
            "an integer schema's bound must be an integer within 64 signed bits; this one is not, and is not checked before sending",
        ),
    })
}

fn find_in_properties(properties: &Map<String, Value>, at: &Pointer, mistakes: &mut Vec<Mistake>) {
    for (name, property) in properties {
        find_in_schema(property, &at.join(name), mistakes);
    }
}

/// Leaves out the operation that the failure at `pointer` is in (or every
/// operation of its path item, when the path item itself fails), with a
/// warning each; `false` when the failure is in no operation.
pub fn leave_out_operations(
    value: &mut Cow<'_, Value>,
    pointer: &Pointer,
    message: &str,
    warnings: &mut Vec<Fallback>,
) -> bool {
    let segments: Vec<String> = pointer.segments().collect();
    let [first, path, rest @ ..] = segments.as_slice() else {
        return false;
    };
    let Some(Value::Object(item)) = value.get("paths").and_then(|paths| paths.get(path)) else {
        return false;
    };
    if first != "paths" {
        return false;
    }
    let methods: Vec<String> = item
        .keys()
        .filter(|key| METHODS.contains(&key.as_str()))
        .cloned()
        .collect();
    let at_item = Pointer::root().join("paths").join(path);
    let reason = |what: &str| {
        format!("openapiv3 cannot read {what}: {message} (at {pointer}); the operation is left out")
    };
    let paths = value.to_mut()["paths"]
        .as_object_mut()
        .expect("paths was an object a moment ago");
    match rest
        .first()
        .filter(|method| METHODS.contains(&method.as_str()))
    {
        Some(method) => {
            if let Some(Value::Object(item)) = paths.get_mut(path) {
                item.remove(method);
            }
            warnings.push(Fallback {
                pointer: at_item.join(method).to_string(),
                reason: reason("it"),
                operation_left_out: true,
            });
        }
        None => {
            paths.remove(path);
            for method in methods {
                warnings.push(Fallback {
                    pointer: at_item.join(method).to_string(),
                    reason: reason("its path item"),
                    operation_left_out: true,
                });
            }
        }
    }
    true
}

/// `at` as the RFC 6901 pointer `serde_json` takes (without the `#`).
fn json_pointer(at: &Pointer) -> String {
    at.to_string().trim_start_matches('#').to_owned()
}

#[cfg(test)]
mod tests {
    use crate::parse::parse;

    fn warnings(text: &str) -> Vec<(String, bool)> {
        let parsed = parse(text).unwrap_or_else(|error| panic!("{error}"));
        parsed
            .warnings
            .into_iter()
            .map(|warning| (warning.pointer, warning.operation_left_out))
            .collect()
    }

    const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

    #[test]
    fn a_boolean_required_in_a_schema_is_ignored_but_not_a_parameters() {
        let text = format!(
            "{HEAD}paths:
  /a:
    put:
      parameters: [{{name: q, in: query, required: true, schema: {{type: string, required: true}}}}]
      requestBody:
        required: true
        content: {{image/jpeg: {{schema: {{type: string, required: true}}}}}}
      responses: {{'204': {{description: done}}}}
components:
  schemas:
    A: {{type: object, properties: {{b: {{type: array, items: {{type: string, required: false}}}}}}}}
"
        );
        assert_eq!(
            warnings(&text),
            [
                (
                    "#/paths/~1a/put/parameters/0/schema/required".to_owned(),
                    false
                ),
                (
                    "#/paths/~1a/put/requestBody/content/image~1jpeg/schema/required".to_owned(),
                    false
                ),
                (
                    "#/components/schemas/A/properties/b/items/required".to_owned(),
                    false
                ),
            ]
        );
        let doc = parse(&text).unwrap().doc;
        assert_eq!(doc.paths.paths.len(), 1);
    }

    #[test]
    fn examples_that_are_not_a_map_are_ignored_and_data_is_not_searched() {
        let text = format!(
            "{HEAD}paths:
  /a:
    get:
      parameters: [{{name: q, in: query, schema: {{type: string}}, examples: [a, b]}}]
      responses:
        '200':
          description: ok
          content: {{application/json: {{schema: {{type: object}}, example: {{schema: {{required: true}}}}}}}}
"
        );
        assert_eq!(
            warnings(&text),
            [("#/paths/~1a/get/parameters/0/examples".to_owned(), false)]
        );
    }

    #[test]
    fn an_operation_openapiv3_cannot_read_is_left_out_and_the_rest_is_kept() {
        let text = format!(
            "{HEAD}paths:
  /a:
    get: {{responses: {{'204': {{description: done}}}}}}
    post: {{parameters: [{{name: q}}], responses: {{'204': {{description: done}}}}}}
  /b:
    parameters: 7
    get: {{responses: {{'204': {{description: done}}}}}}
    put: {{responses: {{'204': {{description: done}}}}}}
"
        );
        assert_eq!(
            warnings(&text),
            [
                ("#/paths/~1a/post".to_owned(), true),
                ("#/paths/~1b/get".to_owned(), true),
                ("#/paths/~1b/put".to_owned(), true),
            ]
        );
        let doc = parse(&text).unwrap().doc;
        let kept: Vec<_> = doc.paths.paths.keys().collect();
        assert_eq!(kept, ["/a"]);
    }

    #[test]
    fn integer_bounds_written_as_floats_or_beyond_64_bits_are_mended() {
        let text = format!(
            "{HEAD}paths: {{}}
components:
  schemas:
    A: {{type: integer, minimum: -9223372036854775808, maximum: 18446744073709551615}}
    B: {{type: integer, format: int32, minimum: 1.0, maximum: 2.5, multipleOf: 2}}
"
        );
        assert_eq!(
            warnings(&text),
            [
                ("#/components/schemas/A/maximum".to_owned(), false),
                ("#/components/schemas/B/maximum".to_owned(), false),
            ]
        );
        let doc = parse(&text).unwrap().doc;
        let schemas = &doc.components.unwrap().schemas;
        let bounds = |name: &str| match &schemas[name] {
            openapiv3::ReferenceOr::Item(openapiv3::Schema {
                schema_kind: openapiv3::SchemaKind::Type(openapiv3::Type::Integer(integer)),
                ..
            }) => (integer.minimum, integer.maximum),
            other => panic!("{other:?}"),
        };
        assert_eq!(bounds("A"), (Some(i64::MIN), None));
        assert_eq!(bounds("B"), (Some(1), None));
    }

    #[test]
    fn a_failure_outside_the_operations_still_refuses_the_document() {
        let error = parse(&format!(
            "{HEAD}paths: {{}}\ncomponents: {{schemas: {{A: 5}}}}\n"
        ))
        .unwrap_err();
        assert!(error.pointer.starts_with("#/components"), "{error}");
    }
}
