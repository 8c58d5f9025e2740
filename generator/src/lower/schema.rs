//! A schema to a type: component schemas to named types, inline objects
//! and enums to types named after where they appear, scalars, arrays and
//! maps to Rust's own.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind,
    StringFormat, VariantOrUnknownOrEmpty,
};

use super::compose::Composition;
use super::refs::{SchemaRef, schemas};
use super::{Lowerer, prose};
use crate::error::{Error, Pointer};
use crate::model::{Field, Int, Type, TypeKind, Variant};
use crate::names::{self, Scope};
use crate::parse;

/// An object schema's properties, by wire name.
pub(super) type Properties = IndexMap<String, ReferenceOr<Box<Schema>>>;

impl<'d> Lowerer<'d> {
    pub(super) fn component_schemas(&mut self) -> Result<(), Error> {
        let base = Pointer::root().join("components").join("schemas");
        for (name, schema) in schemas(self.doc) {
            let at = base.join(name);
            let rust_name = self.component_names[name.as_str()].clone();
            let (description, kind) = match schema {
                ReferenceOr::Reference { reference } => {
                    self.check_alias_cycle(name, &at)?;
                    (None, TypeKind::Alias(self.named(reference, &at)?))
                }
                ReferenceOr::Item(schema) => (
                    schema.schema_data.description.clone(),
                    self.definition(schema, &at, &rust_name)?,
                ),
            };
            self.insert(rust_name, &at, description, kind);
        }
        Ok(())
    }

    /// The kind of a named type defined by `schema`.
    pub(super) fn definition(
        &mut self,
        schema: &'d Schema,
        at: &Pointer,
        name: &str,
    ) -> Result<TypeKind, Error> {
        if let Some(values) = string_enum(schema) {
            return Ok(enum_kind(values));
        }
        let parts = Composition::of(schema);
        if let Some((keyword, members)) = parts.choice {
            return self.one_of(schema, keyword, members, at, name);
        }
        if !parts.all_of.is_empty() {
            return self.all_of(schema, parts.all_of, at, name);
        }
        if let Some((properties, required)) = object_properties(schema) {
            let properties = properties.iter().map(|(wire_name, property)| {
                let at = at.join("properties").join(wire_name);
                (wire_name.as_str(), SchemaRef::from(property), at)
            });
            let mut fields = self.fields(properties, required, name)?;
            self.dependent_required(schema, at, &mut fields);
            return Ok(TypeKind::Struct(fields));
        }
        self.inline_type(schema, at, name).map(TypeKind::Alias)
    }

    pub(super) fn fields(
        &mut self,
        properties: impl IntoIterator<Item = (&'d str, SchemaRef<'d>, Pointer)>,
        required: &[String],
        parent: &str,
    ) -> Result<Vec<Field>, Error> {
        let mut scope = Scope::default();
        let mut fields = Vec::new();
        for (wire_name, schema, at) in properties {
            let ty = self.type_of(
                schema,
                &at,
                &format!("{parent}{}", names::pascal(wire_name)),
            )?;
            let constraints = self.constraints(schema, &ty, &at);
            let data = self.resolve(schema).map(|schema| &schema.schema_data);
            let read_only = data.is_some_and(|data| data.read_only);
            let write_only = data.is_some_and(|data| data.write_only);
            fields.push(Field {
                name: scope.claim(names::snake(wire_name)),
                wire_name: wire_name.to_owned(),
                description: self.description(schema),
                ty,
                required: required.iter().any(|name| name == wire_name),
                nullable: self.nullable(schema),
                boxed: false,
                read_only,
                write_only,
                constraints,
            });
        }
        Ok(fields)
    }

    /// The type of a schema position; inline objects and enums become named
    /// types called after `hint`.
    pub(super) fn type_of(
        &mut self,
        schema: SchemaRef<'d>,
        at: &Pointer,
        hint: &str,
    ) -> Result<Type, Error> {
        match schema {
            SchemaRef::Ref(reference) => self.named(reference, at),
            SchemaRef::Inline(schema) => self.inline_type(schema, at, hint),
        }
    }

    pub(super) fn inline_type(
        &mut self,
        schema: &'d Schema,
        at: &Pointer,
        hint: &str,
    ) -> Result<Type, Error> {
        use openapiv3::Type as Json;
        let composed = Composition::of(schema);
        let composite = composed.choice.is_some() || !composed.all_of.is_empty();
        if string_enum(schema).is_some() || object_properties(schema).is_some() || composite {
            let key = at.to_string();
            if let Some((ty, used)) = self.inline_types.get_mut(&key) {
                *used = true;
                return Ok(ty.clone());
            }
            let name = self.type_names.claim(names::pascal(hint));
            // Claimed before lowering the schema, which may reach this very
            // schema again (a property whose allOf names its own parent).
            self.inline_types
                .insert(key.clone(), (Type::Named(name.clone()), false));
            let kind = self.definition(schema, at, &name)?;
            let used = self.inline_types.get(&key).is_some_and(|(_, used)| *used);
            let ty = match kind {
                // An inline alias needs no name of its own, unless the
                // schema referred to itself through it.
                TypeKind::Alias(ty) if !used => ty,
                kind => {
                    let description = schema.schema_data.description.clone();
                    self.insert(name.clone(), at, description, kind);
                    Type::Named(name)
                }
            };
            self.inline_types.insert(key, (ty.clone(), true));
            return Ok(ty);
        }
        Ok(match &schema.schema_kind {
            SchemaKind::Type(Json::String(string)) => match &string.format {
                VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Type::DateTime,
                VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Type::Date,
                VariantOrUnknownOrEmpty::Item(StringFormat::Password) => Type::Secret,
                _ => Type::String,
            },
            SchemaKind::Type(Json::Integer(integer)) => Type::Int(match &integer.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => Int::I32,
                VariantOrUnknownOrEmpty::Unknown(format) => {
                    Int::of_format(format).unwrap_or(Int::I64)
                }
                _ => Int::I64,
            }),
            SchemaKind::Type(Json::Number(number)) => match number.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => Type::F32,
                _ => Type::F64,
            },
            SchemaKind::Type(Json::Boolean(_)) => Type::Boolean,
            SchemaKind::Type(Json::Object(object)) => {
                self.map_type(object.additional_properties.as_ref(), at, hint)?
            }
            SchemaKind::Type(Json::Array(_)) if self.tuple_items(schema).is_some() => {
                self.tuple_type(schema, at, hint)?
            }
            SchemaKind::Type(Json::Array(array)) => {
                self.array_type(array.items.as_ref(), at, hint)?
            }
            SchemaKind::Any(any) if any.items.is_some() => {
                self.array_type(any.items.as_ref(), at, hint)?
            }
            SchemaKind::Any(any) if any.additional_properties.is_some() => {
                self.map_type(any.additional_properties.as_ref(), at, hint)?
            }
            // A typed schema openapiv3 could not sort into its `Type`s (an
            // odd keyword for the type, say): the type is still the type.
            SchemaKind::Any(any) => match any.typ.as_deref() {
                Some("string") => Type::String,
                Some("integer") => Type::Int(
                    any.format
                        .as_deref()
                        .and_then(Int::of_format)
                        .unwrap_or(Int::I64),
                ),
                Some("number") if any.format.as_deref() == Some("float") => Type::F32,
                Some("number") => Type::F64,
                Some("boolean") => Type::Boolean,
                Some("object") => Type::JsonObject,
                _ => Type::Json,
            },
            // Reached only through `Composition`, which covers these.
            SchemaKind::OneOf { .. } | SchemaKind::AllOf { .. } | SchemaKind::AnyOf { .. } => {
                self.fallback(at, "a composition without members")
            }
            SchemaKind::Not { .. } => self.fallback(at, "`not` has no Rust type"),
        })
    }

    fn array_type(
        &mut self,
        items: Option<&'d ReferenceOr<Box<Schema>>>,
        at: &Pointer,
        hint: &str,
    ) -> Result<Type, Error> {
        let item = match items {
            Some(items) => self.type_of(items.into(), &at.join("items"), &format!("{hint}Item"))?,
            None => Type::Json,
        };
        Ok(Type::Array(Box::new(item)))
    }

    /// Each field's `dependentRequired` (carried by a 3.1 document's
    /// extension): the other fields it requires, when they are fields of
    /// the struct; a name that is none is left out with a warning.
    pub(super) fn dependent_required(
        &mut self,
        schema: &Schema,
        at: &Pointer,
        fields: &mut [Field],
    ) {
        let Some(serde_json::Value::Object(dependent)) =
            schema.schema_data.extensions.get(parse::DEPENDENT_REQUIRED)
        else {
            return;
        };
        let at = at.join("dependentRequired");
        let position = |fields: &[Field], wire_name: &str| {
            fields.iter().position(|field| field.wire_name == wire_name)
        };
        for (name, required) in dependent {
            let unknown = |unknown: &str| {
                format!(
                    "`{unknown}` is no property of the object; this rule is not checked before sending"
                )
            };
            let Some(index) = position(fields, name) else {
                self.left_out(&at.join(name), unknown(name));
                continue;
            };
            for other in required
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(serde_json::Value::as_str)
            {
                match position(fields, other) {
                    Some(_) => fields[index].constraints.requires.push(other.to_owned()),
                    None => self.left_out(&at.join(name), unknown(other)),
                }
            }
        }
    }

    /// The items of the tuple `schema` is, when a 3.1 document's
    /// `prefixItems` made it one.
    fn tuple_items(&self, schema: &Schema) -> Option<&'d [ReferenceOr<Schema>]> {
        let index = schema.schema_data.extensions.get(parse::TUPLE)?.as_u64()?;
        let tuples: &'d [Vec<ReferenceOr<Schema>>] = self.tuples;
        tuples.get(usize::try_from(index).ok()?).map(Vec::as_slice)
    }

    fn tuple_type(&mut self, schema: &Schema, at: &Pointer, hint: &str) -> Result<Type, Error> {
        let items = self.tuple_items(schema).unwrap_or_default();
        let at = at.join("prefixItems");
        let items = items
            .iter()
            .enumerate()
            .map(|(index, item)| {
                self.type_of(item.into(), &at.join(index), &format!("{hint}Item{index}"))
            })
            .collect::<Result<_, _>>()?;
        Ok(Type::Tuple(items))
    }

    /// An object without properties: a map of its additional properties.
    fn map_type(
        &mut self,
        additional: Option<&'d AdditionalProperties>,
        at: &Pointer,
        hint: &str,
    ) -> Result<Type, Error> {
        match additional {
            Some(AdditionalProperties::Schema(value)) => {
                let at = at.join("additionalProperties");
                let value =
                    self.type_of(SchemaRef::from(&**value), &at, &format!("{hint}Value"))?;
                Ok(Type::Map(Box::new(value)))
            }
            Some(AdditionalProperties::Any(_)) | None => Ok(Type::JsonObject),
        }
    }

    pub(super) fn nullable(&self, schema: SchemaRef<'d>) -> bool {
        self.resolve(schema)
            .is_some_and(|schema| schema.schema_data.nullable)
    }

    pub(super) fn description(&self, schema: SchemaRef<'d>) -> Option<String> {
        self.resolve(schema)
            .and_then(|schema| prose(schema.schema_data.description.as_ref()))
    }
}

/// The values of a string enumeration, when the schema is one.
pub(super) fn string_enum(schema: &Schema) -> Option<Vec<&str>> {
    match &schema.schema_kind {
        SchemaKind::Type(openapiv3::Type::String(string)) if !string.enumeration.is_empty() => {
            Some(
                string
                    .enumeration
                    .iter()
                    .flatten()
                    .map(String::as_str)
                    .collect(),
            )
        }
        _ => None,
    }
}

/// A string enumeration's kind; `Unknown` is the variant that catches
/// values added after generation.
pub(super) fn enum_kind(values: Vec<&str>) -> TypeKind {
    let mut scope = Scope::with_reserved(&["Unknown"]);
    let variants = values
        .into_iter()
        .map(|wire_name| Variant {
            name: scope.claim(names::pascal(wire_name)),
            wire_name: wire_name.to_owned(),
        })
        .collect();
    TypeKind::Enum(variants)
}

/// The properties and required names of an object schema that has properties.
pub(super) fn object_properties(schema: &Schema) -> Option<(&Properties, &[String])> {
    let (properties, required) = match &schema.schema_kind {
        SchemaKind::Type(openapiv3::Type::Object(object)) => (&object.properties, &object.required),
        SchemaKind::Any(any) => (&any.properties, &any.required),
        _ => return None,
    };
    (!properties.is_empty()).then_some((properties, required.as_slice()))
}

#[cfg(test)]
mod tests {
    use super::super::check::*;

    #[test]
    fn scalars_map_to_rust_types_by_format() {
        let outline = lowered(&with_schemas(
            "A:
  type: object
  required: [at]
  properties:
    at: {type: string, format: date-time}
    day: {type: string, format: date}
    secret: {type: string, format: password}
    small: {type: integer, format: int32}
    big: {type: integer}
    ratio: {type: number, format: float}
    wide: {type: number}
    flag: {type: boolean, nullable: true}
    anything: {}
    tiny: {type: integer, format: int8}
    count: {type: integer, format: uint64, minimum: 0}
    odd: {type: integer, format: int128}
",
        ));
        has_lines(
            &outline,
            "struct A (#/components/schemas/A)
  at: DateTime<Utc>, required
  day: Option<NaiveDate>
  secret: Option<Secret>
  small: Option<i32>
  big: Option<i64>
  ratio: Option<f32>
  wide: Option<f64>
  flag: Option<bool>, nullable
  anything: Option<serde_json::Value>
  tiny: Option<i8>
  count: Option<u64>, >= 0
  odd: Option<i64>",
        );
    }
    #[test]
    fn inline_objects_and_enums_are_named_after_their_place() {
        let outline = lowered(&with_schemas(
            "Pet:
  type: object
  properties:
    owner: {type: object, properties: {name: {type: string}}}
    kind: {type: string, enum: [cat, dog-like]}
    tags: {type: object, additionalProperties: {type: string}}
    extra: {type: object, additionalProperties: true}
    list: {type: array, items: {type: integer}}
",
        ));
        has_lines(
            &outline,
            r#"struct Pet (#/components/schemas/Pet)
  owner: Option<types::PetOwner>
  kind: Option<types::PetKind>
  tags: Option<BTreeMap<String, String>>
  extra: Option<serde_json::Map<String, serde_json::Value>>
  list: Option<Vec<i64>>
struct PetOwner (#/components/schemas/Pet/properties/owner)
enum PetKind (#/components/schemas/Pet/properties/kind): Cat "cat", DogLike "dog-like""#,
        );
    }

    #[test]
    fn a_not_schema_is_a_located_fallback() {
        let outline = lowered(&with_schemas("A: {not: {type: string}}"));
        has_lines(
            &outline,
            "alias A = serde_json::Value (#/components/schemas/A)
fallback #/components/schemas/A: `not` has no Rust type; typed as serde_json::Value",
        );
    }

    #[test]
    fn a_3_1_document_lowers_as_its_3_0_spelling_would() {
        let text = with_schemas(
            "Point:
  type: array
  prefixItems: [{type: number}, {$ref: '#/components/schemas/Tag'}, {type: object, properties: {x: {type: string}}}]
  items: false
Tag: {type: string, enum: [a, b]}
Tree:
  type: object
  properties:
    pair: {prefixItems: [{$ref: '#/components/schemas/Tree'}, {type: string}], items: false}
Pet:
  type: object
  required: [name, born]
  properties:
    name: {type: [string, 'null']}
    tag: {$ref: '#/components/schemas/Tag', description: what it is}
    maybe: {oneOf: [{$ref: '#/components/schemas/Tag'}, {type: 'null'}]}
    either: {type: [string, integer]}
    born: {type: string, format: date-time}
    inner: {$ref: '#/components/schemas/Pet/$defs/Inner'}
    home: {$ref: '#/components/schemas/Tree', type: [object, 'null'], readOnly: true}
    label: {$ref: '#/components/schemas/Tag', type: [string, 'null']}
  $defs:
    Inner: {type: object, properties: {deep: {type: [integer, 'null']}}}
",
        )
        .replacen("openapi: 3.0.3", "openapi: 3.1.0", 1);
        let outline = lowered(&text);
        has_lines(
            &outline,
            r#"alias Point = (f64, types::Tag, types::PointItem2) (#/components/schemas/Point)
struct PointItem2 (#/components/schemas/Point/prefixItems/2)
struct Tree (#/components/schemas/Tree)
  pair: Option<Box<(types::Tree, String)>>
struct Pet (#/components/schemas/Pet)
  name: Option<String>, required, nullable
  tag: Option<types::Tag>
  maybe: Option<types::Tag>, nullable
  either: Option<types::PetEither>
  born: DateTime<Utc>, required
  inner: Option<types::PetDefsInner>
  home: Option<types::Tree>, nullable, read-only
  label: Option<types::Tag>, nullable
struct PetDefsInner (#/components/schemas/Pet/$defs/Inner)
  deep: Option<i64>, nullable
  String(String)
  Integer(i64)"#,
        );
    }

    #[test]
    fn dependent_required_fields_are_rules_of_the_field_that_requires_them() {
        let text = with_schemas(
            "Window:
  type: object
  required: [kind]
  properties: {from: {type: string}, to: {type: string}, kind: {type: string}}
  dependentRequired: {from: [to, kind, until], kind: [from]}
",
        )
        .replacen("openapi: 3.0.3", "openapi: 3.1.0", 1);
        has_lines(
            &lowered(&text),
            r#"struct Window (#/components/schemas/Window)
  from: Option<String>, requires ["to", "kind"]
  to: Option<String>
  kind: String, required, requires ["from"]
fallback #/components/schemas/Window/dependentRequired/from: `until` is no property of the object; this rule is not checked before sending"#,
        );
    }
}
