//! The serde impls of the `types` module's structs and string enums,
//! written out rather than derived.
//!
//! Derived impls are general: a derived `Deserialize` also reads a struct
//! from an array, reads keys through a visitor of its own and tries every
//! variant of an enum with an `Unknown` fallback by buffering the value
//! first. A client of two thousand types paid for that generality at every
//! build (about half of the vendor description's build; see BENCHMARKS.md),
//! while an API only ever sends objects and strings. So objects are read
//! with one `visit_map` and written with one `serialize_map`, and enums are
//! their strings. One-of types keep serde's `untagged` derive.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::ident;
use super::types::Head;
use crate::model::{Field, Type, Variant};
use crate::names::Scope;

/// The impl head of `Serialize` for a type: a type only received
/// serialises for the mock server alone, which sends it as an answer.
fn serialize_head(name: &Ident, head: &Head) -> TokenStream {
    let cfg = &head.cfg;
    match head.usage.sent {
        true => quote! { #cfg impl Serialize for #name },
        false => quote! { #cfg #[cfg(feature = "mock")] impl serde::Serialize for #name },
    }
}

/// `Serialize` and `Deserialize` of a string enum, as the usage asks: the
/// value is its string (`as_str`), and a string no variant has is `Unknown`.
pub fn enum_impls(name: &Ident, head: &Head, variants: &[Variant]) -> TokenStream {
    let serialize_head = serialize_head(name, head);
    let serialize = quote! {
        #serialize_head {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
    let cfg = &head.cfg;
    let names = variants
        .iter()
        .map(|variant| quote::format_ident!("{}", variant.name));
    let wires = variants.iter().map(|variant| variant.wire_name.as_str());
    let deserialize = head.usage.received.then(|| {
        quote! {
            #cfg
            impl<'de> Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let value = String::deserialize(deserializer)?;
                    Ok(match value.as_str() {
                        #(#wires => Self::#names,)*
                        _ => Self::Unknown(value),
                    })
                }
            }
        }
    });
    quote! {
        #serialize
        #deserialize
    }
}

/// `Serialize` and `Deserialize` of a struct, as the usage asks: an object
/// of the fields' wire names.
pub fn struct_impls(name: &Ident, head: &Head, fields: &[Field]) -> TokenStream {
    let serialize_head = serialize_head(name, head);
    let entries = fields.iter().map(serialize_entry);
    let serialize = quote! {
        #serialize_head {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut object = serializer.serialize_map(None)?;
                #(#entries)*
                object.end()
            }
        }
    };
    let deserialize = head.usage.received.then(|| deserialize(name, head, fields));
    quote! {
        #serialize
        #deserialize
    }
}

/// Writes one field: an optional one only when set, a read-only one never
/// in a request body (and everywhere else: mock answers, caches).
fn serialize_entry(field: &Field) -> TokenStream {
    let member = ident(&field.name);
    let wire = &field.wire_name;
    match (field.read_only, field.is_optional(), field.required) {
        (true, true, _) => quote! {
            if !crate::runtime::request::skip_read_only(&self.#member) {
                object.serialize_entry(#wire, &self.#member)?;
            }
        },
        (true, false, _) => quote! {
            if !crate::runtime::request::sending(&self.#member) {
                object.serialize_entry(#wire, &self.#member)?;
            }
        },
        (false, _, false) => quote! {
            if let Some(value) = &self.#member {
                object.serialize_entry(#wire, value)?;
            }
        },
        // Required: written even when null.
        (false, _, true) => quote! { object.serialize_entry(#wire, &self.#member)?; },
    }
}

/// Reads the object a member at a time: members it does not know are
/// skipped, a missing optional one is `None`, a missing required one an
/// error, unless it is write-only with a default (the server never sends
/// it back).
fn deserialize(name: &Ident, head: &Head, fields: &[Field]) -> TokenStream {
    let cfg = &head.cfg;
    let expecting = format!("a JSON object (`{name}`)");
    // Each field's value so far, in a local named after it, clear of the
    // visitor's own names.
    let mut scope = Scope::with_reserved(&["map", "key", "formatter"]);
    let locals: Vec<Ident> = fields
        .iter()
        .map(|field| ident(&scope.claim(field.name.clone())))
        .collect();
    let declarations = fields.iter().zip(&locals).map(|(field, local)| {
        let ty = super::types::spelled(&field.rust(""));
        match field.is_optional() {
            true => quote! { let mut #local: #ty = None; },
            false => quote! { let mut #local: Option<#ty> = None; },
        }
    });
    let arms = fields.iter().zip(&locals).map(|(field, local)| {
        let wire = &field.wire_name;
        match field.is_optional() {
            true => quote! { #wire => #local = map.next_value()?, },
            false => quote! { #wire => #local = Some(map.next_value()?), },
        }
    });
    let members = fields.iter().zip(&locals).map(|(field, local)| {
        let member = ident(&field.name);
        let wire = &field.wire_name;
        if field.is_optional() && *local == member {
            quote! { #member, }
        } else if field.is_optional() {
            quote! { #member: #local, }
        } else if defaults_when_missing(field) {
            quote! { #member: #local.unwrap_or_default(), }
        } else {
            quote! { #member: #local.ok_or_else(|| serde::de::Error::missing_field(#wire))?, }
        }
    });
    quote! {
        #cfg
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct ObjectVisitor;

                impl<'de> serde::de::Visitor<'de> for ObjectVisitor {
                    type Value = #name;

                    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        formatter.write_str(#expecting)
                    }

                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<#name, A::Error> {
                        #(#declarations)*
                        while let Some(key) = map.next_key::<crate::runtime::de::Key<'de>>()? {
                            match key.as_str() {
                                #(#arms)*
                                _ => {
                                    map.next_value::<serde::de::IgnoredAny>()?;
                                }
                            }
                        }
                        Ok(#name { #(#members)* })
                    }
                }

                deserializer.deserialize_map(ObjectVisitor)
            }
        }
    }
}

/// A required write-only field is never sent back: decoding fills in its
/// type's default where it has one.
fn defaults_when_missing(field: &Field) -> bool {
    field.write_only && field.required && !field.nullable && has_default(&field.ty) && !field.boxed
}

/// Whether the type's Rust spelling implements `Default`.
fn has_default(ty: &Type) -> bool {
    matches!(
        ty,
        Type::String
            | Type::Boolean
            | Type::Int(_)
            | Type::F32
            | Type::F64
            | Type::Json
            | Type::JsonObject
            | Type::Array(_)
            | Type::Map(_)
            | Type::Bytes
            | Type::Text
    )
}
