//! Request bodies by their media type's kind (`media::media_kind`): JSON
//! and form fields are typed values, a multipart body is a struct whose
//! binary properties are files, and any other body is sent as it is, with
//! a warning when its media type has a structure the client cannot write.

use openapiv3::{QueryStyle, Schema, SchemaKind, StringFormat, VariantOrUnknownOrEmpty};

use super::Lowerer;
use super::media::{Media, MediaKind, media_kind};
use super::refs::SchemaRef;
use super::schema::object_properties;
use crate::error::Error;
use crate::model::{BodyEncoding, FormEncoding, FormStyle, MultipartPart, Type, TypeKind};

/// How deep a property's schema is searched for a file it cannot send.
const FILE_SEARCH_DEPTH: usize = 8;

impl<'d> Lowerer<'d> {
    /// The type of a request body of `media` and how it is written.
    pub(super) fn request_media(
        &mut self,
        media: &Media<'d>,
        hint: &str,
    ) -> Result<(Type, BodyEncoding), Error> {
        match media_kind(media.media_type) {
            MediaKind::Json => {
                let ty = self.json_type(media, hint)?.unwrap_or(Type::Json);
                Ok((ty, BodyEncoding::Json))
            }
            MediaKind::Form => self.form_body(media, hint),
            MediaKind::Multipart => self.multipart_body(media, hint),
            // Bytes and text are what these bodies are.
            MediaKind::Binary | MediaKind::Text => Ok(raw()),
            MediaKind::Other | MediaKind::EventStream => {
                let string = media
                    .content
                    .schema
                    .as_ref()
                    .and_then(|schema| self.resolve(schema.into()))
                    .is_some_and(is_string);
                if !string {
                    self.left_out(
                        &media.at,
                        format!(
                            "the client cannot write `{}` from its schema; the body is sent as the bytes the caller gives",
                            media.media_type
                        ),
                    );
                }
                Ok(raw())
            }
        }
    }

    /// A form body: the typed value of an object schema, with the
    /// properties whose `encoding` is not `form`, exploded.
    fn form_body(&mut self, media: &Media<'d>, hint: &str) -> Result<(Type, BodyEncoding), Error> {
        let Some(ty) = self.object_body(media, hint, "form fields")? else {
            return Ok(raw());
        };
        let encoding = media
            .content
            .encoding
            .iter()
            .filter_map(|(wire_name, encoding)| {
                let style = match encoding.style {
                    None | Some(QueryStyle::Form) => FormStyle::Form,
                    Some(QueryStyle::SpaceDelimited) => FormStyle::SpaceDelimited,
                    Some(QueryStyle::PipeDelimited) => FormStyle::PipeDelimited,
                    Some(QueryStyle::DeepObject) => FormStyle::DeepObject,
                };
                (style != FormStyle::Form || !encoding.explode).then(|| FormEncoding {
                    wire_name: wire_name.clone(),
                    style,
                    explode: encoding.explode,
                })
            })
            .collect();
        Ok((ty, BodyEncoding::Form(encoding)))
    }

    /// A multipart body: a struct whose binary string properties (and
    /// arrays of them) become files, the others text or JSON parts.
    fn multipart_body(
        &mut self,
        media: &Media<'d>,
        hint: &str,
    ) -> Result<(Type, BodyEncoding), Error> {
        let Some(ty) = self.object_body(media, hint, "parts")? else {
            return Ok(raw());
        };
        let Type::Named(name) = &ty else {
            self.left_out(
                &media.at.join("schema"),
                "a multipart body needs named properties to make parts of; sent as the bytes the caller gives"
                    .to_owned(),
            );
            return Ok(raw());
        };
        let properties = media
            .content
            .schema
            .as_ref()
            .and_then(|schema| self.resolve(schema.into()))
            .map(|schema| self.all_properties(schema))
            .unwrap_or_default();
        let Some(TypeKind::Struct(fields)) = self.types.get(name).map(|def| def.kind.clone())
        else {
            return Ok(raw());
        };
        let mut parts = Vec::with_capacity(fields.len());
        let mut files = Vec::new();
        for field in fields.iter().filter(|field| !field.read_only) {
            let schema = properties
                .iter()
                .find(|(wire_name, _)| *wire_name == field.wire_name)
                .map(|(_, schema)| *schema);
            let at = media
                .at
                .join("schema")
                .join("properties")
                .join(&field.wire_name);
            let (file, repeated) = match schema {
                Some(schema) if is_binary(schema) => (true, false),
                Some(schema) if self.items(schema).is_some_and(is_binary) => (true, true),
                Some(schema) => {
                    if self.holds_binary(schema, FILE_SEARCH_DEPTH) {
                        self.left_out(
                            &at,
                            "a file nested inside another value cannot be a part of its own; sent as JSON text"
                                .to_owned(),
                        );
                    }
                    (false, false)
                }
                None => (false, false),
            };
            if file {
                files.push((field.name.clone(), repeated));
            }
            parts.push(MultipartPart {
                field: field.name.clone(),
                wire_name: field.wire_name.clone(),
                optional: field.is_optional(),
                file,
                repeated,
                content_type: media
                    .content
                    .encoding
                    .get(&field.wire_name)
                    .and_then(|encoding| encoding.content_type.clone()),
            });
        }
        self.make_files(name, &files);
        Ok((ty, BodyEncoding::Multipart(parts)))
    }

    /// The type of a body that must be an object (a struct or a map), or
    /// `None` with a warning that it is sent as raw bytes instead.
    fn object_body(
        &mut self,
        media: &Media<'d>,
        hint: &str,
        made_of: &str,
    ) -> Result<Option<Type>, Error> {
        let ty = match &media.content.schema {
            Some(schema) => self.type_of(schema.into(), &media.at.join("schema"), hint)?,
            None => Type::Json,
        };
        let object = match &ty {
            Type::Named(name) => matches!(
                self.types.get(name).map(|def| &def.kind),
                Some(TypeKind::Struct(_))
            ),
            Type::Map(_) | Type::JsonObject => true,
            _ => false,
        };
        if !object {
            self.left_out(
                &media.at,
                format!(
                    "`{}` is sent as {made_of}, which only an object schema has; sent as the bytes the caller gives",
                    media.media_type
                ),
            );
            return Ok(None);
        }
        Ok(Some(ty))
    }

    /// Turns the fields `files` (Rust name, and whether an array) of the
    /// struct `name` into files; their string constraints no longer apply.
    fn make_files(&mut self, name: &str, files: &[(String, bool)]) {
        let Some(TypeKind::Struct(fields)) = self.types.get_mut(name).map(|def| &mut def.kind)
        else {
            return;
        };
        for field in fields.iter_mut() {
            if let Some((_, repeated)) = files.iter().find(|(file, _)| *file == field.name) {
                field.ty = match repeated {
                    true => Type::Array(Box::new(Type::File)),
                    false => Type::File,
                };
                field.constraints = Default::default();
            }
        }
    }

    /// The properties of an object schema, its own and its `allOf` members'.
    fn all_properties(&self, schema: &'d Schema) -> Vec<(&'d str, &'d Schema)> {
        let mut found = Vec::new();
        let add = |schema: &'d Schema, found: &mut Vec<(&'d str, &'d Schema)>| {
            for (name, property) in object_properties(schema)
                .map(|(p, _)| p)
                .into_iter()
                .flatten()
            {
                if let Some(property) = self.resolve(property.into()) {
                    found.push((name.as_str(), property));
                }
            }
        };
        add(schema, &mut found);
        if let SchemaKind::AllOf { all_of } = &schema.schema_kind {
            for member in all_of {
                if let Some(member) = self.resolve(member.into()) {
                    add(member, &mut found);
                }
            }
        }
        found
    }

    /// The items schema of an array schema.
    fn items(&self, schema: &'d Schema) -> Option<&'d Schema> {
        match &schema.schema_kind {
            SchemaKind::Type(openapiv3::Type::Array(array)) => {
                self.resolve(array.items.as_ref()?.into())
            }
            _ => None,
        }
    }

    /// Whether a binary string is somewhere inside `schema`.
    fn holds_binary(&self, schema: &'d Schema, depth: usize) -> bool {
        if depth == 0 {
            return false;
        }
        if is_binary(schema) {
            return true;
        }
        let inside = self.items(schema).into_iter().chain(
            object_properties(schema)
                .map(|(properties, _)| properties)
                .into_iter()
                .flatten()
                .filter_map(|(_, property)| self.resolve(SchemaRef::from(property))),
        );
        inside
            .collect::<Vec<_>>()
            .into_iter()
            .any(|inner| self.holds_binary(inner, depth - 1))
    }
}

/// A body sent as it is.
fn raw() -> (Type, BodyEncoding) {
    (Type::Body, BodyEncoding::Raw)
}

fn is_string(schema: &Schema) -> bool {
    matches!(
        schema.schema_kind,
        SchemaKind::Type(openapiv3::Type::String(_))
    )
}

/// `type: string, format: binary`: a file's content.
fn is_binary(schema: &Schema) -> bool {
    matches!(
        &schema.schema_kind,
        SchemaKind::Type(openapiv3::Type::String(string))
            if string.format == VariantOrUnknownOrEmpty::Item(StringFormat::Binary)
    )
}

#[cfg(test)]
mod tests {
    use super::super::check::*;

    /// A document whose one operation, `POST /things`, has a required
    /// body of `media_type` with `media` (YAML, a line per key at column 0).
    fn with_body(media_type: &str, media: &str) -> String {
        let media: String = media
            .lines()
            .map(|line| format!("          {line}\n"))
            .collect();
        with_paths(
            &format!(
                "/things:
  post:
    operationId: send
    requestBody:
      required: true
      content:
        {media_type}:
{media}    responses:
      '204': {{description: done}}
"
            ),
            "{}",
        )
    }

    #[test]
    fn a_form_body_is_its_typed_struct_with_the_encodings_that_are_not_the_default() {
        let outline = lowered(&with_body(
            "application/x-www-form-urlencoded",
            "schema:
  type: object
  properties:
    To: {type: array, items: {type: string}}
    Tags: {type: array, items: {type: string}}
    Filter: {type: object, properties: {kind: {type: string}}}
    Ids: {type: array, items: {type: string}}
encoding:
  To: {style: form}
  Tags: {explode: false}
  Filter: {style: deepObject, explode: true}
  Ids: {style: pipeDelimited}",
        ));
        has_lines(
            &outline,
            "  body application/x-www-form-urlencoded: types::SendBody (argument)
    form field Tags: Form, not exploded
    form field Filter: DeepObject, exploded
    form field Ids: PipeDelimited, not exploded",
        );
        assert!(!outline.contains("form field To"), "{outline}");
    }

    #[test]
    fn a_multipart_body_has_files_text_parts_and_a_warning_for_a_nested_file() {
        let outline = lowered(&with_body(
            "multipart/form-data",
            "schema:
  type: object
  required: [file]
  properties:
    file: {type: string, format: binary, maxLength: 10}
    scans: {type: array, items: {type: string, format: binary}}
    note: {type: string}
    meta: {type: object, properties: {icon: {type: string, format: binary}}}
    id: {type: string, readOnly: true}
encoding:
  file: {contentType: image/png}",
        ));
        has_lines(
            &outline,
            "  body multipart/form-data: types::SendBody (argument)
    part file: file, image/png
    part scans: a file each, optional
    part note: text, optional
    part meta: text, optional",
        );
        assert!(!outline.contains("part id"), "{outline}");
        // A file's string constraints no longer apply.
        has_lines(
            &outline,
            "  file: runtime::FilePart, required
  scans: Option<Vec<runtime::FilePart>>",
        );
        assert!(
            outline.contains("/schema/properties/meta: a file nested inside another value"),
            "{outline}"
        );
    }

    #[test]
    fn xml_is_sent_as_given_with_a_warning_and_binary_without() {
        let xml = lowered(&with_body(
            "application/xml",
            "schema: {type: object, properties: {a: {type: string}}}",
        ));
        has_lines(&xml, "  body application/xml: runtime::Body (argument)");
        assert!(
            xml.contains("content/application~1xml: the client cannot write `application/xml`"),
            "{xml}"
        );
        let binary = lowered(&with_body(
            "image/png",
            "schema: {type: string, format: binary}",
        ));
        has_lines(&binary, "  body image/png: runtime::Body (argument)");
        assert!(!binary.contains("fallback"), "{binary}");
    }
}
