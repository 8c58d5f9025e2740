//! References outside schemas that point where openapiv3 cannot follow
//! them, replaced by what they point to before the document is read: a
//! response that refers to a request body component, a parameter that
//! refers into an operation, a path item that refers to another path.
//! openapiv3 follows a component reference only within its own section
//! (`#/components/responses/<name>` for a response), and lowering follows
//! those; schema references are lowering's to follow wherever they point.

use std::borrow::Cow;

use serde_json::Value;

use crate::error::Pointer;

/// How many references in a row are followed before giving up (a cycle).
const CHAIN: usize = 16;

/// Replaces every reference of `document` outside schemas whose target is
/// not in the components section its place expects with a copy of the
/// target; a reference to nothing stays, for lowering to report.
pub fn foreign_references(document: &mut Cow<'_, Value>) {
    let mut places = Vec::new();
    find(document, Place::Other, &Pointer::root(), &mut places);
    let replacements: Vec<(String, Value)> = places
        .into_iter()
        .filter_map(|at| {
            let json_pointer = at.to_string().split_off(1);
            let target = target_of(document, &json_pointer)?;
            Some((json_pointer, target))
        })
        .collect();
    if replacements.is_empty() {
        return;
    }
    let document = document.to_mut();
    for (json_pointer, target) in replacements {
        if let Some(node) = document.pointer_mut(&json_pointer) {
            *node = target;
        }
    }
}

/// What a node is, by where it stands: the components section a
/// reference there is expected to point into.
#[derive(Clone, Copy, PartialEq)]
enum Place {
    Section(&'static str),
    /// A path item: OpenAPI 3.0 has no components section for them.
    PathItem,
    Other,
}

/// The places of the references to replace under `node`.
fn find(node: &Value, place: Place, at: &Pointer, found: &mut Vec<Pointer>) {
    match node {
        Value::Object(object) => {
            if let Some(Value::String(reference)) = object.get("$ref") {
                let expected = match place {
                    Place::Section(section) => Some(section),
                    Place::PathItem => None,
                    // A reference in no known place is not ours to judge.
                    Place::Other => return,
                };
                if !points_into(reference, expected) {
                    found.push(at.clone());
                }
                return;
            }
            for (key, child) in object {
                let at = at.join(key);
                match (place, key.as_str()) {
                    // Schemas, data and extensions are left as they are.
                    (_, "schema" | "schemas" | "example" | "default" | "enum") => {}
                    (_, key) if key.starts_with("x-") => {}
                    (_, "paths") if at.to_string() == "#/paths" => {
                        each(child, Place::PathItem, &at, found)
                    }
                    (_, "responses") => each(child, Place::Section("responses"), &at, found),
                    (_, "requestBody") => find(child, Place::Section("requestBodies"), &at, found),
                    (_, "parameters") => each(child, Place::Section("parameters"), &at, found),
                    (_, "headers") => each(child, Place::Section("headers"), &at, found),
                    (_, "examples") => each(child, Place::Section("examples"), &at, found),
                    (_, "links") => each(child, Place::Section("links"), &at, found),
                    (_, "callbacks") => each(child, Place::Section("callbacks"), &at, found),
                    _ => find(child, Place::Other, &at, found),
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                find(item, Place::Other, &at.join(index), found);
            }
        }
        _ => {}
    }
}

/// Each member of a map or list whose members stand in `place`.
fn each(node: &Value, place: Place, at: &Pointer, found: &mut Vec<Pointer>) {
    match node {
        Value::Object(object) if object.contains_key("$ref") => {
            find(node, Place::Other, at, found);
        }
        Value::Object(object) => {
            for (key, child) in object {
                find(child, place, &at.join(key), found);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                find(item, place, &at.join(index), found);
            }
        }
        _ => {}
    }
}

/// Whether `reference` is `#/components/{section}/{name}`.
fn points_into(reference: &str, section: Option<&str>) -> bool {
    let Some(section) = section else {
        return false;
    };
    let Some(pointer) = Pointer::from_ref(reference) else {
        // Other documents are lowering's to refuse.
        return true;
    };
    matches!(
        pointer.segments().collect::<Vec<_>>().as_slice(),
        [components, here, _] if components == "components" && here == section
    )
}

/// What the reference at `json_pointer` leads to, following a chain of
/// references; `None` when it leads nowhere or round in a circle.
fn target_of(document: &Value, json_pointer: &str) -> Option<Value> {
    let mut node = document.pointer(json_pointer)?;
    for _ in 0..CHAIN {
        let Some(Value::String(reference)) = node.get("$ref") else {
            return Some(node.clone());
        };
        let pointer = Pointer::from_ref(reference)?;
        node = document.pointer(&pointer.to_string().split_off(1))?;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn references_out_of_their_section_are_replaced_and_the_rest_kept() {
        let document = json!({
            "paths": {
                "/a": {"get": {
                    "parameters": [
                        {"$ref": "#/components/parameters/Limit"},
                        {"$ref": "#/paths/~1b/get/parameters/0"},
                    ],
                    "responses": {
                        "200": {"$ref": "#/components/requestBodies/Thing"},
                        "404": {"$ref": "#/components/responses/Missing"},
                    },
                }},
                "/b": {"get": {"parameters": [{"name": "q", "in": "query"}]}},
                "/c": {"$ref": "#/paths/~1b"},
            },
            "components": {
                "requestBodies": {"Thing": {"description": "a thing", "content": {}}},
                "schemas": {"S": {"$ref": "#/components/schemas/S/properties/x"}},
            },
        });
        let mut document = Cow::Owned(document);
        foreign_references(&mut document);
        let get = &document["paths"]["/a"]["get"];
        assert_eq!(
            get["parameters"][0],
            json!({"$ref": "#/components/parameters/Limit"})
        );
        assert_eq!(get["parameters"][1], json!({"name": "q", "in": "query"}));
        assert_eq!(get["responses"]["200"]["description"], "a thing");
        assert_eq!(
            get["responses"]["404"],
            json!({"$ref": "#/components/responses/Missing"})
        );
        assert_eq!(document["paths"]["/c"], document["paths"]["/b"]);
        assert_eq!(
            document["components"]["schemas"]["S"],
            json!({"$ref": "#/components/schemas/S/properties/x"})
        );
    }

    #[test]
    fn a_reference_to_nothing_or_round_a_circle_stays() {
        let document = json!({
            "paths": {
                "/a": {"$ref": "#/paths/~1b"},
                "/b": {"$ref": "#/paths/~1a"},
                "/c": {"$ref": "#/paths/~1nowhere"},
            },
        });
        let before = document.clone();
        let mut document = Cow::Borrowed(&document);
        foreign_references(&mut document);
        assert!(matches!(document, Cow::Borrowed(_)));
        assert_eq!(*document, before);
    }
}
