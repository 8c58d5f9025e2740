//! OpenAPI 3.1 read as 3.0: a 3.1 document's value rewritten, in place,
//! into the 3.0 shape `openapiv3` reads, so that one lowering serves both.
//!
//! Most of JSON Schema 2020-12 as 3.1 uses it has a 3.0 spelling: a type
//! list with `null` is `nullable`, `const` a one-value `enum`, `examples` an
//! `example`, a numeric `exclusiveMinimum` a `minimum` with the 3.0 flag, a
//! `$ref` with siblings an `allOf` of the reference (the form 3.0 documents
//! use to describe a reference), `contentEncoding` and `contentMediaType` a
//! `format`. What has none travels beside the document: tuples
//! (`prefixItems`) as [`Lifted::tuples`], marked on their schema by
//! [`TUPLE`], and webhooks, which are no operations of a client, by name.
//! `dependentRequired` travels as [`DEPENDENT_REQUIRED`], an extension,
//! since openapiv3 keeps only those of a schema's unknown keys. What the
//! client cannot honour (`if`/`then`/`else`, `dependentSchemas`, another
//! dialect) is left out with a located warning.
//!
//! Every rewrite keeps the pointers of what it does not touch, so errors
//! and warnings about a 3.1 document name its own places.

use serde_json::{Map, Value, json};

use super::repair::is_data;
use crate::error::Pointer;
use crate::model::Fallback;

/// The extension that marks an array schema as a tuple: its value is the
/// tuple's index in [`Parsed::tuples`](super::Parsed::tuples).
pub const TUPLE: &str = "x-client-generator-tuple";

/// The extension that carries an object schema's `dependentRequired`
/// (property name to the names it requires), which openapiv3 drops.
pub const DEPENDENT_REQUIRED: &str = "x-client-generator-dependent-required";

/// The dialect OpenAPI 3.1 means when a document names none.
const DEFAULT_DIALECT: &str = "https://spec.openapis.org/oas/3.1/dialect/base";

/// What a 3.1 document holds that 3.0 has no place for.
#[derive(Debug, Default)]
pub struct Lifted {
    /// The names of `webhooks`: requests the API sends, not operations.
    pub webhooks: Vec<String>,
    /// The items of each tuple, in order, as 3.0 schemas.
    pub tuples: Vec<Vec<Value>>,
    /// Where the rewrite moved schemas.
    pub moves: Moves,
}

/// Where the rewrite moved schemas, so that a place in the rewritten
/// document can be named as the 3.1 document has it: each rewrite's moves
/// (its new place to the old), in the order they were made.
#[derive(Debug, Default)]
pub struct Moves(Vec<Vec<(String, String)>>);

impl Moves {
    /// `pointer`, a place in the rewritten document, in the document as
    /// written: each rewrite undone, the last first.
    pub fn original(&self, pointer: &str) -> String {
        let mut pointer = pointer.to_owned();
        for rewrite in self.0.iter().rev() {
            let undone = rewrite.iter().find_map(|(new, old)| {
                let rest = pointer.strip_prefix(new.as_str())?;
                (rest.is_empty() || rest.starts_with('/')).then(|| format!("{old}{rest}"))
            });
            if let Some(undone) = undone {
                pointer = undone;
            }
        }
        pointer
    }

    /// Records one rewrite's moves, from `at` joined with each new place to
    /// `at` joined with its old one.
    fn record(&mut self, at: &Pointer, moves: Moved) {
        let join = |segments: Vec<String>| {
            segments
                .into_iter()
                .fold(at.clone(), |at, segment| at.join(segment))
                .to_string()
        };
        let moves: Vec<(String, String)> = moves
            .into_iter()
            .filter(|(new, old)| new != old)
            .map(|(new, old)| (join(new), join(old)))
            .collect();
        if !moves.is_empty() {
            self.0.push(moves);
        }
    }
}

/// One rewrite's moves below a schema: each new place, as segments, and
/// the old one it was at.
type Moved = Vec<(Vec<String>, Vec<String>)>;

/// A place below a schema, as segments: a keyword and, for a list or map,
/// the member.
fn place(keyword: &str, member: impl std::fmt::Display) -> Vec<String> {
    vec![keyword.to_owned(), member.to_string()]
}

fn keyword(keyword: &str) -> Vec<String> {
    vec![keyword.to_owned()]
}

/// Rewrites the 3.1 `document` as 3.0, returning what has no 3.0 place and
/// adding a warning for each construct left out.
pub fn rewrite(document: &mut Value, warnings: &mut Vec<Fallback>) -> Lifted {
    let mut rewrite = Rewrite {
        lifted: Lifted::default(),
        warnings,
    };
    let Value::Object(root) = document else {
        return rewrite.lifted;
    };
    root.insert("openapi".to_owned(), json!("3.0.3"));
    if let Some(dialect) = root.remove("jsonSchemaDialect")
        && dialect != DEFAULT_DIALECT
    {
        rewrite.warn(
            &Pointer::root().join("jsonSchemaDialect"),
            format!(
                "the schemas' dialect {dialect} is not OpenAPI 3.1's own; they are read as if it were"
            ),
        );
    }
    if let Some(Value::Object(webhooks)) = root.remove("webhooks") {
        rewrite.lifted.webhooks = webhooks.into_iter().map(|(name, _)| name).collect();
    }
    root.entry("paths").or_insert_with(|| json!({}));
    rewrite.in_document(document, &Pointer::root());
    rewrite.lifted
}

struct Rewrite<'w> {
    lifted: Lifted,
    warnings: &'w mut Vec<Fallback>,
}

impl Rewrite<'_> {
    fn warn(&mut self, at: &Pointer, reason: String) {
        self.warnings.push(Fallback {
            pointer: at.to_string(),
            reason,
            operation_left_out: false,
        });
    }

    /// Walks the document outside schemas: every `schema` (and each of
    /// `components/schemas`) starts a schema; examples and extensions are
    /// data.
    fn in_document(&mut self, node: &mut Value, at: &Pointer) {
        match node {
            Value::Object(object) => {
                let is_components = at.to_string() == "#/components";
                for (key, child) in object.iter_mut() {
                    let at = at.join(key);
                    match key.as_str() {
                        "schema" => self.in_schema(child, &at),
                        "schemas" if is_components => self.each_schema(child, &at),
                        "examples" => {}
                        key if is_data(key) => {}
                        _ => self.in_document(child, &at),
                    }
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter_mut().enumerate() {
                    self.in_document(item, &at.join(index));
                }
            }
            _ => {}
        }
    }

    /// Each schema of a map of schemas (`properties`, `$defs`).
    fn each_schema(&mut self, map: &mut Value, at: &Pointer) {
        if let Value::Object(map) = map {
            for (name, schema) in map.iter_mut() {
                self.in_schema(schema, &at.join(name));
            }
        }
    }

    /// Rewrites the schema `node` and the schemas inside it, inner first.
    fn in_schema(&mut self, node: &mut Value, at: &Pointer) {
        // A boolean schema: `true` takes anything, `false` nothing.
        if let Value::Bool(accepts) = node {
            *node = if *accepts {
                json!({})
            } else {
                json!({"not": {}})
            };
        }
        let Value::Object(schema) = node else {
            return;
        };
        // Before the members are rewritten, while `null` still reads as
        // itself: a composition with a null member is a nullable one.
        let moved = nullable_members(schema);
        self.lifted.moves.record(at, moved);
        self.left_out(schema, at);
        self.inner_schemas(schema, at);
        let moved = type_list(schema);
        self.lifted.moves.record(at, moved);
        examples(schema);
        constant(schema);
        exclusive_bounds(schema);
        content(schema);
        let moved = open_properties(schema, at, self);
        self.lifted.moves.record(at, moved);
        self.tuple(schema, at);
        let moved = reference_with_siblings(schema);
        self.lifted.moves.record(at, moved);
    }

    fn inner_schemas(&mut self, schema: &mut Map<String, Value>, at: &Pointer) {
        for (key, child) in schema.iter_mut() {
            let at = at.join(key);
            match key.as_str() {
                "not" | "contains" | "propertyNames" | "unevaluatedItems" => {
                    self.in_schema(child, &at)
                }
                // `true` and `false` mean what they mean in 3.0.
                "additionalProperties" | "unevaluatedProperties" | "items" if child.is_object() => {
                    self.in_schema(child, &at)
                }
                "allOf" | "oneOf" | "anyOf" | "prefixItems" => {
                    for (index, member) in child.as_array_mut().into_iter().flatten().enumerate() {
                        self.in_schema(member, &at.join(index));
                    }
                }
                "properties" | "patternProperties" | "$defs" | "definitions" => {
                    self.each_schema(child, &at)
                }
                _ => {}
            }
        }
    }

    /// Leaves out what the client does not check, with a warning.
    fn left_out(&mut self, schema: &mut Map<String, Value>, at: &Pointer) {
        if schema.contains_key("if") {
            for key in ["if", "then", "else"] {
                schema.remove(key);
            }
            self.warn(
                &at.join("if"),
                "`if`/`then`/`else` is not checked before sending; the schema is read without it"
                    .to_owned(),
            );
        }
        if let Some(dependent) = schema.remove("dependentRequired") {
            schema.insert(DEPENDENT_REQUIRED.to_owned(), dependent);
        }
        if schema.remove("dependentSchemas").is_some() {
            self.warn(
                &at.join("dependentSchemas"),
                "`dependentSchemas` is not checked before sending; the schema is read without it"
                    .to_owned(),
            );
        }
    }

    /// `prefixItems`: a tuple when it can hold no more items than it lists
    /// (`items: false`, or a `maxItems` no greater), else a list of any
    /// values, with a warning.
    fn tuple(&mut self, schema: &mut Map<String, Value>, at: &Pointer) {
        let Some(items) = schema.remove("prefixItems") else {
            // `items: true` is any items; `false`, none: a list either way.
            if schema.get("items").is_some_and(Value::is_boolean) {
                schema.remove("items");
            }
            return;
        };
        let items = match items {
            Value::Array(items) => items,
            _ => Vec::new(),
        };
        let closed = schema.get("items") == Some(&Value::Bool(false))
            || schema
                .get("maxItems")
                .and_then(Value::as_u64)
                .is_some_and(|max| max <= items.len() as u64);
        schema.remove("items");
        schema
            .entry("type")
            .or_insert_with(|| Value::String("array".to_owned()));
        if closed && !items.is_empty() {
            schema.insert(TUPLE.to_owned(), json!(self.lifted.tuples.len()));
            self.lifted.tuples.push(items);
        } else {
            self.warn(
                &at.join("prefixItems"),
                "a tuple that may hold more items than it lists (no `items: false`); read as a list of any values"
                    .to_owned(),
            );
        }
    }
}

/// Whether `schema` allows only `null`, as 3.1 writes it.
fn is_null(schema: &Value) -> bool {
    let null_type = match schema.get("type") {
        Some(Value::String(ty)) => ty == "null",
        Some(Value::Array(types)) => types.iter().all(|ty| ty == "null"),
        _ => false,
    };
    null_type || schema.get("const") == Some(&Value::Null)
}

/// `oneOf`/`anyOf` with a `null` member: the others, nullable; a lone
/// other member as an `allOf`, the form that keeps its type. Returns the
/// members' moves.
fn nullable_members(schema: &mut Map<String, Value>) -> Moved {
    let mut moves = Vec::new();
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Array(members)) = schema.get_mut(key) else {
            continue;
        };
        if !members.iter().any(is_null) {
            continue;
        }
        let kept: Vec<(usize, Value)> = std::mem::take(members)
            .into_iter()
            .enumerate()
            .filter(|(_, member)| !is_null(member))
            .collect();
        schema.remove(key);
        schema.insert("nullable".to_owned(), Value::Bool(true));
        match <[_; 1]>::try_from(kept) {
            Ok([(old, only)]) => {
                if let Value::Array(all_of) = schema.entry("allOf").or_insert_with(|| json!([])) {
                    moves.extend(
                        (0..all_of.len())
                            .map(|index| (place("allOf", index + 1), place("allOf", index))),
                    );
                    all_of.insert(0, only);
                }
                moves.push((place("allOf", 0), place(key, old)));
            }
            Err(kept) if kept.is_empty() => {}
            Err(kept) => {
                let mut members = Vec::new();
                for (new, (old, member)) in kept.into_iter().enumerate() {
                    moves.push((place(key, new), place(key, old)));
                    members.push(member);
                }
                schema.insert(key.to_owned(), Value::Array(members));
            }
        }
    }
    moves
}

/// The keywords that apply to values of one JSON type, which a type list's
/// one-of gives to that type's member.
fn keywords_of(ty: &str) -> &'static [&'static str] {
    match ty {
        "string" => &["minLength", "maxLength", "pattern", "format"],
        "integer" | "number" => &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
            "format",
        ],
        "array" => &[
            "items",
            "minItems",
            "maxItems",
            "uniqueItems",
            "prefixItems",
        ],
        "object" => &[
            "properties",
            "required",
            "additionalProperties",
            "minProperties",
            "maxProperties",
            "patternProperties",
        ],
        _ => &[],
    }
}

/// Whether a JSON value is of the JSON Schema type `ty`.
fn is_of_type(value: &Value, ty: &str) -> bool {
    match ty {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    }
}

/// `type` as a list: `null` among them is `nullable`; one other type is
/// that type; several are a `oneOf` of a member per type, each with the
/// keywords and enumerated values of its type (moved there from the
/// schema, which the returned moves say).
fn type_list(schema: &mut Map<String, Value>) -> Moved {
    let types: Vec<String> = match schema.get("type") {
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(|ty| ty.as_str().map(str::to_owned))
            .collect(),
        Some(Value::String(ty)) if ty == "null" => vec![ty.clone()],
        _ => return Vec::new(),
    };
    schema.remove("type");
    let (nulls, types): (Vec<String>, Vec<String>) = types.into_iter().partition(|ty| ty == "null");
    if !nulls.is_empty() {
        schema.insert("nullable".to_owned(), Value::Bool(true));
    }
    match types.as_slice() {
        [] => {}
        [only] => {
            schema.insert("type".to_owned(), json!(only));
        }
        several if !schema.contains_key("oneOf") && !schema.contains_key("anyOf") => {
            let values = schema.remove("enum");
            let members = several
                .iter()
                .map(|ty| {
                    let mut member = Map::new();
                    member.insert("type".to_owned(), json!(ty));
                    for &keyword in keywords_of(ty) {
                        if let Some(value) = schema.get(keyword) {
                            member.insert(keyword.to_owned(), value.clone());
                        }
                    }
                    if let Some(Value::Array(values)) = &values {
                        let own: Vec<&Value> = values
                            .iter()
                            .filter(|value| is_of_type(value, ty))
                            .collect();
                        member.insert("enum".to_owned(), json!(own));
                    }
                    Value::Object(member)
                })
                .collect();
            for ty in several {
                for keyword in keywords_of(ty) {
                    schema.remove(*keyword);
                }
            }
            schema.insert("oneOf".to_owned(), Value::Array(members));
            return (0..several.len())
                .map(|index| (place("oneOf", index), Vec::new()))
                .collect();
        }
        // Beside a composition of its own, a type list narrows nothing
        // lowering could use: the composition says what the value is.
        _ => {}
    }
    Vec::new()
}

/// `examples`, a list in a schema: its first value as 3.0's `example`.
fn examples(schema: &mut Map<String, Value>) {
    if let Some(Value::Array(mut examples)) = schema.remove("examples")
        && !examples.is_empty()
    {
        let first = examples.swap_remove(0);
        schema.entry("example").or_insert(first);
    }
}

/// `const`: an enumeration of one value, of its value's type when the
/// schema names none (3.1 documents often leave it to the value).
fn constant(schema: &mut Map<String, Value>) {
    let Some(value) = schema.remove("const") else {
        return;
    };
    let ty = ["string", "integer", "number", "boolean"]
        .into_iter()
        .find(|ty| is_of_type(&value, ty));
    if let Some(ty) = ty.filter(|_| !schema.contains_key("type")) {
        schema.insert("type".to_owned(), json!(ty));
    }
    schema.entry("enum").or_insert_with(|| json!([value]));
}

/// A numeric `exclusiveMinimum`/`exclusiveMaximum` as 3.0 writes it: the
/// bound with the flag, unless the inclusive bound beside it is stricter.
fn exclusive_bounds(schema: &mut Map<String, Value>) {
    for (exclusive, inclusive, stricter) in [
        ("exclusiveMinimum", "minimum", std::cmp::Ordering::Greater),
        ("exclusiveMaximum", "maximum", std::cmp::Ordering::Less),
    ] {
        let Some(Value::Number(bound)) = schema.get(exclusive).cloned() else {
            continue;
        };
        let inclusive_is_stricter = schema
            .get(inclusive)
            .and_then(Value::as_f64)
            .zip(bound.as_f64())
            .and_then(|(inclusive, bound)| inclusive.partial_cmp(&bound))
            == Some(stricter);
        if inclusive_is_stricter {
            schema.remove(exclusive);
        } else {
            schema.insert(inclusive.to_owned(), Value::Number(bound));
            schema.insert(exclusive.to_owned(), Value::Bool(true));
        }
    }
}

/// A string's `contentEncoding` (base64: `format: byte`) or binary
/// `contentMediaType` (`format: binary`); text media types stay strings.
fn content(schema: &mut Map<String, Value>) {
    let encoding = schema.remove("contentEncoding");
    let media_type = schema.remove("contentMediaType");
    if schema.contains_key("format") {
        return;
    }
    let format = match (encoding.as_ref().and_then(Value::as_str), media_type) {
        (Some("base64" | "base64url"), _) => "byte",
        (Some(_), _) => return,
        (None, Some(Value::String(media_type))) if !is_text(&media_type) => "binary",
        (None, _) => return,
    };
    schema.insert("format".to_owned(), json!(format));
}

/// Whether a media type's content is text, which a JSON string holds as is.
fn is_text(media_type: &str) -> bool {
    let essence = crate::media_type::essence(media_type);
    essence.starts_with("text/")
        || essence.ends_with("/json")
        || essence.ends_with("+json")
        || essence.ends_with("/xml")
        || essence.ends_with("+xml")
}

/// `unevaluatedProperties` and `patternProperties` as the
/// `additionalProperties` they amount to for a client; patterns whose
/// values differ give a map of any values, with a warning.
fn open_properties(
    schema: &mut Map<String, Value>,
    at: &Pointer,
    rewrite: &mut Rewrite<'_>,
) -> Moved {
    let unevaluated = schema.remove("unevaluatedProperties");
    let patterns = schema.remove("patternProperties");
    if schema.contains_key("additionalProperties") {
        return Vec::new();
    }
    let new = keyword("additionalProperties");
    let (additional, old) = match (patterns, unevaluated) {
        (Some(Value::Object(patterns)), _) => {
            let mut values = patterns.into_iter();
            let (pattern, first) = values.next().unwrap_or_else(|| (String::new(), json!({})));
            if values.all(|(_, value)| value == first) {
                (first, place("patternProperties", pattern))
            } else {
                rewrite.warn(
                    &at.join("patternProperties"),
                    "patterns whose values have different schemas; the map's values are typed as serde_json::Value"
                        .to_owned(),
                );
                (json!({}), keyword("patternProperties"))
            }
        }
        (_, Some(unevaluated)) => (unevaluated, keyword("unevaluatedProperties")),
        _ => return Vec::new(),
    };
    schema.insert("additionalProperties".to_owned(), additional);
    vec![(new, old)]
}

/// A `$ref` with siblings, which 3.1 applies: an `allOf` of the reference
/// beside them, as 3.0 documents write a described reference.
fn reference_with_siblings(schema: &mut Map<String, Value>) -> Moved {
    let annotations_only = |key: &String| {
        matches!(
            key.as_str(),
            "$ref" | "$comment" | "$schema" | "$id" | "$anchor"
        )
    };
    if !schema.contains_key("$ref") || schema.keys().all(annotations_only) {
        return Vec::new();
    }
    let reference = schema.remove("$ref").unwrap_or_default();
    let mut moves = vec![(place("allOf", 0), Vec::new())];
    if let Value::Array(all_of) = schema.entry("allOf").or_insert_with(|| json!([])) {
        moves.extend(
            (0..all_of.len()).map(|index| (place("allOf", index + 1), place("allOf", index))),
        );
        all_of.insert(0, json!({ "$ref": reference }));
    }
    moves
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 3.1 document with `schemas` as its component schemas (YAML
    /// flow), rewritten: its schemas and the warnings.
    fn rewritten(schemas: &str) -> (Value, Vec<String>) {
        let text = format!(
            "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas: {schemas}\n"
        );
        let mut document: Value = serde_yaml::from_str(&text).unwrap();
        let mut warnings = Vec::new();
        rewrite(&mut document, &mut warnings);
        let warnings = warnings
            .into_iter()
            .map(|warning| format!("{}: {}", warning.pointer, warning.reason))
            .collect();
        (document["components"]["schemas"].take(), warnings)
    }

    fn schemas(schemas: &str) -> Value {
        let (schemas, warnings) = rewritten(schemas);
        assert_eq!(warnings, Vec::<String>::new());
        schemas
    }

    fn yaml(text: &str) -> Value {
        serde_yaml::from_str(text).unwrap()
    }

    #[test]
    fn type_lists_are_nullable_types_or_a_one_of_per_type() {
        assert_eq!(
            schemas(
                "{A: {type: [string, 'null'], maxLength: 3, enum: [a, null]}, B: {type: 'null'}, \
                 C: {type: [string, integer], maxLength: 3, minimum: 1, enum: [a, 1], description: d}}"
            ),
            yaml(
                "{A: {maxLength: 3, enum: [a, null], nullable: true, type: string}, B: {nullable: true}, \
                 C: {description: d, oneOf: [{type: string, maxLength: 3, enum: [a]}, {type: integer, minimum: 1, enum: [1]}]}}"
            )
        );
    }

    #[test]
    fn a_null_member_makes_a_composition_nullable() {
        assert_eq!(
            schemas(
                "{A: {oneOf: [{$ref: '#/components/schemas/B'}, {type: 'null'}]}, \
                 B: {anyOf: [{type: string}, {type: integer}, {const: null}]}}"
            ),
            yaml(
                "{A: {nullable: true, allOf: [{$ref: '#/components/schemas/B'}]}, \
                 B: {nullable: true, anyOf: [{type: string}, {type: integer}]}}"
            )
        );
    }

    #[test]
    fn keywords_with_a_3_0_spelling_are_spelled_so() {
        assert_eq!(
            schemas(
                "{A: {type: string, const: on, examples: [x, y]}, Z: {const: 7}, \
                 B: {type: number, exclusiveMinimum: 0, exclusiveMaximum: 10, maximum: 5}, \
                 C: {type: string, contentEncoding: base64}, \
                 D: {type: string, contentMediaType: image/png}, \
                 E: {type: string, contentMediaType: application/json}, \
                 F: {type: array, items: true}, \
                 G: {type: object, patternProperties: {'^x': {type: integer}}}, \
                 H: {type: object, properties: {a: true, b: false}, unevaluatedProperties: false}}"
            ),
            yaml(
                "{A: {type: string, enum: [on], example: x}, Z: {type: integer, enum: [7]}, \
                 B: {type: number, maximum: 5, minimum: 0, exclusiveMinimum: true}, \
                 C: {type: string, format: byte}, \
                 D: {type: string, format: binary}, \
                 E: {type: string}, \
                 F: {type: array}, \
                 G: {type: object, additionalProperties: {type: integer}}, \
                 H: {type: object, properties: {a: {}, b: {not: {}}}, additionalProperties: false}}"
            )
        );
    }

    #[test]
    fn a_reference_with_siblings_is_an_all_of_the_siblings_describe() {
        assert_eq!(
            schemas(
                "{A: {$ref: '#/components/schemas/B', description: d, readOnly: true}, \
                 B: {$ref: '#/components/schemas/C', $comment: plain}, C: {type: string}}"
            ),
            yaml(
                "{A: {description: d, readOnly: true, allOf: [{$ref: '#/components/schemas/B'}]}, \
                 B: {$ref: '#/components/schemas/C', $comment: plain}, C: {type: string}}"
            )
        );
    }

    #[test]
    fn tuples_are_lifted_out_when_closed_and_lists_otherwise() {
        let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    \
            Point: {type: array, prefixItems: [{type: number}, {type: [number, 'null']}], items: false}\n    \
            Pair: {prefixItems: [{type: string}], maxItems: 1}\n    \
            Open: {type: array, prefixItems: [{type: string}], items: {type: integer}}\n";
        let mut document: Value = serde_yaml::from_str(text).unwrap();
        let mut warnings = Vec::new();
        let lifted = rewrite(&mut document, &mut warnings);
        let schemas = &document["components"]["schemas"];
        assert_eq!(
            schemas["Point"],
            yaml("{type: array, x-client-generator-tuple: 0}")
        );
        assert_eq!(
            schemas["Pair"],
            yaml("{maxItems: 1, type: array, x-client-generator-tuple: 1}")
        );
        assert_eq!(schemas["Open"], yaml("{type: array}"));
        assert_eq!(
            lifted.tuples,
            [
                vec![
                    yaml("{type: number}"),
                    yaml("{type: number, nullable: true}")
                ],
                vec![yaml("{type: string}")]
            ]
        );
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(warnings[0].pointer, "#/components/schemas/Open/prefixItems");
        // A 3.1 document may leave out `paths`; openapiv3 needs them.
        assert_eq!(document["paths"], yaml("{}"));
    }

    #[test]
    fn what_is_not_checked_is_left_out_with_a_located_warning() {
        let (schemas, warnings) = rewritten(
            "{A: {type: object, properties: {p: {type: string, if: {maxLength: 1}, then: {pattern: a}, else: {pattern: b}}}, \
             dependentRequired: {a: [b]}, dependentSchemas: {a: {required: [c]}}}, \
             M: {type: object, patternProperties: {'^a': {type: string}, '^b': {type: integer}}}}",
        );
        assert_eq!(
            schemas,
            yaml(
                "{A: {type: object, properties: {p: {type: string}}, x-client-generator-dependent-required: {a: [b]}}, \
                 M: {type: object, additionalProperties: {}}}"
            )
        );
        assert_eq!(
            warnings,
            [
                "#/components/schemas/A/dependentSchemas: `dependentSchemas` is not checked before sending; the schema is read without it",
                "#/components/schemas/A/properties/p/if: `if`/`then`/`else` is not checked before sending; the schema is read without it",
                "#/components/schemas/M/patternProperties: patterns whose values have different schemas; the map's values are typed as serde_json::Value",
            ]
        );
    }

    #[test]
    fn the_document_loses_what_3_0_has_no_place_for_and_data_stays_data() {
        let text = r#"
openapi: 3.1.0
jsonSchemaDialect: https://json-schema.org/draft/2020-12/schema
info: {title: t, version: '1', summary: s, license: {name: MIT, identifier: MIT}}
webhooks:
  newPet: {post: {responses: {'200': {description: ok}}}}
  gone: {}
paths:
  /a:
    get:
      parameters:
        - {name: q, in: query, schema: {type: [integer, 'null']}, example: {type: [a, b]}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {const: 1}
              examples: {one: {value: {const: 1, type: [x]}}}
"#;
        let mut document: Value = serde_yaml::from_str(text).unwrap();
        let mut warnings = Vec::new();
        let lifted = rewrite(&mut document, &mut warnings);
        assert_eq!(lifted.webhooks, ["newPet", "gone"]);
        assert_eq!(document["openapi"], "3.0.3");
        assert!(document.get("webhooks").is_none());
        assert!(document.get("jsonSchemaDialect").is_none());
        let get = &document["paths"]["/a"]["get"];
        assert_eq!(
            get["parameters"][0],
            yaml(
                "{name: q, in: query, schema: {nullable: true, type: integer}, example: {type: [a, b]}}"
            )
        );
        let media = &get["responses"]["200"]["content"]["application/json"];
        assert_eq!(media["schema"], yaml("{type: integer, enum: [1]}"));
        assert_eq!(
            media["examples"],
            yaml("{one: {value: {const: 1, type: [x]}}}")
        );
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(warnings[0].pointer, "#/jsonSchemaDialect");
    }

    #[test]
    fn a_place_in_the_rewritten_document_is_named_as_written() {
        let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    \
            A: {$ref: '#/components/schemas/B', description: d, allOf: [{required: [x]}]}\n    \
            B: {anyOf: [{type: 'null'}, {type: string}, {properties: {p: {$ref: '#/components/schemas/C', readOnly: true}}}]}\n    \
            C: {type: [string, integer, 'null'], maxLength: 2}\n    \
            D: {oneOf: [{type: 'null'}, {type: [object, 'null'], properties: {q: {type: string}}}]}\n    \
            E: {type: object, patternProperties: {'^x': {$ref: '#/components/schemas/C', description: e}}}\n";
        let mut document: Value = serde_yaml::from_str(text).unwrap();
        let lifted = rewrite(&mut document, &mut Vec::new());
        let schemas = "#/components/schemas";
        for (rewritten, written) in [
            ("A/allOf/0", "A"),
            ("A/allOf/1/required", "A/allOf/0/required"),
            ("B/anyOf/0", "B/anyOf/1"),
            ("B/anyOf/1/properties/p/allOf/0", "B/anyOf/2/properties/p"),
            ("C/oneOf/0/maxLength", "C/maxLength"),
            ("C/oneOf/1", "C"),
            ("D/allOf/0/properties/q", "D/oneOf/1/properties/q"),
            ("E/additionalProperties/allOf/0", "E/patternProperties/^x"),
            (
                "E/additionalProperties/description",
                "E/patternProperties/^x/description",
            ),
            ("E/properties", "E/properties"),
        ] {
            assert_eq!(
                lifted.moves.original(&format!("{schemas}/{rewritten}")),
                format!("{schemas}/{written}"),
                "{rewritten}"
            );
            let at = format!("/components/schemas/{rewritten}");
            let exists = !rewritten.starts_with("E/properties");
            assert_eq!(
                document.pointer(&at).is_some(),
                exists,
                "{rewritten} in {document:#}"
            );
        }
    }
}
