//! Compositions: `allOf` merged into one struct, `oneOf`/`anyOf` into an
//! enum of shapes (picked by a discriminator when there is one).

use std::collections::HashSet;

use indexmap::IndexMap;
use openapiv3::{ReferenceOr, Schema, SchemaKind};

use super::Lowerer;
use super::refs::{SchemaRef, Target};
use super::schema::{enum_kind, object_properties, string_enum};
use crate::error::{Error, Pointer};
use crate::model::{Shape, Type, TypeKind};
use crate::names::{self, Scope};

impl<'d> Lowerer<'d> {
    /// `allOf`: one struct with the properties of every member, `$ref`
    /// parents included, and the schema's own; a later property of the same
    /// name replaces an earlier one. A lone member without properties of
    /// its own (`allOf: [$ref]`, used to attach a description) is that
    /// member's type.
    pub(super) fn all_of(
        &mut self,
        schema: &'d Schema,
        members: &'d [ReferenceOr<Schema>],
        at: &Pointer,
        name: &str,
    ) -> Result<TypeKind, Error> {
        if let ([only], None) = (members, object_properties(schema)) {
            let ty = self.type_of(only.into(), &at.join("allOf").join(0), name)?;
            return Ok(TypeKind::Alias(ty));
        }
        let mut properties = IndexMap::new();
        let mut required = Vec::new();
        let mut seen = HashSet::new();
        self.collect_properties(
            SchemaRef::Inline(schema),
            at.clone(),
            &mut properties,
            &mut required,
            &mut seen,
        )?;
        if properties.is_empty() {
            return self.all_of_one_value(members, at, name);
        }
        let properties = properties
            .into_iter()
            .map(|(wire_name, (schema, at))| (wire_name, schema, at));
        let mut fields = self.fields(properties, &required, name)?;
        self.dependent_required(schema, at, &mut fields);
        Ok(TypeKind::Struct(fields))
    }

    /// An `allOf` of no objects: a value of one type (an enum, a string)
    /// that the other members only describe or narrow (`allOf: [{$ref:
    /// Scope}, {type: string, description: …}]`). It is typed as its one
    /// `$ref` member, or, with none, as its first member; members that are
    /// different named types cannot be one value, and fall back.
    fn all_of_one_value(
        &mut self,
        members: &'d [ReferenceOr<Schema>],
        at: &Pointer,
        name: &str,
    ) -> Result<TypeKind, Error> {
        let mut references = members
            .iter()
            .enumerate()
            .filter(|(_, member)| matches!(member, ReferenceOr::Reference { .. }));
        let chosen = match (references.next(), references.next()) {
            (Some(only), None) => Some(only),
            (None, _) => members.iter().enumerate().next(),
            (Some(_), Some(_)) => None,
        };
        let ty = match chosen {
            Some((index, member)) => {
                self.type_of(member.into(), &at.join("allOf").join(index), name)?
            }
            None => self.fallback(at, "an allOf of several types that are not objects"),
        };
        Ok(TypeKind::Alias(ty))
    }

    /// Gathers the properties of `schema`, its `allOf` members first, each
    /// with the pointer it is written at. `seen` stops `$ref` cycles.
    pub(super) fn collect_properties(
        &self,
        schema: SchemaRef<'d>,
        at: Pointer,
        properties: &mut IndexMap<&'d str, (SchemaRef<'d>, Pointer)>,
        required: &mut Vec<String>,
        seen: &mut HashSet<String>,
    ) -> Result<(), Error> {
        let (schema, at) = match schema {
            SchemaRef::Inline(schema) => (schema, at),
            SchemaRef::Ref(reference) => {
                let place = match self.target(reference, &at)? {
                    Target::Component(name) => Pointer::root()
                        .join("components")
                        .join("schemas")
                        .join(name),
                    Target::Elsewhere(..) => Pointer::from_ref(reference).unwrap_or(at),
                };
                if !seen.insert(place.to_string()) {
                    return Ok(());
                }
                let Some(schema) = self.resolve(SchemaRef::Ref(reference)) else {
                    return Ok(());
                };
                (schema, place)
            }
        };
        for (index, member) in Composition::of(schema).all_of.iter().enumerate() {
            let at = at.join("allOf").join(index);
            self.collect_properties(member.into(), at, properties, required, seen)?;
        }
        if let Some((own, own_required)) = object_properties(schema) {
            for (wire_name, property) in own {
                let at = at.join("properties").join(wire_name);
                properties.insert(wire_name.as_str(), (SchemaRef::from(property), at));
            }
            required.extend(own_required.iter().cloned());
        }
        Ok(())
    }

    /// `oneOf`/`anyOf`. Members that are all strings are one string type
    /// (an enum of every member's values when each has some); a lone
    /// member is its own type; with a discriminator whose members are all
    /// `$ref`s, the value of that property picks the shape; otherwise the
    /// first shape that decodes does.
    pub(super) fn one_of(
        &mut self,
        schema: &'d Schema,
        keyword: &str,
        members: &'d [ReferenceOr<Schema>],
        at: &Pointer,
        name: &str,
    ) -> Result<TypeKind, Error> {
        let at_members = at.join(keyword);
        let resolved: Vec<Option<&'d Schema>> = members
            .iter()
            .map(|member| self.resolve(member.into()))
            .collect();
        let is_string = |schema: &Option<&Schema>| {
            matches!(
                schema.map(|schema| &schema.schema_kind),
                Some(SchemaKind::Type(openapiv3::Type::String(_)))
            )
        };
        if !members.is_empty() && resolved.iter().all(is_string) {
            let enums: Option<Vec<Vec<&str>>> = resolved
                .iter()
                .map(|schema| schema.and_then(string_enum))
                .collect();
            return Ok(match enums {
                Some(values) => {
                    let mut all: Vec<&str> = Vec::new();
                    for value in values.into_iter().flatten() {
                        if !all.contains(&value) {
                            all.push(value);
                        }
                    }
                    enum_kind(all)
                }
                None => TypeKind::Alias(Type::String),
            });
        }
        if let [only] = members {
            let ty = self.type_of(only.into(), &at_members.join(0), name)?;
            return Ok(TypeKind::Alias(ty));
        }
        let mut scope = Scope::with_reserved(&["Unknown"]);
        let discriminator = schema.schema_data.discriminator.as_ref();
        // Shapes picked by a discriminator are components, named in its mapping.
        let components: Option<Vec<(&'d str, &'d str)>> = members
            .iter()
            .enumerate()
            .map(|(index, member)| match member {
                ReferenceOr::Reference { reference } => {
                    match self.target(reference, &at_members.join(index)) {
                        Ok(Target::Component(name)) => Some(Ok((reference.as_str(), name))),
                        Ok(Target::Elsewhere(..)) => None,
                        Err(error) => Some(Err(error)),
                    }
                }
                ReferenceOr::Item(_) => None,
            })
            .collect::<Option<Result<_, _>>>()
            .transpose()?;
        if let (Some(discriminator), Some(components)) = (discriminator, components) {
            let mut variants: Vec<Shape> = Vec::new();
            for (reference, component) in components {
                let ty = Type::Named(self.component_names[component].clone());
                if variants.iter().any(|variant| variant.ty == ty) {
                    continue;
                }
                let mut tags: Vec<String> = discriminator
                    .mapping
                    .iter()
                    .filter(|(_, target)| *target == reference)
                    .map(|(tag, _)| tag.clone())
                    .collect();
                if tags.is_empty() {
                    // OpenAPI's implicit mapping: the schema's own name.
                    tags.push(component.to_owned());
                }
                variants.push(Shape {
                    name: scope.claim(names::pascal(component)),
                    ty,
                    tags,
                });
            }
            return Ok(TypeKind::OneOf {
                discriminator: Some(discriminator.property_name.clone()),
                variants,
            });
        }
        let mut variants: Vec<Shape> = Vec::new();
        for (index, member) in members.iter().enumerate() {
            let hint = format!("{name}Variant{}", index + 1);
            let ty = self.type_of(member.into(), &at_members.join(index), &hint)?;
            if variants.iter().any(|variant| variant.ty == ty) {
                continue;
            }
            variants.push(Shape {
                name: scope.claim(shape_name(&ty)),
                ty,
                tags: Vec::new(),
            });
        }
        Ok(TypeKind::OneOf {
            discriminator: None,
            variants,
        })
    }
}

/// A shape's variant name, after its type.
fn shape_name(ty: &Type) -> String {
    match ty {
        Type::Named(name) => name.clone(),
        Type::String | Type::Secret => "String".to_owned(),
        Type::DateTime => "DateTime".to_owned(),
        Type::Date => "Date".to_owned(),
        Type::Boolean => "Boolean".to_owned(),
        Type::Int(_) => "Integer".to_owned(),
        Type::F32 | Type::F64 => "Number".to_owned(),
        Type::Array(_) => "List".to_owned(),
        Type::Tuple(_) => "Tuple".to_owned(),
        Type::Map(_) | Type::JsonObject => "Map".to_owned(),
        Type::Json => "Value".to_owned(),
        Type::Bytes | Type::ByteStream => "Bytes".to_owned(),
        Type::Body => "Body".to_owned(),
        Type::File => "File".to_owned(),
        Type::Text => "Text".to_owned(),
        Type::EventStream(_) => "Events".to_owned(),
        Type::Upgraded => "Connection".to_owned(),
    }
}

/// The composition keywords of a schema, wherever openapiv3 put them: a
/// schema with only `allOf` is `SchemaKind::AllOf`, one that mixes it with
/// `type` or `properties` is `SchemaKind::Any`.
pub(super) struct Composition<'d> {
    pub(super) all_of: &'d [ReferenceOr<Schema>],
    /// `oneOf` or `anyOf` (the keyword, for pointers), when non-empty.
    pub(super) choice: Option<(&'static str, &'d [ReferenceOr<Schema>])>,
}

impl<'d> Composition<'d> {
    pub(super) fn of(schema: &'d Schema) -> Self {
        let none: &[ReferenceOr<Schema>] = &[];
        let (all_of, one_of, any_of) = match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => (all_of.as_slice(), none, none),
            SchemaKind::OneOf { one_of } => (none, one_of.as_slice(), none),
            SchemaKind::AnyOf { any_of } => (none, none, any_of.as_slice()),
            SchemaKind::Any(any) => (
                any.all_of.as_slice(),
                any.one_of.as_slice(),
                any.any_of.as_slice(),
            ),
            _ => (none, none, none),
        };
        let choice = if !one_of.is_empty() {
            Some(("oneOf", one_of))
        } else if !any_of.is_empty() {
            Some(("anyOf", any_of))
        } else {
            None
        };
        Self { all_of, choice }
    }
}

#[cfg(test)]
mod tests {
    use super::super::check::*;

    #[test]
    fn all_of_merges_every_members_properties() {
        let outline = lowered(&with_schemas(
            "Base: {type: object, required: [id], properties: {id: {type: string}}}
Dog:
  allOf:
    - $ref: '#/components/schemas/Base'
    - {type: object, properties: {bark: {type: boolean}}}
Described: {allOf: [{$ref: '#/components/schemas/Base'}], description: same}
Level: {type: string, enum: [low, high]}
Holder:
  type: object
  properties:
    level:
      allOf: [{$ref: '#/components/schemas/Level'}, {type: string, description: how much, nullable: true}]
    plain: {allOf: [{type: integer}, {minimum: 1}]}
    both: {allOf: [{$ref: '#/components/schemas/Level'}, {$ref: '#/components/schemas/Base'}]}
",
        ));
        has_lines(
            &outline,
            "struct Dog (#/components/schemas/Dog)
  id: String, required
  bark: Option<bool>
alias Described = types::Base (#/components/schemas/Described)
struct Holder (#/components/schemas/Holder)
  level: Option<types::Level>
  plain: Option<i64>
  both: Option<types::HolderBoth>",
        );
    }

    #[test]
    fn one_of_picks_shapes_by_discriminator_or_by_decoding() {
        let outline = lowered(&with_schemas(
            "Cat: {type: object, properties: {kind: {type: string}}}
Dog: {type: object, properties: {kind: {type: string}}}
Pet:
  oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
  discriminator: {propertyName: kind, mapping: {cat: '#/components/schemas/Cat', kitten: '#/components/schemas/Cat'}}
Either: {oneOf: [{type: string}, {type: integer}]}
Level: {anyOf: [{type: string, enum: [low]}, {type: string, enum: [high, low]}]}
",
        ));
        has_lines(
            &outline,
            r#"shapes Pet by "kind" (#/components/schemas/Pet)
  Cat(types::Cat) when ["cat", "kitten"]
  Dog(types::Dog) when ["Dog"]
shapes Either by first that decodes (#/components/schemas/Either)
  String(String)
  Integer(i64)
enum Level (#/components/schemas/Level): Low "low", High "high""#,
        );
    }

    #[test]
    fn an_all_of_that_comes_back_to_its_parent_is_recursive_not_endless() {
        let outline = lowered(&with_schemas(
            "Node:
  type: object
  properties:
    child: {allOf: [{$ref: '#/components/schemas/Node'}], nullable: true}
",
        ));
        has_lines(&outline, "  child: Option<Box<types::Node>>, nullable");
    }
}
