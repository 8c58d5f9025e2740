//! Stage 2: an `openapiv3` document to the intermediate model.
//!
//! Resolves every `$ref`, names every type (component schemas first, then
//! inline schemas after the place they appear), and refuses what the model
//! cannot say yet with an error at the construct's JSON pointer.

use std::collections::{BTreeMap, HashMap, HashSet};

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, OpenAPI, ParameterSchemaOrContent, PathItem,
    ReferenceOr, Schema, SchemaKind, StatusCode, StringFormat, VariantOrUnknownOrEmpty,
};

use crate::Conventions;
use crate::error::{Error, Pointer};
use crate::model::{
    Api, Constraints, Fallback, Field, HttpMethod, Location, Operation, Paging, Parameter,
    RequestBody, Shape, SuccessResponse, Type, TypeDef, TypeKind, Variant, Version,
    label_precedence,
};
use crate::names::{self, Scope};

/// An object schema's properties, by wire name.
type Properties = IndexMap<String, ReferenceOr<Box<Schema>>>;

/// Type names that would shadow the prelude or the derives in `types.rs`.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Box",
    "Deserialize",
    "Err",
    "None",
    "Ok",
    "Option",
    "Result",
    "Serialize",
    "Some",
    "String",
    "Vec",
];

/// Builder names that would shadow what `operations.rs` imports.
const RESERVED_BUILDER_NAMES: &[&str] = &[
    "ApiResponse",
    "Box",
    "Client",
    "Err",
    "Error",
    "None",
    "Ok",
    "Option",
    "Request",
    "Result",
    "Some",
    "String",
    "Vec",
];

/// Method names `Client` already has, inherent or through derives.
const RESERVED_METHOD_NAMES: &[&str] = &[
    "base_url",
    "builder",
    "clone",
    "fmt",
    "send_empty",
    "send_json",
];

/// Module names the crate already has, so no API version can take them.
const RESERVED_MODULE_NAMES: &[&str] = &["operations", "runtime", "types"];

/// Parameter names taken by a request builder's own members.
const RESERVED_PARAMETER_NAMES: &[&str] = &["body", "client", "into_future", "send"];

/// Lowers a parsed document into the model, applying the API's `conventions`.
pub fn lower(doc: &OpenAPI, conventions: &Conventions) -> Result<Api, Error> {
    let mut lowerer = Lowerer::new(doc, conventions);
    lowerer.component_schemas()?;
    let mut operations = lowerer.operations()?;
    box_recursive_fields(&mut lowerer.types);
    mark_validated(&mut lowerer.types, &operations);
    for operation in &mut operations {
        apply_conventions(operation, &lowerer.types, conventions);
    }
    Ok(Api {
        title: doc.info.title.clone(),
        description: doc.info.description.clone(),
        version: doc.info.version.clone(),
        base_url: doc.servers.first().map(|server| server.url.clone()),
        types: lowerer.types.into_values().collect(),
        operations,
        fallbacks: lowerer.fallbacks,
    })
}

/// A schema position: a `$ref` or a schema written in place.
#[derive(Clone, Copy)]
enum SchemaRef<'d> {
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

struct Lowerer<'d> {
    doc: &'d OpenAPI,
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
    fallbacks: Vec<Fallback>,
}

impl<'d> Lowerer<'d> {
    fn new(doc: &'d OpenAPI, conventions: &'d Conventions) -> Self {
        let mut type_names = Scope::with_reserved(RESERVED_TYPE_NAMES);
        // Components claim their names before any inline schema can.
        let component_names = schemas(doc)
            .keys()
            .map(|name| (name.as_str(), type_names.claim(names::pascal(name))))
            .collect();
        Self {
            doc,
            conventions,
            component_names,
            type_names,
            types: BTreeMap::new(),
            inline_types: HashMap::new(),
            patterns: HashMap::new(),
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
        });
    }

    fn component_schemas(&mut self) -> Result<(), Error> {
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

    fn insert(&mut self, name: String, at: &Pointer, description: Option<String>, kind: TypeKind) {
        let def = TypeDef {
            name: name.clone(),
            source: at.to_string(),
            description,
            kind,
            validated: false,
        };
        self.types.insert(name, def);
    }

    /// Fails when a chain of component `$ref`s comes back to `start` without
    /// passing through a schema of its own: such a type would be infinite.
    fn check_alias_cycle(&self, start: &str, at: &Pointer) -> Result<(), Error> {
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

    /// The kind of a named type defined by `schema`.
    fn definition(
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
            return Ok(TypeKind::Struct(self.fields(properties, required, name)?));
        }
        self.inline_type(schema, at, name).map(TypeKind::Alias)
    }

    /// `allOf`: one struct with the properties of every member, `$ref`
    /// parents included, and the schema's own; a later property of the same
    /// name replaces an earlier one. A lone member without properties of
    /// its own (`allOf: [$ref]`, used to attach a description) is that
    /// member's type.
    fn all_of(
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
            let ty = self.fallback(at, "an allOf whose members have no properties to merge");
            return Ok(TypeKind::Alias(ty));
        }
        let properties = properties
            .into_iter()
            .map(|(wire_name, (schema, at))| (wire_name, schema, at));
        Ok(TypeKind::Struct(self.fields(properties, &required, name)?))
    }

    /// Gathers the properties of `schema`, its `allOf` members first, each
    /// with the pointer it is written at. `seen` stops `$ref` cycles.
    fn collect_properties(
        &self,
        schema: SchemaRef<'d>,
        at: Pointer,
        properties: &mut IndexMap<&'d str, (SchemaRef<'d>, Pointer)>,
        required: &mut Vec<String>,
        seen: &mut HashSet<&'d str>,
    ) -> Result<(), Error> {
        let (schema, at) = match schema {
            SchemaRef::Inline(schema) => (schema, at),
            SchemaRef::Ref(reference) => {
                let name = self.component_name(reference, &at)?;
                if !seen.insert(name) {
                    return Ok(());
                }
                let Some(schema) = self.resolve(SchemaRef::Ref(reference)) else {
                    return Ok(());
                };
                (
                    schema,
                    Pointer::root()
                        .join("components")
                        .join("schemas")
                        .join(name),
                )
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
    fn one_of(
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
        let references: Option<Vec<&'d str>> = members
            .iter()
            .map(|member| match member {
                ReferenceOr::Reference { reference } => Some(reference.as_str()),
                ReferenceOr::Item(_) => None,
            })
            .collect();
        if let (Some(discriminator), Some(references)) = (discriminator, references) {
            let mut variants: Vec<Shape> = Vec::new();
            for (index, reference) in references.iter().enumerate() {
                let component = self.component_name(reference, &at_members.join(index))?;
                let ty = Type::Named(self.component_names[component].clone());
                if variants.iter().any(|variant| variant.ty == ty) {
                    continue;
                }
                let mut tags: Vec<String> = discriminator
                    .mapping
                    .iter()
                    .filter(|(_, target)| target == reference)
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

    fn fields(
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
            let constraints = self.constraints(schema, &ty);
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
    fn type_of(&mut self, schema: SchemaRef<'d>, at: &Pointer, hint: &str) -> Result<Type, Error> {
        match schema {
            SchemaRef::Ref(reference) => self.named(reference, at),
            SchemaRef::Inline(schema) => self.inline_type(schema, at, hint),
        }
    }

    fn inline_type(&mut self, schema: &'d Schema, at: &Pointer, hint: &str) -> Result<Type, Error> {
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
            SchemaKind::Type(Json::Integer(integer)) => match integer.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => Type::I32,
                _ => Type::I64,
            },
            SchemaKind::Type(Json::Number(number)) => match number.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => Type::F32,
                _ => Type::F64,
            },
            SchemaKind::Type(Json::Boolean(_)) => Type::Boolean,
            SchemaKind::Type(Json::Object(object)) => {
                self.map_type(object.additional_properties.as_ref(), at, hint)?
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
                Some("integer") if any.format.as_deref() == Some("int32") => Type::I32,
                Some("integer") => Type::I64,
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

    /// The named type a `$ref` points to.
    fn named(&self, reference: &str, at: &Pointer) -> Result<Type, Error> {
        let name = self.component_name(reference, at)?;
        Ok(Type::Named(self.component_names[name].clone()))
    }

    /// The component schema name in a `$ref`, checked to exist.
    fn component_name(&self, reference: &'d str, at: &Pointer) -> Result<&'d str, Error> {
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
    fn resolve(&self, schema: SchemaRef<'d>) -> Option<&'d Schema> {
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

    /// The checkable rules of a scalar schema. Patterns the `regex` crate
    /// cannot compile (ECMA-262 lookaround, say) are left to the server.
    fn constraints(&mut self, schema: SchemaRef<'d>, ty: &Type) -> Constraints {
        let Some(schema) = self.resolve(schema) else {
            return Constraints::default();
        };
        match (&schema.schema_kind, ty) {
            (SchemaKind::Type(openapiv3::Type::String(string)), Type::String) => Constraints {
                min_length: string.min_length,
                max_length: string.max_length,
                pattern: string
                    .pattern
                    .as_deref()
                    .filter(|pattern| self.compiles(pattern))
                    .map(str::to_owned),
                ..Constraints::default()
            },
            (SchemaKind::Type(openapiv3::Type::Integer(integer)), Type::I32 | Type::I64) => {
                Constraints {
                    minimum: integer
                        .minimum
                        .filter(|_| !integer.exclusive_minimum)
                        .map(|bound| bound as f64),
                    maximum: integer
                        .maximum
                        .filter(|_| !integer.exclusive_maximum)
                        .map(|bound| bound as f64),
                    ..Constraints::default()
                }
            }
            (SchemaKind::Type(openapiv3::Type::Number(number)), Type::F32 | Type::F64) => {
                Constraints {
                    minimum: number.minimum.filter(|_| !number.exclusive_minimum),
                    maximum: number.maximum.filter(|_| !number.exclusive_maximum),
                    ..Constraints::default()
                }
            }
            _ => Constraints::default(),
        }
    }

    /// Whether the `regex` crate compiles `pattern`. Remembered: compiling is
    /// costly (Unicode classes most), and specs repeat their patterns, which
    /// `allOf` merging lowers again for every child.
    fn compiles(&mut self, pattern: &'d str) -> bool {
        *self
            .patterns
            .entry(pattern)
            .or_insert_with(|| regex::Regex::new(pattern).is_ok())
    }

    fn nullable(&self, schema: SchemaRef<'d>) -> bool {
        self.resolve(schema)
            .is_some_and(|schema| schema.schema_data.nullable)
    }

    fn description(&self, schema: SchemaRef<'d>) -> Option<String> {
        self.resolve(schema)
            .and_then(|schema| schema.schema_data.description.clone())
    }

    fn operations(&mut self) -> Result<Vec<Operation>, Error> {
        let mut method_names = Scope::with_reserved(RESERVED_METHOD_NAMES);
        let mut builder_names = Scope::with_reserved(RESERVED_BUILDER_NAMES);
        let mut ids = HashMap::new();
        let mut operations = Vec::new();
        for (path, item) in &self.doc.paths.paths {
            let at_path = Pointer::root().join("paths").join(path);
            let item: &PathItem = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { .. } => {
                    self.left_out(
                        &at_path,
                        "a `$ref` path item is not followed; left out".to_owned(),
                    );
                    continue;
                }
            };
            for (method, operation) in item.iter() {
                let at = at_path.join(method);
                let id = match &operation.operation_id {
                    Some(id) => id.clone(),
                    None => names::snake(&format!("{method} {path}"))
                        .trim_start_matches("r#")
                        .to_owned(),
                };
                if let Some(first) = ids.insert(id.clone(), at.clone()) {
                    return Err(Error::at(
                        &at.join("operationId"),
                        format!("operationId `{id}` is already used at {first}"),
                    ));
                }
                let name = self
                    .conventions
                    .operation_name_extension
                    .as_ref()
                    .and_then(|extension| operation.extensions.get(extension))
                    .and_then(serde_json::Value::as_str)
                    .filter(|name| !name.trim().is_empty())
                    .unwrap_or(&id);
                let context = OperationContext {
                    at_path: at_path.clone(),
                    method_name: method_names.claim(names::snake(name)),
                    builder_name: builder_names.claim(names::pascal(name)),
                    id,
                    path,
                    method,
                    at,
                };
                operations.extend(self.operation(context, operation, &item.parameters)?);
            }
        }
        name_version_modules(&mut operations, method_names);
        choose_defaults(&mut operations);
        Ok(operations)
    }

    /// The operation once per API version it is offered in (once if unversioned).
    fn operation(
        &mut self,
        context: OperationContext<'_>,
        operation: &'d openapiv3::Operation,
        path_parameters: &'d [ReferenceOr<openapiv3::Parameter>],
    ) -> Result<Vec<Operation>, Error> {
        let OperationContext {
            at_path,
            id,
            method_name,
            builder_name,
            path,
            method,
            at,
        } = context;
        let parameters =
            self.parameters(operation, (path_parameters, &at_path), &at, &builder_name)?;
        check_path_template(path, &parameters, &at)?;
        let at_body = at.join("requestBody");
        let body = match &operation.request_body {
            Some(body) => {
                let requests = self.doc.components.as_ref().map(|c| &c.request_bodies);
                Some(resolve_component(
                    requests,
                    "requestBodies",
                    body,
                    &at_body,
                )?)
            }
            None => None,
        };
        let responses = self.responses(operation, &at, &builder_name)?;
        let successes = responses
            .successes
            .iter()
            .map(|(status, response, at)| (*status, &response.content, at.join("content")))
            .collect();
        let choices = self.media_choices(
            body.map(|body| (&body.content, at_body.join("content"))),
            successes,
        );
        let several = choices.len() > 1;
        let mut lowered = Vec::with_capacity(choices.len());
        for choice in choices {
            // Inline schemas of different versions need names of their own.
            let hint = match (several, choice.label) {
                (true, Some(label)) => format!("{builder_name}{}", names::pascal(label)),
                _ => builder_name.clone(),
            };
            let request_body = match (body, &choice.body) {
                (Some(body), Some(media)) => Some(RequestBody {
                    media_type: media.media_type.to_owned(),
                    description: body.description.clone(),
                    ty: self
                        .media_type(media, &format!("{hint}Body"))?
                        .unwrap_or(Type::Json),
                    required: body.required,
                }),
                _ => None,
            };
            let success_ty = match &choice.success {
                Some(media) => self.media_type(media, &format!("{hint}Response"))?,
                None => None,
            };
            let success_status = choice
                .success
                .as_ref()
                .map_or(responses.success_status, |media| media.status);
            let accept = match (&choice.success, &choice.body, choice.label) {
                (Some(media), ..) => media.media_type.to_owned(),
                // A versioned operation without a response body still names
                // its version in `Accept`, which is what the server routes on.
                (None, Some(media), Some(_)) => media.media_type.to_owned(),
                _ => responses
                    .error_media_type
                    .clone()
                    .unwrap_or_else(|| "*/*".to_owned()),
            };
            lowered.push(Operation {
                id: id.clone(),
                method_name: method_name.clone(),
                builder_name: builder_name.clone(),
                http_method: http_method(method),
                path: path.to_owned(),
                summary: operation.summary.clone(),
                description: operation.description.clone(),
                deprecated: operation.deprecated,
                parameters: parameters.clone(),
                body: request_body,
                success: SuccessResponse {
                    status: success_status,
                    description: responses.description.clone(),
                    ty: success_ty,
                },
                accept,
                error_type: responses.error_type.clone(),
                paging: None,
                envelope_parameter: None,
                // Module names need every version and method name first;
                // `name_version_modules` fills them in.
                version: choice.label.map(|label| Version {
                    label: label.to_owned(),
                    module: String::new(),
                }),
                is_default: false,
            });
        }
        Ok(lowered)
    }

    /// The type of a media type's schema; `None` when it has no schema.
    /// Bodies that are not JSON are bytes, whatever their schema says.
    fn media_type(&mut self, media: &Media<'d>, hint: &str) -> Result<Option<Type>, Error> {
        if !is_json(media.media_type) {
            return Ok(Some(Type::Bytes));
        }
        match &media.content.schema {
            Some(schema) => Ok(Some(self.type_of(
                schema.into(),
                &media.at.join("schema"),
                hint,
            )?)),
            None => Ok(None),
        }
    }

    /// Pairs the request body's and the success responses' media types by
    /// API version (`x-xgen-version`). Without versions there is one choice.
    /// A media type without a version takes that of another media type of
    /// the operation with the same name (request bodies often leave it out);
    /// one still without, and a version that lacks its body or its answer,
    /// is left out with a fallback warning. Among several media types of one
    /// version, JSON is preferred; the others are not offered.
    fn media_choices(
        &mut self,
        body: Option<(&'d IndexMap<String, openapiv3::MediaType>, Pointer)>,
        successes: Vec<(u16, &'d IndexMap<String, openapiv3::MediaType>, Pointer)>,
    ) -> Vec<MediaChoice<'d>> {
        let entries =
            |content: &'d IndexMap<String, openapiv3::MediaType>, at: &Pointer, status| {
                content
                    .iter()
                    .map(move |(media_type, media)| Media {
                        media_type,
                        content: media,
                        at: at.join(media_type),
                        status,
                    })
                    .collect::<Vec<_>>()
            };
        let body_at = body.as_ref().map(|(_, at)| at.clone());
        let body_media = body
            .map(|(content, at)| entries(content, &at, 0))
            .unwrap_or_default();
        let success_at = successes.first().map(|(_, _, at)| at.clone());
        let success_media: Vec<Media<'d>> = successes
            .iter()
            .flat_map(|(status, content, at)| entries(content, at, *status))
            .collect();
        let versioned = body_media
            .iter()
            .chain(&success_media)
            .any(|media| version_label(media.content).is_some());
        if !versioned {
            return vec![MediaChoice {
                label: None,
                body: preferred(body_media),
                success: preferred(success_media),
            }];
        }
        let known: HashMap<&str, &'d str> = body_media
            .iter()
            .chain(&success_media)
            .filter_map(|media| Some((media.media_type, version_label(media.content)?)))
            .collect();
        let has_body = !body_media.is_empty();
        let has_success = !success_media.is_empty();
        let mut by_label = |media: Vec<Media<'d>>| {
            let mut grouped: BTreeMap<&'d str, Vec<Media<'d>>> = BTreeMap::new();
            for media in media {
                match version_label(media.content).or_else(|| known.get(media.media_type).copied())
                {
                    Some(label) => grouped.entry(label).or_default().push(media),
                    None => {
                        self.left_out(
                            &media.at,
                            format!(
                                "`{}` names no API version, unlike the operation's other media types; left out",
                                media.media_type
                            ),
                        );
                    }
                }
            }
            grouped
        };
        let mut bodies = by_label(body_media);
        let mut answers = by_label(success_media);
        let mut labels: Vec<&'d str> = bodies.keys().chain(answers.keys()).copied().collect();
        labels.sort_by(|a, b| label_precedence(a, b));
        labels.dedup();
        let mut choices = Vec::with_capacity(labels.len());
        for label in labels {
            let body = bodies.remove(label).and_then(preferred);
            let success = answers.remove(label).and_then(preferred);
            let missing = match (&body, &success) {
                (None, _) if has_body => Some(("request body", &body_at, "response")),
                (_, None) if has_success => Some(("success response", &success_at, "request body")),
                _ => None,
            };
            if let Some((side, at, other)) = missing {
                let at = at.clone().unwrap_or_else(Pointer::root);
                self.left_out(
                    &at,
                    format!(
                        "the {side} has no media type of API version `{label}`, which the {other} offers; that version is left out"
                    ),
                );
                continue;
            }
            choices.push(MediaChoice {
                label: Some(label),
                body,
                success,
            });
        }
        choices
    }

    /// Path-item parameters, then the operation's; an operation's parameter
    /// replaces a path item's of the same name and location.
    fn parameters(
        &mut self,
        operation: &'d openapiv3::Operation,
        (path_parameters, at_path): (&'d [ReferenceOr<openapiv3::Parameter>], &Pointer),
        at: &Pointer,
        builder_name: &str,
    ) -> Result<Vec<Parameter>, Error> {
        let path_level = path_parameters
            .iter()
            .enumerate()
            .map(|(index, parameter)| (parameter, at_path.join("parameters").join(index)));
        let operation_level = operation
            .parameters
            .iter()
            .enumerate()
            .map(|(index, parameter)| (parameter, at.join("parameters").join(index)));

        let mut merged: IndexMap<(String, Location), (&'d openapiv3::Parameter, Pointer)> =
            IndexMap::new();
        for (parameter, at) in path_level.chain(operation_level) {
            let parameter = resolve_component(
                self.doc.components.as_ref().map(|c| &c.parameters),
                "parameters",
                parameter,
                &at,
            )?;
            let location = match parameter {
                openapiv3::Parameter::Path { .. } => Location::Path,
                openapiv3::Parameter::Query { .. } => Location::Query,
                openapiv3::Parameter::Header { .. } => Location::Header,
                openapiv3::Parameter::Cookie { .. } => {
                    // reqwest keeps no cookie jar here; the server sets
                    // cookies, a client does not choose them per call.
                    self.left_out(&at, "a cookie parameter is not sent; left out".to_owned());
                    continue;
                }
            };
            let name = parameter.parameter_data_ref().name.clone();
            merged.insert((name, location), (parameter, at));
        }

        let mut scope = Scope::with_reserved(RESERVED_PARAMETER_NAMES);
        let mut parameters = Vec::with_capacity(merged.len());
        for ((wire_name, location), (parameter, at)) in merged {
            let data = parameter.parameter_data_ref();
            let (schema, ty) = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    let schema = SchemaRef::from(schema);
                    let hint = format!("{builder_name}{}", names::pascal(&wire_name));
                    (
                        Some(schema),
                        self.type_of(schema, &at.join("schema"), &hint)?,
                    )
                }
                ParameterSchemaOrContent::Content(_) => (
                    None,
                    self.fallback(&at.join("content"), "a parameter serialised by media type"),
                ),
            };
            let resolved = schema.and_then(|schema| self.resolve(schema));
            let default = resolved
                .and_then(|schema| schema.schema_data.default.as_ref())
                .map(|value| value.to_string());
            let example = data
                .example
                .as_ref()
                .or_else(|| resolved.and_then(|schema| schema.schema_data.example.as_ref()))
                .map(|value| value.to_string());
            let constraints = schema
                .map(|schema| self.constraints(schema, &ty))
                .unwrap_or_default();
            parameters.push(Parameter {
                name: scope.claim(names::snake(&wire_name)),
                wire_name,
                location,
                description: data.description.clone(),
                ty,
                required: data.required || location == Location::Path,
                default,
                example,
                constraints,
            });
        }
        Ok(parameters)
    }

    fn responses(
        &mut self,
        operation: &'d openapiv3::Operation,
        at: &Pointer,
        builder_name: &str,
    ) -> Result<Responses<'d>, Error> {
        let at = at.join("responses");
        let components = self.doc.components.as_ref().map(|c| &c.responses);
        let mut successes: Vec<(u16, &'d openapiv3::Response, Pointer)> = Vec::new();
        let mut error_types = Vec::new();
        let mut error_media_type = None;
        let all = operation
            .responses
            .responses
            .iter()
            .map(|(status, response)| (Some(status), response));
        for (status, response) in all.chain(operation.responses.default.iter().map(|r| (None, r))) {
            let at = at.join(status.map_or_else(|| "default".to_owned(), ToString::to_string));
            let response = resolve_component(components, "responses", response, &at)?;
            let code = match status {
                Some(StatusCode::Code(code)) => *code,
                Some(StatusCode::Range(range)) => range * 100,
                None => 0,
            };
            if (200..300).contains(&code) {
                successes.push((code, response, at));
                continue;
            }
            if code != 0 && code < 400 {
                continue;
            }
            // Errors are decoded when they are JSON; other error bodies are
            // kept as bytes in the error.
            if let Some((media_type, content)) = response
                .content
                .iter()
                .find(|(media_type, _)| is_json(media_type))
            {
                error_media_type.get_or_insert_with(|| media_type.clone());
                if let Some(schema) = &content.schema {
                    let at = at.join("content").join(media_type).join("schema");
                    let ty = self.type_of(schema.into(), &at, &format!("{builder_name}Error"))?;
                    if !error_types.contains(&ty) {
                        error_types.push(ty);
                    }
                }
            }
        }
        // The lowest documented 2xx is the one described; each version's
        // media type says which status it comes with.
        successes.sort_by_key(|(status, ..)| *status);
        let Some((success_status, lowest, _)) = successes.first() else {
            return Err(Error::at(&at, "no success (2xx) response is documented"));
        };
        let (success_status, description) = (*success_status, lowest.description.clone());
        let error_type = match <[Type; 1]>::try_from(error_types) {
            Ok([only]) => only,
            Err(_) => Type::Json,
        };
        Ok(Responses {
            success_status,
            description,
            successes,
            error_type,
            error_media_type,
        })
    }
}

/// Boxes every struct field through which its struct contains itself by
/// value (directly or via other structs and aliases): such a type would have
/// no finite size. `Vec` and maps already hold their items on the heap.
fn box_recursive_fields(types: &mut BTreeMap<String, TypeDef>) {
    let mut recursive = Vec::new();
    for (name, def) in types.iter() {
        if let TypeKind::Struct(fields) = &def.kind {
            for (index, field) in fields.iter().enumerate() {
                if holds_by_value(types, &field.ty, name, &mut HashSet::new()) {
                    recursive.push((name.clone(), index));
                }
            }
        }
    }
    for (name, index) in recursive {
        if let Some(TypeKind::Struct(fields)) = types.get_mut(&name).map(|def| &mut def.kind) {
            fields[index].boxed = true;
        }
    }
}

fn holds_by_value<'t>(
    types: &'t BTreeMap<String, TypeDef>,
    ty: &'t Type,
    target: &str,
    seen: &mut HashSet<&'t str>,
) -> bool {
    let Type::Named(name) = ty else { return false };
    if name == target {
        return true;
    }
    if !seen.insert(name) {
        return false;
    }
    match types.get(name).map(|def| &def.kind) {
        Some(TypeKind::Struct(fields)) => fields
            .iter()
            .any(|field| holds_by_value(types, &field.ty, target, seen)),
        Some(TypeKind::Alias(inner)) => holds_by_value(types, inner, target, seen),
        _ => false,
    }
}

/// Marks the types whose values are checked before sending: those in
/// request bodies (at any depth) with a constrained field, or a field of a
/// marked type.
fn mark_validated(types: &mut BTreeMap<String, TypeDef>, operations: &[Operation]) {
    let mut in_bodies = HashSet::new();
    let mut pending: Vec<&Type> = operations
        .iter()
        .filter_map(|operation| operation.body.as_ref().map(|body| &body.ty))
        .collect();
    while let Some(ty) = pending.pop() {
        match ty {
            Type::Array(inner) | Type::Map(inner) => pending.push(inner),
            Type::Named(name) if in_bodies.insert(name.clone()) => {
                match types.get(name).map(|def| &def.kind) {
                    Some(TypeKind::Struct(fields)) => {
                        pending.extend(fields.iter().map(|field| &field.ty))
                    }
                    Some(TypeKind::Alias(inner)) => pending.push(inner),
                    _ => {}
                }
            }
            _ => {}
        }
    }
    let mut validated: HashSet<String> = HashSet::new();
    loop {
        let before = validated.len();
        for name in &in_bodies {
            if let Some(TypeKind::Struct(fields)) = types.get(name).map(|def| &def.kind) {
                let checks = fields.iter().any(|field| {
                    !field.constraints.is_empty()
                        || named_struct(&field.ty).is_some_and(|inner| validated.contains(inner))
                });
                if checks {
                    validated.insert(name.clone());
                }
            }
        }
        if validated.len() == before {
            break;
        }
    }
    for name in validated {
        if let Some(def) = types.get_mut(&name) {
            def.validated = true;
        }
    }
}

/// The named type a field holds, directly or as the items of an array: the
/// two places a generated `validate` looks into.
fn named_struct(ty: &Type) -> Option<&str> {
    match ty {
        Type::Named(name) => Some(name),
        Type::Array(inner) => match &**inner {
            Type::Named(name) => Some(name),
            _ => None,
        },
        _ => None,
    }
}

/// Finds the paging scheme and envelope parameter the conventions name.
fn apply_conventions(
    operation: &mut Operation,
    types: &BTreeMap<String, TypeDef>,
    conventions: &Conventions,
) {
    let query = |wire: &str| {
        operation
            .parameters
            .iter()
            .find(|parameter| parameter.location == Location::Query && parameter.wire_name == wire)
    };
    operation.envelope_parameter = conventions
        .envelope_parameter
        .as_deref()
        .and_then(&query)
        .filter(|parameter| parameter.ty == Type::Boolean)
        .map(|parameter| parameter.name.clone());
    let Some(convention) = &conventions.paging else {
        return;
    };
    let integer = |ty: &Type| matches!(ty, Type::I32 | Type::I64);
    let Some(page) = query(&convention.page_parameter).filter(|p| integer(&p.ty)) else {
        return;
    };
    let Some(Type::Named(response)) = &operation.success.ty else {
        return;
    };
    let Some(TypeKind::Struct(fields)) = types.get(response).map(|def| &def.kind) else {
        return;
    };
    let field = |wire: &str| fields.iter().find(|field| field.wire_name == wire);
    let Some(items) = field(&convention.items_field) else {
        return;
    };
    let Type::Array(item_type) = &items.ty else {
        return;
    };
    let size = query(&convention.size_parameter)
        .filter(|p| integer(&p.ty))
        .map(|p| {
            (
                p.name.clone(),
                p.ty.clone(),
                p.default.as_deref().and_then(|text| text.parse().ok()),
            )
        });
    let total = field(&convention.total_field)
        .filter(|field| integer(&field.ty))
        .map(|field| {
            (
                field.name.clone(),
                field.ty.clone(),
                field.required && !field.nullable,
            )
        });
    operation.paging = Some(Paging {
        page_parameter: page.name.clone(),
        page_type: page.ty.clone(),
        size_parameter: size,
        items_field: items.name.clone(),
        items_required: items.required && !items.nullable,
        item_type: (**item_type).clone(),
        total_field: total,
    });
}

struct OperationContext<'p> {
    at_path: Pointer,
    id: String,
    method_name: String,
    builder_name: String,
    path: &'p str,
    method: &'p str,
    at: Pointer,
}

struct Responses<'d> {
    /// The lowest documented success status, and its description.
    success_status: u16,
    description: String,
    /// Every documented success response, by status.
    successes: Vec<(u16, &'d openapiv3::Response, Pointer)>,
    error_type: Type,
    error_media_type: Option<String>,
}

/// One media type of a body or response, and where it is.
struct Media<'c> {
    media_type: &'c str,
    content: &'c openapiv3::MediaType,
    at: Pointer,
    /// The response status it comes with (0 for a request body).
    status: u16,
}

/// The media types an operation sends and accepts in one API version.
struct MediaChoice<'c> {
    /// The version's label; `None` for an unversioned operation.
    label: Option<&'c str>,
    body: Option<Media<'c>>,
    success: Option<Media<'c>>,
}

/// The extension that names the API version of a media type.
const VERSION_EXTENSION: &str = "x-xgen-version";

/// The version label of a media type; a value that is not a label (the
/// vendor's spec has one that repeats the media type) counts as none.
fn version_label(media: &openapiv3::MediaType) -> Option<&str> {
    media
        .extensions
        .get(VERSION_EXTENSION)?
        .as_str()
        .filter(|label| !label.is_empty() && !label.contains('/'))
}

/// The media type a client should pick among several of one version: the
/// first JSON one (success media types come by status), else the first.
fn preferred(media: Vec<Media<'_>>) -> Option<Media<'_>> {
    let json = media.iter().position(|media| is_json(media.media_type));
    let mut media = media;
    match json {
        Some(index) => Some(media.swap_remove(index)),
        None => media.into_iter().next(),
    }
}

/// Names each API version's module (and the `Client` method that pins it),
/// clear of the crate's other modules and of the operations' method names.
fn name_version_modules(operations: &mut [Operation], method_names: Scope) {
    let mut labels: Vec<String> = operations
        .iter()
        .filter_map(|operation| Some(operation.version.as_ref()?.label.clone()))
        .collect();
    labels.sort_by(|a, b| label_precedence(a, b));
    labels.dedup();
    let mut modules = method_names.with_more_reserved(RESERVED_MODULE_NAMES);
    let modules: HashMap<String, String> = labels
        .into_iter()
        .map(|label| {
            let module = if label.starts_with(|c: char| c.is_ascii_digit()) {
                names::snake(&format!(
                    "v{}",
                    label.replace(|c: char| !c.is_alphanumeric(), "_")
                ))
            } else {
                names::snake(&label)
            };
            let module = modules.claim(module);
            (label, module)
        })
        .collect();
    for version in operations.iter_mut().filter_map(|op| op.version.as_mut()) {
        version.module = modules[&version.label].clone();
    }
}

/// `Client`'s own method for an operation uses its newest stable version;
/// an operation offered only in preview has none, so preview stays opt-in.
fn choose_defaults(operations: &mut [Operation]) {
    let mut chosen = HashSet::new();
    for operation in operations {
        let stable = operation.version.as_ref().is_none_or(|v| !v.is_preview());
        // Versions of one operation come newest stable first.
        if stable && chosen.insert(operation.id.clone()) {
            operation.is_default = true;
        }
    }
}

fn schemas(doc: &OpenAPI) -> &IndexMap<String, ReferenceOr<Schema>> {
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
fn resolve_component<'d, T>(
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

fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim();
    essence == "application/json" || essence.ends_with("+json")
}

/// The values of a string enumeration, when the schema is one.
fn string_enum(schema: &Schema) -> Option<Vec<&str>> {
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
fn enum_kind(values: Vec<&str>) -> TypeKind {
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

/// A shape's variant name, after its type.
fn shape_name(ty: &Type) -> String {
    match ty {
        Type::Named(name) => name.clone(),
        Type::String | Type::Secret => "String".to_owned(),
        Type::DateTime => "DateTime".to_owned(),
        Type::Date => "Date".to_owned(),
        Type::Boolean => "Boolean".to_owned(),
        Type::I32 | Type::I64 => "Integer".to_owned(),
        Type::F32 | Type::F64 => "Number".to_owned(),
        Type::Array(_) => "List".to_owned(),
        Type::Map(_) | Type::JsonObject => "Map".to_owned(),
        Type::Json => "Value".to_owned(),
        Type::Bytes => "Bytes".to_owned(),
    }
}

/// The composition keywords of a schema, wherever openapiv3 put them: a
/// schema with only `allOf` is `SchemaKind::AllOf`, one that mixes it with
/// `type` or `properties` is `SchemaKind::Any`.
struct Composition<'d> {
    all_of: &'d [ReferenceOr<Schema>],
    /// `oneOf` or `anyOf` (the keyword, for pointers), when non-empty.
    choice: Option<(&'static str, &'d [ReferenceOr<Schema>])>,
}

impl<'d> Composition<'d> {
    fn of(schema: &'d Schema) -> Self {
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

/// The properties and required names of an object schema that has properties.
fn object_properties(schema: &Schema) -> Option<(&Properties, &[String])> {
    let (properties, required) = match &schema.schema_kind {
        SchemaKind::Type(openapiv3::Type::Object(object)) => (&object.properties, &object.required),
        SchemaKind::Any(any) => (&any.properties, &any.required),
        _ => return None,
    };
    (!properties.is_empty()).then_some((properties, required.as_slice()))
}

fn http_method(method: &str) -> HttpMethod {
    match method {
        "get" => HttpMethod::Get,
        "put" => HttpMethod::Put,
        "post" => HttpMethod::Post,
        "delete" => HttpMethod::Delete,
        "options" => HttpMethod::Options,
        "head" => HttpMethod::Head,
        "patch" => HttpMethod::Patch,
        _ => HttpMethod::Trace,
    }
}

/// Every `{name}` in the path has a path parameter, and every path parameter
/// appears in the path.
fn check_path_template(path: &str, parameters: &[Parameter], at: &Pointer) -> Result<(), Error> {
    let in_template = template_names(path);
    for name in &in_template {
        let declared = parameters
            .iter()
            .any(|p| p.location == Location::Path && p.wire_name == *name);
        if !declared {
            return Err(Error::at(
                at,
                format!("the path has `{{{name}}}` but no path parameter `{name}` is declared"),
            ));
        }
    }
    for parameter in parameters.iter().filter(|p| p.location == Location::Path) {
        if !in_template.contains(&parameter.wire_name.as_str()) {
            return Err(Error::at(
                &at.join("parameters"),
                format!(
                    "path parameter `{}` does not appear in the path",
                    parameter.wire_name
                ),
            ));
        }
    }
    Ok(())
}

/// The `{name}` placeholders of a path template, in order.
pub(crate) fn template_names(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}
