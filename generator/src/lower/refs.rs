//! References: `$ref`s to component schemas and to other components,
//! followed and checked, each failure located at the `$ref`.

use std::collections::HashSet;

use indexmap::IndexMap;
use openapiv3::{OpenAPI, ReferenceOr, Schema};

use super::Lowerer;
use crate::error::{Error, Pointer};
use crate::model::Type;

#[derive(Clone, Copy)]
pub(super) enum SchemaRef<'d> {
    Ref(&'d str),
    Inline(&'d Schema),
}

impl<'d> From<&'d ReferenceOr<Schema>> for SchemaRef<'d> {
    fn from(schema: &'d ReferenceOr<Schema>) -> Self {
        match schema {
            ReferenceOr::Reference { reference } => Self::Ref(reference),
            ReferenceOr::Item(schema) => Self::Inline(schema),
        }
    }
}

impl<'d> From<&'d ReferenceOr<Box<Schema>>> for SchemaRef<'d> {
    fn from(schema: &'d ReferenceOr<Box<Schema>>) -> Self {
        match schema {
            ReferenceOr::Reference { reference } => Self::Ref(reference),
            ReferenceOr::Item(schema) => Self::Inline(schema),
        }
    }
}

impl<'d> Lowerer<'d> {
    /// Fails when a chain of component `$ref`s comes back to `start` without
    /// passing through a schema of its own: such a type would be infinite.
    pub(super) fn check_alias_cycle(&self, start: &str, at: &Pointer) -> Result<(), Error> {
        let mut seen = HashSet::from([start]);
        let mut current = start;
        while let Some(ReferenceOr::Reference { reference }) = schemas(self.doc).get(current) {
            let target = self.component_name(reference, at)?;
            if !seen.insert(target) {
                return Err(Error::at(
                    at,
                    format!("the `$ref` chain from `{start}` is a cycle through `{target}`"),
                ));
            }
            current = target;
        }
        Ok(())
    }

    /// The named type a `$ref` points to.
    pub(super) fn named(&self, reference: &str, at: &Pointer) -> Result<Type, Error> {
        let name = self.component_name(reference, at)?;
        Ok(Type::Named(self.component_names[name].clone()))
    }

    /// The component schema name in a `$ref`, checked to exist.
    pub(super) fn component_name(
        &self,
        reference: &'d str,
        at: &Pointer,
    ) -> Result<&'d str, Error> {
        let name = component_ref(reference, "schemas", at)?;
        if schemas(self.doc).contains_key(name) {
            Ok(name)
        } else {
            Err(Error::at(
                at,
                format!("`$ref: {reference}` points to no schema"),
            ))
        }
    }

    /// The schema a position stands for, following `$ref`s; `None` for a
    /// dangling reference or a cycle, which other checks report.
    pub(super) fn resolve(&self, schema: SchemaRef<'d>) -> Option<&'d Schema> {
        let mut current = schema;
        for _ in 0..=schemas(self.doc).len() {
            match current {
                SchemaRef::Inline(schema) => return Some(schema),
                SchemaRef::Ref(reference) => {
                    let name = reference.strip_prefix("#/components/schemas/")?;
                    current = schemas(self.doc).get(name)?.into();
                }
            }
        }
        None
    }
}

pub(super) fn schemas(doc: &OpenAPI) -> &IndexMap<String, ReferenceOr<Schema>> {
    static EMPTY: std::sync::OnceLock<IndexMap<String, ReferenceOr<Schema>>> =
        std::sync::OnceLock::new();
    match &doc.components {
        Some(components) => &components.schemas,
        None => EMPTY.get_or_init(IndexMap::new),
    }
}

/// The name in `#/components/{section}/{name}`, or a located error for any
/// other kind of reference.
fn component_ref<'r>(reference: &'r str, section: &str, at: &Pointer) -> Result<&'r str, Error> {
    if Pointer::from_ref(reference).is_none() {
        return Err(Error::at(
            at,
            format!(
                "`$ref: {reference}` points into another document; only local references (`#/…`) are supported"
            ),
        ));
    }
    let prefix = format!("#/components/{section}/");
    reference
        .strip_prefix(&prefix)
        .filter(|name| !name.contains('/'))
        .ok_or_else(|| {
            Error::at(
                at,
                format!("`$ref: {reference}` must point to `{prefix}<name>`"),
            )
        })
}

/// Follows a `$ref` chain within `components.{section}` to the item itself.
pub(super) fn resolve_component<'d, T>(
    section_map: Option<&'d IndexMap<String, ReferenceOr<T>>>,
    section: &str,
    item: &'d ReferenceOr<T>,
    at: &Pointer,
) -> Result<&'d T, Error> {
    let mut current = item;
    let mut seen = HashSet::new();
    loop {
        match current {
            ReferenceOr::Item(item) => return Ok(item),
            ReferenceOr::Reference { reference } => {
                let name = component_ref(reference, section, at)?;
                if !seen.insert(name) {
                    return Err(Error::at(
                        at,
                        format!("`$ref: {reference}` is part of a cycle"),
                    ));
                }
                current = section_map
                    .and_then(|map| map.get(name))
                    .ok_or_else(|| Error::at(at, format!("`$ref: {reference}` points nowhere")))?;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::check::*;

    #[test]
    fn a_component_that_is_a_ref_is_an_alias() {
        let outline = lowered(&with_schemas(
            "A: {$ref: '#/components/schemas/B'}\nB: {type: string}",
        ));
        has_lines(
            &outline,
            "alias A = types::B (#/components/schemas/A)
alias B = String (#/components/schemas/B)",
        );
    }

    #[test]
    fn bad_references_are_refused_where_they_are() {
        let cases = [
            (
                "A: {$ref: '#/components/schemas/Nowhere'}",
                "#/components/schemas/A",
                "points to no schema",
            ),
            (
                "A: {$ref: 'other.yaml#/A'}",
                "#/components/schemas/A",
                "another document",
            ),
            (
                "A: {$ref: '#/components/schemas/B'}\nB: {$ref: '#/components/schemas/A'}",
                "#/components/schemas/A",
                "is a cycle",
            ),
            (
                "A: {type: object, properties: {b: {$ref: '#/components/schemas/Gone'}}}",
                "#/components/schemas/A/properties/b",
                "points to no schema",
            ),
        ];
        for (schemas, pointer, message) in cases {
            let error = refused(&with_schemas(schemas));
            assert_eq!(error.pointer, pointer, "{schemas}");
            assert!(error.message.contains(message), "{schemas}: {error}");
        }
    }
}
