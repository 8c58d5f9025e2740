//! References: `$ref`s to component schemas and to other components,
//! followed and checked, each failure located at the `$ref`.

use std::collections::HashSet;

use indexmap::IndexMap;
use openapiv3::{OpenAPI, ReferenceOr, Schema};

use super::Lowerer;
use crate::error::{Error, Pointer};
use crate::model::Type;
use crate::names;

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

/// Where a schema `$ref` leads.
#[derive(Clone, Copy)]
pub(super) enum Target<'d> {
    /// A component schema, by name: a named type.
    Component(&'d str),
    /// A schema anywhere else in the document (inside another schema, a
    /// parameter, a media type), by the reference that reaches it.
    Elsewhere(&'d str, &'d ReferenceOr<Schema>),
}

impl<'d> Lowerer<'d> {
    /// Fails when a chain of component `$ref`s comes back to `start` without
    /// passing through a schema of its own: such a type would be infinite.
    pub(super) fn check_alias_cycle(&self, start: &str, at: &Pointer) -> Result<(), Error> {
        let mut seen = HashSet::from([start]);
        let mut current = start;
        while let Some(ReferenceOr::Reference { reference }) = schemas(self.doc).get(current) {
            let Target::Component(target) = self.target(reference, at)? else {
                return Ok(());
            };
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

    /// The type a `$ref` stands for: a component's named type, or the type
    /// of the schema it points to elsewhere, as if written at its place.
    pub(super) fn named(&mut self, reference: &'d str, at: &Pointer) -> Result<Type, Error> {
        match self.target(reference, at)? {
            Target::Component(name) => Ok(Type::Named(self.component_names[name].clone())),
            Target::Elsewhere(reference, schema) => {
                let place = Pointer::from_ref(reference).unwrap_or_else(Pointer::root);
                let hint: Vec<String> = place.segments().skip(2).collect();
                self.type_of(schema.into(), &place, &names::pascal(&hint.join(" ")))
            }
        }
    }

    /// Where a schema `$ref` leads, checked to lead somewhere.
    pub(super) fn target(&self, reference: &'d str, at: &Pointer) -> Result<Target<'d>, Error> {
        let Some(pointer) = Pointer::from_ref(reference) else {
            return Err(Error::at(
                at,
                format!(
                    "`$ref: {reference}` points into another document; only local references (`#/…`) are supported"
                ),
            ));
        };
        let nowhere = || Error::at(at, format!("`$ref: {reference}` points to no schema"));
        let segments: Vec<String> = pointer.segments().collect();
        match segments.as_slice() {
            [components, section, name] if components == "components" && section == "schemas" => {
                let (name, _) = schemas(self.doc).get_key_value(name).ok_or_else(nowhere)?;
                Ok(Target::Component(name))
            }
            _ => {
                let schema = self.elsewhere.get(reference).ok_or_else(nowhere)?;
                Ok(Target::Elsewhere(reference, schema))
            }
        }
    }

    /// The schema a position stands for, following `$ref`s; `None` for a
    /// dangling reference or a cycle, which other checks report.
    pub(super) fn resolve(&self, schema: SchemaRef<'d>) -> Option<&'d Schema> {
        let mut current = schema;
        for _ in 0..=schemas(self.doc).len() + self.elsewhere.len() {
            match current {
                SchemaRef::Inline(schema) => return Some(schema),
                SchemaRef::Ref(reference) => {
                    current = match self.target(reference, &Pointer::root()).ok()? {
                        Target::Component(name) => schemas(self.doc).get(name)?.into(),
                        Target::Elsewhere(_, schema) => schema.into(),
                    };
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
fn component_ref(reference: &str, section: &str, at: &Pointer) -> Result<String, Error> {
    let Some(pointer) = Pointer::from_ref(reference) else {
        return Err(Error::at(
            at,
            format!(
                "`$ref: {reference}` points into another document; only local references (`#/…`) are supported"
            ),
        ));
    };
    match pointer.segments().collect::<Vec<_>>().as_mut_slice() {
        [components, here, name] if components == "components" && here == section => {
            Ok(std::mem::take(name))
        }
        _ => Err(Error::at(
            at,
            format!("`$ref: {reference}` must point to `#/components/{section}/<name>`"),
        )),
    }
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
                if !seen.insert(name.clone()) {
                    return Err(Error::at(
                        at,
                        format!("`$ref: {reference}` is part of a cycle"),
                    ));
                }
                current = section_map
                    .and_then(|map| map.get(&name))
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

    #[test]
    fn references_reach_into_other_schemas_with_escapes() {
        let outline = lowered(&with_schemas(
            "Tag:
  allOf:
    - {type: object, properties: {label: {type: string}}}
    - {type: object, properties: {a/b: {type: boolean}}}
Entry:
  type: object
  properties:
    tag: {$ref: '#/components/schemas/Tag/allOf/0'}
    label: {$ref: '#/components/schemas/Tag/allOf/0/properties/label'}
    spaced: {$ref: '#/components/schemas/My%20Thing'}
    slashed: {$ref: '#/components/schemas/Tag/allOf/1/properties/a~1b'}
My Thing: {type: integer}
",
        ));
        has_lines(
            &outline,
            "struct Entry (#/components/schemas/Entry)
  tag: Option<types::TagAllOf0>
  label: Option<String>
  spaced: Option<types::MyThing>
  slashed: Option<bool>
struct TagAllOf0 (#/components/schemas/Tag/allOf/0)",
        );
    }
}
