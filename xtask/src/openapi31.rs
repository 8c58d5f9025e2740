//! A 3.0 document taken to 3.1 by the rewrites that 3.0 → 3.1 migration
//! guides list: for the tests that check a 3.1 description generates what
//! its 3.0 original does, and for the benchmark that times it.

use serde_json::{Map, Value, json};

/// Rewrites a 3.0 document as 3.1, as the migration guides say, and
/// returns how many rewrites it made: the version; `nullable` as a type
/// list (a composition gains a `null` member instead); a schema's `example`
/// as `examples`; a boolean `exclusiveMinimum`/`exclusiveMaximum` as the
/// number; `format: binary` and `byte` as `contentMediaType` and
/// `contentEncoding`; the siblings of a `$ref`, which 3.0 ignores, dropped.
pub fn to_3_1(document: &mut Value) -> usize {
    document["openapi"] = json!("3.1.0");
    let mut rewrites = 1;
    in_document(document, &mut rewrites);
    rewrites
}

fn in_document(node: &mut Value, rewrites: &mut usize) {
    match node {
        Value::Object(object) => {
            for (key, child) in object.iter_mut() {
                match key.as_str() {
                    "schema" => in_schema(child, rewrites),
                    "schemas" => child
                        .as_object_mut()
                        .into_iter()
                        .flat_map(|schemas| schemas.values_mut())
                        .for_each(|schema| in_schema(schema, rewrites)),
                    "example" | "examples" | "default" | "enum" => {}
                    key if key.starts_with("x-") => {}
                    _ => in_document(child, rewrites),
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| in_document(item, rewrites)),
        _ => {}
    }
}

fn in_schema(node: &mut Value, rewrites: &mut usize) {
    let Value::Object(schema) = node else {
        return;
    };
    if schema.contains_key("$ref") && schema.len() > 1 {
        schema.retain(|key, _| key == "$ref");
        *rewrites += 1;
    }
    for (key, child) in schema.iter_mut() {
        match key.as_str() {
            "items" | "not" | "additionalProperties" => in_schema(child, rewrites),
            "allOf" | "oneOf" | "anyOf" => child
                .as_array_mut()
                .into_iter()
                .flatten()
                .for_each(|member| in_schema(member, rewrites)),
            "properties" => child
                .as_object_mut()
                .into_iter()
                .flat_map(|properties| properties.values_mut())
                .for_each(|property| in_schema(property, rewrites)),
            _ => {}
        }
    }
    if let Some(example) = schema.remove("example") {
        schema.insert("examples".to_owned(), json!([example]));
        *rewrites += 1;
    }
    for (flag, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        match schema.remove(flag) {
            Some(Value::Bool(true)) => {
                if let Some(bound) = schema.remove(bound) {
                    schema.insert(flag.to_owned(), bound);
                }
                *rewrites += 1;
            }
            Some(_) => *rewrites += 1,
            None => {}
        }
    }
    match schema.get("format").and_then(Value::as_str) {
        Some("binary") => {
            schema.remove("format");
            schema.insert(
                "contentMediaType".to_owned(),
                json!("application/octet-stream"),
            );
            *rewrites += 1;
        }
        Some("byte") => {
            schema.remove("format");
            schema.insert("contentEncoding".to_owned(), json!("base64"));
            *rewrites += 1;
        }
        _ => {}
    }
    if schema.remove("nullable") == Some(Value::Bool(true)) {
        nullable(schema);
        *rewrites += 1;
    }
}

/// A nullable 3.0 schema as 3.1 writes it.
fn nullable(schema: &mut Map<String, Value>) {
    if let Some(Value::String(ty)) = schema.get("type") {
        let ty = json!([ty, "null"]);
        schema.insert("type".to_owned(), ty);
        if let Some(Value::Array(values)) = schema.get_mut("enum")
            && !values.contains(&Value::Null)
        {
            values.push(Value::Null);
        }
        return;
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(members)) = schema.get_mut(key) {
            members.push(json!({"type": "null"}));
            return;
        }
    }
    match schema.remove("allOf") {
        // A described or nullable reference: one of it or null.
        Some(Value::Array(members)) if members.len() == 1 => {
            let mut members = members;
            members.push(json!({"type": "null"}));
            schema.insert("anyOf".to_owned(), Value::Array(members));
        }
        Some(all_of) => {
            schema.insert(
                "anyOf".to_owned(),
                json!([{"allOf": all_of}, {"type": "null"}]),
            );
        }
        None => {
            schema.insert("type".to_owned(), json!(["null"]));
        }
    }
}
