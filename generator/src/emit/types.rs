//! The `types` module: one Rust item per named type of the model.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::docs::Docs;
use super::{Part, gate, ident, serde_impls, validation};
use crate::model::{Api, Field, Shape, TYPES_MODULE, Type, TypeDef, TypeKind, Usage, Variant};

/// `src/types.rs`, or the part of it `part` says.
pub fn file(api: &Api, part: &Part, docs: &Docs) -> TokenStream {
    let validated = |name: &str| api.is_validated(name);
    let mut file = part.head(|| {
        // Each `use` is compiled under the features of the types that need it.
        let needed_by = |needs: &dyn Fn(&TypeDef) -> bool| {
            let types = api.types.iter().filter(|def| needs(def));
            gate::needed_by(api, types.map(|def| &def.features[..]), &[])
        };
        let serialize = needed_by(&|def| def.usage.sent);
        let deserialize = needed_by(&|def| def.usage.received);
        let uses = match (serialize, deserialize) {
            (Some(both), Some(same)) if both.to_string() == same.to_string() => {
                quote! { #both use serde::{Deserialize, Serialize}; }
            }
            (serialize, deserialize) => {
                let serialize = serialize.map(|cfg| quote! { #cfg use serde::Serialize; });
                let deserialize = deserialize.map(|cfg| quote! { #cfg use serde::Deserialize; });
                quote! { #deserialize #serialize }
            }
        };
        let use_validate = needed_by(&|def| def.validated)
            .map(|cfg| quote! { #cfg use crate::runtime::validate; });
        quote! {
            //! Request and response bodies, one type per schema of the API description.
            #uses
            #use_validate
        }
    });
    file.extend(
        part.of(&api.types)
            .iter()
            .map(|def| type_def(def, &validated, docs)),
    );
    file
}

/// What every item of a type carries: the features it is compiled under,
/// and the serde traits it derives by how the API uses it.
pub(super) struct Head {
    pub(super) cfg: TokenStream,
    pub(super) usage: Usage,
}

impl Head {
    /// The serde derives, after the others in a `#[derive(…)]`: `Serialize`
    /// for a type sent, `Deserialize` for one received.
    fn serde(&self) -> TokenStream {
        match (self.usage.sent, self.usage.received) {
            (true, true) => quote! { Serialize, Deserialize },
            (true, false) => quote! { Serialize },
            (false, _) => quote! { Deserialize },
        }
    }

    /// A type only received still serialises for the mock server, which
    /// sends it as an answer.
    fn mock_serialize(&self) -> Option<TokenStream> {
        (!self.usage.sent)
            .then(|| quote! { #[cfg_attr(feature = "mock", derive(serde::Serialize))] })
    }
}

fn type_def(def: &TypeDef, validated: &dyn Fn(&str) -> bool, docs: &Docs) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let head = Head {
        cfg: gate::cfg(&def.features),
        usage: def.usage,
    };
    let fallback = match def.source.strip_prefix("#/components/schemas/") {
        Some(schema) => format!("The `{schema}` schema."),
        None => format!("The schema at `{}`.", def.source),
    };
    let doc = docs.outer(def.description.as_deref().unwrap_or(&fallback));
    match &def.kind {
        TypeKind::Struct(fields) => {
            let validate = validation::validate_method(def, validated);
            struct_def(&name, doc, &head, fields, validate, docs)
        }
        TypeKind::Enum(variants) => enum_def(&name, doc, &head, variants, docs),
        TypeKind::Alias(ty) => {
            let ty = type_tokens(ty, Context::Types);
            let cfg = &head.cfg;
            quote! { #doc #cfg pub type #name = #ty; }
        }
        TypeKind::OneOf {
            discriminator,
            variants,
        } => one_of_def(&name, doc, &head, discriminator.as_deref(), variants, docs),
    }
}

/// An enum with a variant per shape, and `Unknown` for any other value.
///
/// With a discriminator, decoding reads the value as JSON first and picks
/// the shape by the discriminator's value. serde's own internally tagged
/// enums cannot do this: they take the tag out before decoding the shape,
/// and the shapes here declare the tag as a field of their own. Without
/// one, the first shape that decodes wins (serde's `untagged`).
fn one_of_def(
    name: &Ident,
    doc: TokenStream,
    head: &Head,
    discriminator: Option<&str>,
    variants: &[Shape],
    docs: &Docs,
) -> TokenStream {
    let payload = |shape: &Shape| {
        let ty = type_tokens(&shape.ty, Context::Types);
        // Boxed: shapes differ widely in size, and a shape may contain
        // this very enum.
        match shape.ty {
            Type::Named(_) => quote! { Box<#ty> },
            _ => ty,
        }
    };
    let declared = variants.iter().map(|shape| {
        let variant = format_ident!("{}", shape.name);
        let payload = payload(shape);
        let doc = match discriminator {
            Some(property) => {
                let tags: Vec<String> = shape.tags.iter().map(|tag| format!("`{tag}`")).collect();
                format!(" `{property}` is {}.", tags.join(" or "))
            }
            None => format!(" A `{}`.", shape_doc(&shape.ty)),
        };
        let doc = docs.line(&doc);
        quote! {
            #doc
            #variant(#payload),
        }
    });
    let unknown_doc = docs.line(&match discriminator {
        Some(property) => format!(
            " A value whose `{property}` this client does not know, such as a shape the server added later."
        ),
        None => {
            " A value of none of the shapes above, such as one the server added later.".to_owned()
        }
    });
    let cfg = &head.cfg;
    let mock_serialize = head.mock_serialize();
    // With a discriminator, `Deserialize` is written below, so a type only
    // received derives no serde trait but the mock's, and its `untagged`
    // goes with that.
    let derives = match (discriminator, head.usage.sent) {
        (Some(_), true) => {
            quote! { #[derive(Clone, Debug, PartialEq, Serialize)] #[serde(untagged)] }
        }
        (Some(_), false) => quote! {
            #[derive(Clone, Debug, PartialEq)]
            #[cfg_attr(feature = "mock", derive(serde::Serialize), serde(untagged))]
        },
        (None, _) => {
            let serde = head.serde();
            quote! { #[derive(Clone, Debug, PartialEq, #serde)] #mock_serialize #[serde(untagged)] }
        }
    };
    let declaration = quote! {
        #doc
        #cfg
        #derives
        #[non_exhaustive]
        pub enum #name {
            #(#declared)*
            #unknown_doc
            Unknown(serde_json::Value),
        }
    };
    let Some(property) = discriminator.filter(|_| head.usage.received) else {
        return declaration;
    };
    let arms = variants.iter().map(|shape| {
        let variant = format_ident!("{}", shape.name);
        let tags = &shape.tags;
        quote! {
            #(Some(#tags))|* => serde_json::from_value(value).map(Self::#variant),
        }
    });
    quote! {
        #declaration

        #cfg
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                let tag = value.get(#property).and_then(serde_json::Value::as_str);
                match tag {
                    #(#arms)*
                    _ => Ok(Self::Unknown(value)),
                }
                .map_err(serde::de::Error::custom)
            }
        }
    }
}

/// How a shape's type reads in its variant's doc.
fn shape_doc(ty: &Type) -> String {
    match ty {
        Type::Named(name) => format!("[`{name}`]"),
        other => type_tokens(other, Context::Types)
            .to_string()
            .replace(' ', ""),
    }
}

fn struct_def(
    name: &Ident,
    doc: TokenStream,
    head: &Head,
    fields: &[Field],
    validate: Option<TokenStream>,
    docs: &Docs,
) -> TokenStream {
    let all_optional = fields.iter().all(Field::is_optional);
    let default = all_optional.then(|| quote! { Default, });
    let constructor = constructor(fields);
    let cfg = &head.cfg;
    let methods = (constructor.is_some() || validate.is_some()).then(|| {
        quote! {
            #cfg
            impl #name {
                #constructor
                #validate
            }
        }
    });
    let serde_impls = serde_impls::struct_impls(name, head, fields);
    let fields = fields.iter().map(|field| {
        let name = ident(&field.name);
        let doc = docs.outer(
            field
                .description
                .as_deref()
                .unwrap_or(&format!("The `{}` property.", field.wire_name)),
        );
        let ty = spelled(&field.rust(""));
        quote! { #doc pub #name: #ty, }
    });
    // `non_exhaustive` keeps a new optional field from breaking callers: they
    // build values with `new` (or `default`) and assign optional fields.
    quote! {
        #doc
        #cfg
        #[derive(Clone, Debug, #default PartialEq)]
        #[non_exhaustive]
        pub struct #name { #(#fields)* }

        #methods

        #serde_impls
    }
}

/// `new`, taking the required fields in order; none when every field is
/// optional, as `Default` does that job.
fn constructor(fields: &[Field]) -> Option<TokenStream> {
    if fields.iter().all(|field| !field.required) {
        return None;
    }
    let parameters = fields
        .iter()
        .filter(|field| field.is_constructor_argument())
        .map(|field| {
            let name = ident(&field.name);
            let ty = match (&field.ty, field.nullable) {
                (Type::String, false) => quote! { impl Into<String> },
                (Type::File, false) => quote! { impl Into<crate::runtime::FilePart> },
                (ty, false) => type_tokens(ty, Context::Types),
                (ty, true) => {
                    let ty = type_tokens(ty, Context::Types);
                    quote! { Option<#ty> }
                }
            };
            quote! { #name: #ty }
        });
    let inits = fields.iter().map(|field| {
        let name = ident(&field.name);
        if !field.required {
            return quote! { #name: None };
        }
        if !field.is_constructor_argument() {
            return quote! { #name: Default::default() };
        }
        let converted = matches!(
            (&field.ty, field.nullable),
            (Type::String | Type::File, false)
        );
        match (field.boxed, field.nullable, converted) {
            (false, _, false) => quote! { #name },
            (false, _, true) => quote! { #name: #name.into() },
            (true, false, _) if converted => quote! { #name: Box::new(#name.into()) },
            (true, false, _) => quote! { #name: Box::new(#name) },
            (true, true, _) => quote! { #name: #name.map(Box::new) },
        }
    });
    let required = fields
        .iter()
        .filter(|field| field.is_constructor_argument())
        .count();
    let allow_many = super::allow_many_arguments(required, false);
    Some(quote! {
        /// Makes a value from the required fields; optional ones start as `None`.
        #allow_many
        pub fn new(#(#parameters),*) -> Self {
            Self { #(#inits),* }
        }
    })
}

/// Whether `new` takes the field: every required one, read-only ones too,
/// since values are built as answers (for mocks, for tests) as often as
/// requests, and sending leaves read-only fields out anyway.
fn enum_def(
    name: &Ident,
    doc: TokenStream,
    head: &Head,
    variants: &[Variant],
    docs: &Docs,
) -> TokenStream {
    let declared = variants.iter().map(|variant| {
        let name = format_ident!("{}", variant.name);
        let doc = docs.line(&format!(" `{}`", variant.wire_name));
        quote! {
            #doc
            #name,
        }
    });
    let names: Vec<Ident> = variants
        .iter()
        .map(|variant| format_ident!("{}", variant.name))
        .collect();
    let wires: Vec<&str> = variants
        .iter()
        .map(|variant| variant.wire_name.as_str())
        .collect();
    let cfg = &head.cfg;
    let serde_impls = serde_impls::enum_impls(name, head, variants);
    quote! {
        #doc
        #cfg
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#declared)*
            /// A value this client does not know, such as one the server added later.
            Unknown(String),
        }

        #cfg
        impl #name {
            /// The value as the API writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#names => #wires,)*
                    Self::Unknown(value) => value,
                }
            }
        }

        #serde_impls
    }
}

/// Where a type is written, which decides how named types are spelled.
#[derive(Clone, Copy)]
pub enum Context {
    /// Inside `types.rs`, where named types are in scope.
    Types,
    /// Elsewhere, through `use crate::types;`.
    Elsewhere,
}

/// A type's Rust spelling, as the model decides it.
pub fn type_tokens(ty: &Type, context: Context) -> TokenStream {
    spelled(&ty.rust(match context {
        Context::Types => "",
        Context::Elsewhere => TYPES_MODULE,
    }))
}

/// Tokens of a spelling of the model's, which is always a Rust type.
pub(super) fn spelled(rust: &str) -> TokenStream {
    rust.parse()
        .unwrap_or_else(|error| panic!("the model spelled `{rust}`, not a Rust type: {error}"))
}
