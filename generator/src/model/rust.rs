//! How the model is written in Rust: the one place that decides a type's
//! spelling, whether a field is optional, whether a parameter is an argument
//! or a setter, whether a type names one of `types`, and which version's
//! request builder an operation uses. `emit` writes code
//! from these answers and `changes` describes changes with them, so the
//! change summary cannot drift from the code it describes.

use super::{Api, Field, Int, Operation, Parameter, RequestBody, Type};

/// Where named types are in scope as `types::Name`: everywhere but `types.rs`.
pub const TYPES_MODULE: &str = "types::";

/// Crate paths the change summary leaves out, as users read types in docs.
const PROSE_DROPS: [&str; 4] = ["std::collections::", "chrono::", "bytes::", "crate::"];

impl Type {
    /// The type as generated code writes it, with named types prefixed by
    /// `named` ([`TYPES_MODULE`], or nothing inside `types.rs`).
    pub fn rust(&self, named: &str) -> String {
        let mut text = String::new();
        self.write_rust(named, &mut text);
        text
    }

    fn write_rust(&self, named: &str, text: &mut String) {
        let primitive = match self {
            Type::String => "String",
            Type::Secret => "crate::Secret",
            Type::DateTime => "chrono::DateTime<chrono::Utc>",
            Type::Date => "chrono::NaiveDate",
            Type::Boolean => "bool",
            Type::Int(Int::I8) => "i8",
            Type::Int(Int::I16) => "i16",
            Type::Int(Int::I32) => "i32",
            Type::Int(Int::I64) => "i64",
            Type::Int(Int::U8) => "u8",
            Type::Int(Int::U16) => "u16",
            Type::Int(Int::U32) => "u32",
            Type::Int(Int::U64) => "u64",
            Type::F32 => "f32",
            Type::F64 => "f64",
            Type::Json => "serde_json::Value",
            Type::JsonObject => "serde_json::Map<String, serde_json::Value>",
            Type::Bytes => "bytes::Bytes",
            Type::Body => "crate::runtime::Body",
            Type::File => "crate::runtime::FilePart",
            Type::Text => "String",
            Type::ByteStream => "crate::ByteStream",
            Type::EventStream(data) => {
                text.push_str("crate::EventStream<");
                data.write_rust(named, text);
                text.push('>');
                return;
            }
            Type::Upgraded => "reqwest::Upgraded",
            Type::Array(item) => {
                text.push_str("Vec<");
                item.write_rust(named, text);
                text.push('>');
                return;
            }
            Type::Tuple(items) => {
                text.push('(');
                for (index, item) in items.iter().enumerate() {
                    if index > 0 {
                        text.push_str(", ");
                    }
                    item.write_rust(named, text);
                }
                // A one-item tuple keeps its comma: `(T,)`, not `(T)`.
                text.push_str(if items.len() == 1 { ",)" } else { ")" });
                return;
            }
            Type::Map(value) => {
                text.push_str("std::collections::BTreeMap<String, ");
                value.write_rust(named, text);
                text.push('>');
                return;
            }
            Type::Named(name) => {
                text.push_str(named);
                text.push_str(name);
                return;
            }
        };
        text.push_str(primitive);
    }

    /// The type as the change summary names it: its code outside `types.rs`
    /// without the paths of the standard library, dependencies and the crate.
    pub fn prose(&self) -> String {
        prose(self.rust(TYPES_MODULE))
    }

    /// Whether the type is or holds a type of `types`.
    pub fn mentions_named(&self) -> bool {
        match self {
            Type::Named(_) => true,
            Type::Array(inner) | Type::Map(inner) | Type::EventStream(inner) => {
                inner.mentions_named()
            }
            Type::Tuple(items) => items.iter().any(Type::mentions_named),
            _ => false,
        }
    }
}

fn prose(mut code: String) -> String {
    for path in PROSE_DROPS {
        code = code.replace(path, "");
    }
    code
}

impl Field {
    /// Whether the struct holds the field as an `Option`: when it may be
    /// absent or null.
    pub fn is_optional(&self) -> bool {
        !self.required || self.nullable
    }

    /// Whether the struct's `new` takes the field: when it is required,
    /// even if it may be null.
    pub fn is_constructor_argument(&self) -> bool {
        self.required
    }

    /// The field's type as its struct declares it (boxed when recursive,
    /// `Option` when optional), named types prefixed by `named`.
    pub fn rust(&self, named: &str) -> String {
        let mut ty = self.ty.rust(named);
        if self.boxed {
            ty = format!("Box<{ty}>");
        }
        if self.is_optional() {
            ty = format!("Option<{ty}>");
        }
        ty
    }

    /// [`Field::rust`] as the change summary names it.
    pub fn prose(&self) -> String {
        prose(self.rust(TYPES_MODULE))
    }
}

impl Parameter {
    /// Whether the client method takes the parameter as an argument; the
    /// others are setters of its request builder.
    pub fn is_argument(&self) -> bool {
        self.required
    }
}

impl RequestBody {
    /// Whether the client method takes the body as an argument; an optional
    /// one is a setter of its request builder.
    pub fn is_argument(&self) -> bool {
        self.required
    }

    /// Whether the builder owns the body: one sent as it is (`Type::Body`,
    /// taken as `impl Into<Body>`, which may be a stream); a typed body is
    /// borrowed.
    pub fn is_owned(&self) -> bool {
        self.ty == Type::Body
    }
}

impl Api {
    /// The operation whose request builder `operation` uses: the newest
    /// version of the same operation whose builder would differ from its own
    /// only in media types, which is `operation` itself when no newer one
    /// would. A builder several versions use holds its version's media
    /// types in a field, is defined in its owner's module and re-exported
    /// from the others'.
    pub fn builder_owner<'a>(&'a self, operation: &'a Operation) -> &'a Operation {
        if operation.version.is_none() {
            return operation;
        }
        self.operations
            .iter()
            .find(|other| other.id == operation.id && same_builder(other, operation))
            .unwrap_or(operation)
    }

    /// Whether a version other than `operation`'s own uses its builder.
    pub fn builder_is_shared(&self, operation: &Operation) -> bool {
        operation.version.is_some()
            && self.operations.iter().any(|other| {
                other.id == operation.id
                    && other.version != operation.version
                    && std::ptr::eq(self.builder_owner(other), operation)
            })
    }
}

/// Whether two versions of an operation make the same request builder but
/// for the media types they send and accept (and the docs of the methods
/// that make it, which are not the builder's).
fn same_builder(a: &Operation, b: &Operation) -> bool {
    // Written out so that a new field of `Operation` must be placed here.
    let Operation {
        id,
        method_name,
        builder_name,
        http_method,
        path,
        summary: _,
        description: _,
        deprecated: _,
        parameters,
        body,
        success,
        accept: _,
        error_type,
        paging,
        envelope_parameter,
        version: _,
        is_default: _,
        security,
        tags: _,
        features,
    } = a;
    let same_body = match (body, &b.body) {
        (Some(a), Some(b)) => {
            let RequestBody {
                media_type: _,
                description,
                ty,
                required,
                encoding,
            } = a;
            (description, ty, required, encoding)
                == (&b.description, &b.ty, &b.required, &b.encoding)
        }
        (None, None) => true,
        _ => false,
    };
    same_body
        && (id, method_name, builder_name, http_method, path)
            == (
                &b.id,
                &b.method_name,
                &b.builder_name,
                &b.http_method,
                &b.path,
            )
        && (parameters, success, error_type, paging, envelope_parameter)
            == (
                &b.parameters,
                &b.success,
                &b.error_type,
                &b.paging,
                &b.envelope_parameter,
            )
        && (security, features) == (&b.security, &b.features)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Constraints;

    fn named(name: &str) -> Type {
        Type::Named(name.to_owned())
    }

    #[test]
    fn types_are_spelled_for_code_and_for_prose() {
        let cases = [
            (
                Type::DateTime,
                "chrono::DateTime<chrono::Utc>",
                "DateTime<Utc>",
            ),
            (Type::Secret, "crate::Secret", "Secret"),
            (Type::Bytes, "bytes::Bytes", "Bytes"),
            (Type::Text, "String", "String"),
            (Type::ByteStream, "crate::ByteStream", "ByteStream"),
            (
                Type::EventStream(Box::new(named("Tick"))),
                "crate::EventStream<types::Tick>",
                "EventStream<types::Tick>",
            ),
            (Type::Json, "serde_json::Value", "serde_json::Value"),
            (
                Type::Map(Box::new(Type::Array(Box::new(named("Key"))))),
                "std::collections::BTreeMap<String, Vec<types::Key>>",
                "BTreeMap<String, Vec<types::Key>>",
            ),
        ];
        for (ty, code, prose) in cases {
            assert_eq!(ty.rust(TYPES_MODULE), code);
            assert_eq!(ty.prose(), prose);
        }
        assert_eq!(named("Key").rust(""), "Key");
    }

    #[test]
    fn fields_are_optional_when_absent_or_null_and_boxed_inside() {
        let field = |required, nullable, boxed| Field {
            name: "next".to_owned(),
            wire_name: "next".to_owned(),
            description: None,
            ty: named("Node"),
            required,
            nullable,
            boxed,
            read_only: false,
            write_only: false,
            constraints: Constraints::default(),
        };
        assert_eq!(field(true, false, false).prose(), "types::Node");
        assert_eq!(field(true, true, false).prose(), "Option<types::Node>");
        assert_eq!(field(false, false, true).rust(""), "Option<Box<Node>>");
        assert!(!field(true, false, true).is_optional());
    }

    #[test]
    fn named_types_are_found_inside_containers() {
        assert!(Type::Array(Box::new(Type::Map(Box::new(named("A"))))).mentions_named());
        assert!(!Type::Array(Box::new(Type::String)).mentions_named());
    }
}
