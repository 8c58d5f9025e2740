//! `multipart/form-data` bodies: [`FilePart`], the type of a body's file
//! properties, and [`Multipart`], the parts generated code lists from a
//! typed body, which become a `reqwest` form (and so a correct boundary)
//! anew for each attempt.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::body::Body;
use super::error::InvalidInput;
use super::request::to_sendable_json;

/// What a file part is sent as when neither it nor the media type's
/// `encoding` names a content type, as OpenAPI says for binary properties.
const DEFAULT_FILE_TYPE: &str = "application/octet-stream";

/// A file of a multipart body: its content (bytes, or a stream read while
/// it is sent), and optionally a file name and a content type.
#[derive(Clone, Debug, PartialEq)]
pub struct FilePart {
    content: Body,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl FilePart {
    /// A file with `content`: anything a [`Body`] is made from, such as
    /// `Vec<u8>`, `Bytes`, `String` or [`Body::from_stream`].
    pub fn new(content: impl Into<Body>) -> Self {
        Self {
            content: content.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// Sends `file_name` as the part's file name (many servers need one).
    pub fn file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    /// Sends the part with `content_type` instead of the media type's default.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The file's content.
    pub fn content(&self) -> &Body {
        &self.content
    }
}

impl<T: Into<Body>> From<T> for FilePart {
    fn from(content: T) -> Self {
        Self::new(content)
    }
}

/// Serialised (outside a multipart body: a mock's answer, a cache) as its
/// bytes in a string, as JSON carries a `format: binary` string.
impl Serialize for FilePart {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.content.as_bytes() {
            Some(bytes) => serializer.serialize_str(&String::from_utf8_lossy(bytes)),
            None => Err(serde::ser::Error::custom(
                "a streamed file cannot be serialised",
            )),
        }
    }
}

impl<'de> Deserialize<'de> for FilePart {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::new)
    }
}

/// The parts of a multipart body, in order.
#[derive(Clone, Debug, Default)]
pub struct Multipart {
    parts: Vec<Part>,
    /// Why the body cannot be sent, found while listing its parts.
    invalid: Option<InvalidInput>,
}

#[derive(Clone, Debug)]
struct Part {
    name: &'static str,
    content: Body,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl Multipart {
    /// No parts yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `file` as part `name`, with its own content type, else
    /// `default_content_type` (the media type's `encoding`), else
    /// `application/octet-stream`.
    pub fn file(
        &mut self,
        name: &'static str,
        file: &FilePart,
        default_content_type: Option<&str>,
    ) {
        let content_type = file
            .content_type
            .as_deref()
            .or(default_content_type)
            .unwrap_or(DEFAULT_FILE_TYPE);
        self.parts.push(Part {
            name,
            content: file.content.clone(),
            file_name: file.file_name.clone(),
            content_type: Some(content_type.to_owned()),
        });
    }

    /// Adds `value` as text part `name`: strings as they are, numbers and
    /// booleans as JSON writes them, each item of an array as a part of its
    /// own, and objects as JSON (`application/json`). `content_type`, the
    /// media type's `encoding`, is sent as the part's own.
    pub fn field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        content_type: Option<&str>,
    ) {
        match to_sendable_json(value) {
            Ok(value) => self.value(name, &value, content_type, true),
            Err(error) => {
                self.invalid
                    .get_or_insert_with(|| InvalidInput::new(name, error.to_string()));
            }
        }
    }

    fn value(
        &mut self,
        name: &'static str,
        value: &serde_json::Value,
        content_type: Option<&str>,
        top: bool,
    ) {
        use serde_json::Value;
        let (text, default_type) = match value {
            Value::Null => return,
            Value::Array(items) if top => {
                for item in items {
                    self.value(name, item, content_type, false);
                }
                return;
            }
            Value::String(text) => (text.clone(), None),
            Value::Object(_) | Value::Array(_) => (value.to_string(), Some("application/json")),
            scalar => (scalar.to_string(), None),
        };
        self.parts.push(Part {
            name,
            content: Body::from(text),
            file_name: None,
            content_type: content_type.or(default_type).map(str::to_owned),
        });
    }

    /// Whether a part is read from a stream, so the body can be sent once.
    pub(super) fn is_streamed(&self) -> bool {
        self.parts.iter().any(|part| part.content.is_streamed())
    }

    /// The form for one attempt, with a boundary of its own.
    pub(super) fn to_form(&self) -> Result<reqwest::multipart::Form, InvalidInput> {
        if let Some(invalid) = &self.invalid {
            return Err(invalid.clone());
        }
        let mut form = reqwest::multipart::Form::new();
        for part in &self.parts {
            let mut sent = match part.content.as_bytes() {
                Some(bytes) => reqwest::multipart::Part::bytes(bytes.to_vec()),
                None => reqwest::multipart::Part::stream(part.content.to_reqwest()?),
            };
            if let Some(content_type) = &part.content_type {
                sent = sent.mime_str(content_type).map_err(|_| {
                    InvalidInput::new(part.name, format!("`{content_type}` is no media type"))
                })?;
            }
            if let Some(file_name) = &part.file_name {
                sent = sent.file_name(file_name.clone());
            }
            form = form.part(part.name, sent);
        }
        Ok(form)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Meta {
        kind: &'static str,
    }

    #[test]
    fn fields_are_parts_by_their_json_shape() {
        let mut form = Multipart::new();
        form.field("name", "a b", None);
        form.field("count", &3, None);
        form.field("tags", &["x", "y"], None);
        form.field("meta", &Meta { kind: "k" }, None);
        form.field::<Option<i32>>("absent", &None, None);
        form.file(
            "file",
            &FilePart::new(b"\x89PNG".to_vec()).file_name("a.png"),
            Some("image/png"),
        );
        let parts: Vec<_> = form
            .parts
            .iter()
            .map(|part| {
                (
                    part.name,
                    part.content.as_bytes().cloned().unwrap_or_default(),
                    part.content_type.as_deref(),
                    part.file_name.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            parts,
            [
                ("name", "a b".into(), None, None),
                ("count", "3".into(), None, None),
                ("tags", "x".into(), None, None),
                ("tags", "y".into(), None, None),
                (
                    "meta",
                    r#"{"kind":"k"}"#.into(),
                    Some("application/json"),
                    None
                ),
                (
                    "file",
                    b"\x89PNG".to_vec().into(),
                    Some("image/png"),
                    Some("a.png")
                ),
            ]
        );
        assert!(!form.is_streamed());
        assert!(form.to_form().is_ok());
    }

    #[test]
    fn a_file_type_of_its_own_wins_and_octet_stream_is_the_default() {
        let mut form = Multipart::new();
        form.file(
            "a",
            &FilePart::new("x").content_type("text/csv"),
            Some("image/png"),
        );
        form.file("b", &FilePart::new("y"), None);
        let types: Vec<_> = form
            .parts
            .iter()
            .map(|p| p.content_type.as_deref())
            .collect();
        assert_eq!(types, [Some("text/csv"), Some("application/octet-stream")]);
    }

    #[test]
    fn a_bad_content_type_is_invalid_input() {
        let mut form = Multipart::new();
        form.file("a", &FilePart::new("x").content_type("not a type"), None);
        assert_eq!(form.to_form().unwrap_err().field, "a");
    }
}
