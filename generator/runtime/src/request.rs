//! One operation's request, as generated code describes it before sending.

use std::borrow::Cow;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::Method;
use serde::Serialize;

/// Everything but RFC 3986's unreserved characters, so a value can never
/// change the shape of the path it is put into.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes a value for use as one path segment.
pub fn encode_path_segment(value: &str) -> Cow<'_, str> {
    utf8_percent_encode(value, PATH_SEGMENT).into()
}

/// A parameter value as text: strings as they are, numbers and booleans as
/// JSON writes them, arrays comma-separated (`simple` style).
pub fn to_text<T: Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::Array(items)) => items
            .iter()
            .filter_map(value_text)
            .collect::<Vec<_>>()
            .join(","),
        Ok(scalar) => value_text(&scalar).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

fn value_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::Null => None,
        serde_json::Value::String(text) => Some(text.clone()),
        other => Some(other.to_string()),
    }
}

/// A request under construction: method, path, query, media types and body.
#[derive(Debug)]
pub struct Request {
    pub(super) operation_id: &'static str,
    pub(super) method: Method,
    pub(super) path: String,
    pub(super) query: Vec<(&'static str, String)>,
    pub(super) headers: Vec<(&'static str, String)>,
    pub(super) accept: &'static str,
    pub(super) body: Option<Body>,
}

/// A serialised request body and its media type.
#[derive(Debug)]
pub(super) struct Body {
    pub(super) content_type: &'static str,
    pub(super) bytes: Result<Vec<u8>, String>,
}

impl Request {
    /// Starts a request for `operation_id` to an already encoded `path`,
    /// accepting the media type `accept`.
    pub fn new(
        operation_id: &'static str,
        method: Method,
        path: String,
        accept: &'static str,
    ) -> Self {
        Self {
            operation_id,
            method,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            accept,
            body: None,
        }
    }

    /// Adds a query parameter when a value is given. Arrays become one pair
    /// per element (`form` style, exploded), as OpenAPI's default says.
    pub fn query<T: Serialize + ?Sized>(&mut self, name: &'static str, value: Option<&T>) {
        let Some(value) = value else { return };
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Array(items)) => {
                let items = items.iter().filter_map(value_text);
                self.query.extend(items.map(|text| (name, text)));
            }
            Ok(scalar) => self
                .query
                .extend(value_text(&scalar).map(|text| (name, text))),
            // Parameters are scalars or arrays of them, whose serialisation
            // cannot fail.
            Err(_) => {}
        }
    }

    /// Adds a header parameter when a value is given; arrays are
    /// comma-separated (`simple` style).
    pub fn header<T: Serialize + ?Sized>(&mut self, name: &'static str, value: Option<&T>) {
        if let Some(value) = value {
            self.headers.push((name, to_text(value)));
        }
    }

    /// Sets a JSON body sent with the media type `content_type`.
    pub fn json_body<T: Serialize + ?Sized>(&mut self, content_type: &'static str, body: &T) {
        let bytes = serde_json::to_vec(body).map_err(|error| error.to_string());
        self.body = Some(Body {
            content_type,
            bytes,
        });
    }
}
