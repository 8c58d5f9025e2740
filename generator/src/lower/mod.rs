//! Stage 2: an `openapiv3` document to the intermediate model.
//!
//! Resolves every `$ref`, names every type (component schemas first, then
//! inline schemas after the place they appear), and refuses what the model
//! cannot say yet with an error at the construct's JSON pointer. One
//! `Lowerer` walks the document; each concept has a file with an `impl`
//! block of its own: `refs` (references), `schema` (a schema to a type),
//! `compose` (`allOf`, `oneOf`, `anyOf`), `constraints` (what `validate`
//! checks), `operation` with `parameters` and `responses`, `media` (media
//! types of bodies and answers), `bodies` (request bodies by media type), `versions` (API versions of media types),
//! `security` (schemes and the alternatives operations accept), then
//! whole-model `passes`, the API's `conventions`, the `subset` asked for
//! and the Cargo `features` that compile each operation and type.

mod bodies;
mod compose;
mod constraints;
mod conventions;
mod features;
mod media;
mod operation;
mod parameters;
mod passes;
mod refs;
mod responses;
mod schema;
mod security;
mod subset;
mod versions;

use std::collections::{BTreeMap, HashMap};

use openapiv3::{OpenAPI, ReferenceOr, Schema};

use crate::Conventions;
use crate::error::{Error, Pointer};
use crate::model::{Api, Fallback, Requirement, SecurityScheme, Type, TypeDef, TypeKind, Usage};
use crate::names::{self, RESERVED_TYPE_NAMES, Scope};
use crate::parse::Parsed;

use conventions::apply_conventions;
use passes::{box_recursive_fields, mark_validated};
use refs::schemas;
use security::collect_scopes;

/// Lowers a parsed document into the model, applying the API's
/// `conventions`; what reading it ignored or left out comes first among
/// the model's fallbacks. Every pointer in the model and its error names
/// a place of the description as written, though a 3.1 one was read in
/// its 3.0 spelling.
pub fn lower(parsed: &Parsed, conventions: &Conventions) -> Result<Api, Error> {
    let original = |pointer: &mut String| *pointer = parsed.moves.original(pointer);
    let mut api = lower_read(parsed, conventions).map_err(|mut error| {
        original(&mut error.pointer);
        error
    })?;
    for fallback in &mut api.fallbacks {
        original(&mut fallback.pointer);
    }
    for def in &mut api.types {
        original(&mut def.source);
    }
    Ok(api)
}

/// [`lower`], the pointers in the document as read.
fn lower_read(parsed: &Parsed, conventions: &Conventions) -> Result<Api, Error> {
    let doc = &parsed.doc;
    let mut lowerer = Lowerer::new(parsed, conventions);
    lowerer.fallbacks.extend(parsed.warnings.iter().cloned());
    lowerer.component_schemas()?;
    lowerer.read_security()?;
    let mut operations = lowerer.operations()?;
    subset::check(&conventions.subset, &operations)?;
    let mut security_schemes = std::mem::take(&mut lowerer.security_schemes);
    collect_scopes(&mut security_schemes, &operations);
    box_recursive_fields(&mut lowerer.types);
    mark_validated(&mut lowerer.types, &operations);
    for operation in &mut operations {
        apply_conventions(operation, &lowerer.types, conventions);
    }
    if !conventions.subset.is_everything() {
        subset::prune(&mut lowerer.types, &operations, &mut lowerer.fallbacks);
    }
    let mut features = features::assign(doc, &mut operations);
    features::gate_types(&mut lowerer.types, &operations, &mut features);
    Ok(Api {
        title: doc.info.title.clone(),
        description: prose(doc.info.description.as_ref()),
        version: doc.info.version.clone(),
        base_url: doc.servers.first().map(|server| server.url.clone()),
        types: lowerer.types.into_values().collect(),
        operations,
        security_schemes,
        features,
        webhooks: parsed.webhooks.clone(),
        fallbacks: lowerer.fallbacks,
    })
}

/// A schema position: a `$ref` or a schema written in place.
struct Lowerer<'d> {
    doc: &'d OpenAPI,
    /// Schemas that `$ref`s reach outside the component schemas.
    elsewhere: &'d HashMap<String, ReferenceOr<Schema>>,
    /// The items of each tuple, by the index its schema's extension holds.
    tuples: &'d [Vec<ReferenceOr<Schema>>],
    conventions: &'d Conventions,
    /// Component schema name to its Rust type name.
    component_names: HashMap<&'d str, String>,
    type_names: Scope,
    types: BTreeMap<String, TypeDef>,
    /// The type made (or being made) for an inline schema, by its pointer,
    /// and whether it was asked for again: `allOf` merging lowers a
    /// parent's properties again for each child, and may come back to the
    /// schema it is lowering.
    inline_types: HashMap<String, (Type, bool)>,
    /// Whether each pattern seen compiles, by its text.
    patterns: HashMap<&'d str, bool>,
    /// The schemes the client can send, and the alternatives operations
    /// without their own `security` accept.
    security_schemes: Vec<SecurityScheme>,
    document_security: Vec<Requirement>,
    fallbacks: Vec<Fallback>,
}

impl<'d> Lowerer<'d> {
    fn new(parsed: &'d Parsed, conventions: &'d Conventions) -> Self {
        let doc = &parsed.doc;
        let mut type_names = Scope::with_reserved(RESERVED_TYPE_NAMES);
        // Components claim their names before any inline schema can.
        let component_names = schemas(doc)
            .keys()
            .map(|name| (name.as_str(), type_names.claim(names::pascal(name))))
            .collect();
        Self {
            doc,
            elsewhere: &parsed.elsewhere,
            tuples: &parsed.tuples,
            conventions,
            component_names,
            type_names,
            types: BTreeMap::new(),
            inline_types: HashMap::new(),
            patterns: HashMap::new(),
            security_schemes: Vec::new(),
            document_security: Vec::new(),
            fallbacks: Vec::new(),
        }
    }

    /// Records that the construct at `at` is typed as any JSON value.
    fn fallback(&mut self, at: &Pointer, reason: &str) -> Type {
        self.left_out(at, format!("{reason}; typed as serde_json::Value"));
        Type::Json
    }

    /// Records that the construct at `at` is not offered, and why.
    fn left_out(&mut self, at: &Pointer, reason: String) {
        self.fallbacks.push(Fallback {
            pointer: at.to_string(),
            reason,
            operation_left_out: false,
        });
    }

    fn insert(&mut self, name: String, at: &Pointer, description: Option<String>, kind: TypeKind) {
        let def = TypeDef {
            name: name.clone(),
            source: at.to_string(),
            description: prose(description.as_ref()),
            kind,
            validated: false,
            features: Vec::new(),
            usage: Usage::BOTH,
        };
        self.types.insert(name, def);
    }
}

/// A description as the model keeps it: `None` when it says nothing, so
/// emission documents the item its own way.
fn prose(description: Option<&String>) -> Option<String> {
    description.filter(|text| !text.trim().is_empty()).cloned()
}

/// What the lowering tests of every file share: small documents in, the
/// model's outline (or the refusal) out.
#[cfg(test)]
pub(super) mod check {
    use super::*;
    use crate::model::outline;

    /// A document with `schemas` (YAML, one schema per line or block,
    /// written from column 0) under `components/schemas` and no paths.
    pub fn with_schemas(schemas: &str) -> String {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{}",
            indented(schemas, 4)
        )
    }

    /// A document with `paths` (YAML from column 0) and `schemas`.
    pub fn with_paths(paths: &str, schemas: &str) -> String {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n{}components:\n  schemas:\n{}",
            indented(paths, 2),
            indented(schemas, 4)
        )
    }

    fn indented(text: &str, by: usize) -> String {
        let pad = " ".repeat(by);
        text.lines().map(|line| format!("{pad}{line}\n")).collect()
    }

    pub fn lowered_with(text: &str, conventions: &Conventions) -> Result<String, Error> {
        let doc = crate::parse::parse(text)?;
        lower(&doc, conventions).map(|api| outline(&api))
    }

    /// The outline of `text`'s model, which must lower.
    pub fn lowered(text: &str) -> String {
        lowered_with(text, &Conventions::default())
            .unwrap_or_else(|error| panic!("{error}\n{text}"))
    }

    /// The error lowering `text` gives.
    pub fn refused(text: &str) -> Error {
        match lowered_with(text, &Conventions::default()) {
            Ok(outline) => panic!("lowered:\n{outline}"),
            Err(error) => error,
        }
    }

    /// Asserts that every line of `expected` is a line of `outline`.
    pub fn has_lines(outline: &str, expected: &str) {
        for line in expected
            .lines()
            .map(str::trim_end)
            .filter(|line| !line.is_empty())
        {
            assert!(
                outline.lines().any(|have| have == line),
                "no line `{line}` in:\n{outline}"
            );
        }
    }
}
