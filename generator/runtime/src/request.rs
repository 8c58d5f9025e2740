//! One operation's request, as generated code describes it before sending.

use std::borrow::Cow;
use std::cell::Cell;

use bytes::Bytes;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::Method;
use serde::Serialize;

use super::auth::Requirements;
use super::body::Body;
use super::error::InvalidInput;
use super::form::{self, FormField};
use super::multipart::Multipart;

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

/// A JSON value as parameter or field text: strings as they are, other
/// values as JSON writes them; `None` for null, which is left out.
pub(super) fn value_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::Null => None,
        serde_json::Value::String(text) => Some(text.clone()),
        other => Some(other.to_string()),
    }
}

thread_local! {
    /// Whether this thread is serialising a request body right now.
    static SENDING: Cell<bool> = const { Cell::new(false) };
}

/// `skip_serializing_if` of a read-only field (`readOnly` in the spec): left
/// out of request bodies, which the server would refuse or ignore it in,
/// but kept when a value is serialised for any other reason (a cache, a
/// mock server's answer), where it is data like any other.
pub fn skip_read_only<T>(value: &Option<T>) -> bool {
    value.is_none() || sending(value)
}

/// `skip_serializing_if` of a required read-only field: see [`skip_read_only`].
pub fn sending<T: ?Sized>(_: &T) -> bool {
    SENDING.with(Cell::get)
}

/// Runs `serialize` with the flag up that leaves read-only fields out.
fn while_sending<R>(serialize: impl FnOnce() -> R) -> R {
    /// Clears the flag even if serialising panics.
    struct Sending;
    impl Drop for Sending {
        fn drop(&mut self) {
            SENDING.with(|sending| sending.set(false));
        }
    }
    SENDING.with(|sending| sending.set(true));
    let _sending = Sending;
    serialize()
}

/// `body` as JSON for a request: with read-only fields left out.
fn serialize_for_sending<T: Serialize + ?Sized>(body: &T) -> serde_json::Result<Vec<u8>> {
    while_sending(|| serde_json::to_vec(body))
}

/// `value` as a JSON value for a request (a form's fields, a multipart
/// body's parts): with read-only fields left out.
pub(super) fn to_sendable_json<T: Serialize + ?Sized>(
    value: &T,
) -> serde_json::Result<serde_json::Value> {
    while_sending(|| serde_json::to_value(value))
}

/// The media types of one API version of an operation, held by a request
/// builder that versions of the same shape share.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VersionMedia {
    /// The version's label, as [`Request::api_version`] takes it.
    pub label: &'static str,
    /// The media type sent in `Accept`.
    pub accept: &'static str,
    /// The body's media type; empty when the operation sends none.
    pub body: &'static str,
}

/// A request under construction: method, path, query, media types and body.
#[derive(Debug)]
pub struct Request {
    pub(super) operation_id: &'static str,
    pub(super) method: Method,
    pub(super) path_template: &'static str,
    path_values: Vec<(&'static str, String)>,
    pub(super) query: Vec<(&'static str, String)>,
    pub(super) headers: Vec<(&'static str, String)>,
    pub(super) accept: &'static str,
    /// The API version `accept` and the body's media type belong to, if the
    /// API versions its media types.
    pub(super) api_version: Option<&'static str>,
    pub(super) body: Option<Payload>,
    /// The response comes wrapped as `{"status": …, "content": …}`.
    pub(super) enveloped: bool,
    /// The security schemes the operation accepts.
    pub(super) security: Requirements,
    /// Why the request must not be sent, found while building it.
    invalid: Option<InvalidInput>,
    /// A URL (absolute, or relative to the base URL) sent to instead of the
    /// path and query: the next page's, as the previous page gave it.
    pub(super) url: Option<String>,
}

/// A request body, ready to be sent by each attempt.
#[derive(Debug)]
pub(super) enum Payload {
    /// Bytes (JSON, form fields, or the caller's own) or a stream, and
    /// their media type.
    Whole {
        content_type: &'static str,
        content: Body,
    },
    /// Parts, which make a form (and its boundary) anew per attempt.
    Multipart(Multipart),
}

impl Payload {
    /// Whether the body is read from a stream: then it can be sent once,
    /// and its request is never retried.
    pub(super) fn is_streamed(&self) -> bool {
        match self {
            Self::Whole { content, .. } => content.is_streamed(),
            Self::Multipart(parts) => parts.is_streamed(),
        }
    }
}

impl Request {
    /// Starts a request for `operation_id` to `path_template` (such as
    /// `/keys/{keyId}`), accepting the media type `accept`.
    pub fn new(
        operation_id: &'static str,
        method: Method,
        path_template: &'static str,
        accept: &'static str,
    ) -> Self {
        Self {
            operation_id,
            method,
            path_template,
            path_values: Vec::new(),
            query: Vec::new(),
            headers: Vec::new(),
            accept,
            api_version: None,
            body: None,
            enveloped: false,
            security: &[],
            invalid: None,
            url: None,
        }
    }

    /// Fills the template's `{name}` with `value`, percent-encoded as one
    /// segment. An empty value, `.` or `..` is refused: URL resolution would
    /// drop or climb the segment and send the request to another resource.
    pub fn path_parameter<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        let text = to_text(value);
        if matches!(text.as_str(), "" | "." | "..") {
            self.refuse(InvalidInput::new(
                name,
                format!("cannot be {text:?} in a path"),
            ));
        }
        let encoded = encode_path_segment(&text).into_owned();
        self.path_values.push((name, encoded));
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
            Err(error) => self.refuse(InvalidInput::new(name, error.to_string())),
        }
    }

    /// Sets the query parameter `name` to `value` alone, replacing any value
    /// it had: a page's cursor.
    pub fn replace_query(&mut self, name: &'static str, value: String) {
        self.query.retain(|(have, _)| *have != name);
        self.query.push((name, value));
    }

    /// Sends the request to `url` as given (the next page's, from the
    /// previous page) instead of its path and query. It must be on the
    /// client's server: credentials go nowhere else.
    pub fn follow(&mut self, url: String) {
        self.url = Some(url);
    }

    /// Adds a header parameter when a value is given; arrays are
    /// comma-separated (`simple` style).
    pub fn header<T: Serialize + ?Sized>(&mut self, name: &'static str, value: Option<&T>) {
        if let Some(value) = value {
            self.headers.push((name, to_text(value)));
        }
    }

    /// Sets a JSON body sent with the media type `content_type`. Read-only
    /// fields (see [`skip_read_only`]) are left out.
    pub fn json_body<T: Serialize + ?Sized>(&mut self, content_type: &'static str, body: &T) {
        match serialize_for_sending(body) {
            Ok(bytes) => self.raw_body(content_type, Bytes::from(bytes)),
            Err(error) => self.refuse(InvalidInput::new("body", error.to_string())),
        }
    }

    /// Sets a body of form fields (`application/x-www-form-urlencoded`):
    /// `body`'s properties, each written as `encoding` says (the others in
    /// `form` style, exploded). Read-only fields are left out.
    pub fn form_body<T: Serialize + ?Sized>(
        &mut self,
        content_type: &'static str,
        body: &T,
        encoding: &[FormField],
    ) {
        let encoded = to_sendable_json(body)
            .map_err(|error| error.to_string())
            .and_then(|value| form::encode(&value, encoding));
        match encoded {
            Ok(text) => self.raw_body(content_type, text),
            Err(error) => self.refuse(InvalidInput::new("body", error)),
        }
    }

    /// Sets a `multipart/form-data` body of `parts`; the `Content-Type`,
    /// with its boundary, is the form's own.
    pub fn multipart_body(&mut self, parts: Multipart) {
        self.body = Some(Payload::Multipart(parts));
    }

    /// Sets a body sent as it is (bytes, text or a stream) with the media
    /// type `content_type`.
    pub fn raw_body(&mut self, content_type: &'static str, body: impl Into<Body>) {
        self.body = Some(Payload::Whole {
            content_type,
            content: body.into(),
        });
    }

    /// Sets a body that is not JSON, sent as it is with the media type
    /// `content_type`.
    pub fn bytes_body(&mut self, content_type: &'static str, body: Bytes) {
        self.raw_body(content_type, body);
    }

    /// Marks `accept` and the body's media type as those of API version
    /// `label`, so a server that no longer serves it fails as
    /// [`Error::VersionUnavailable`](super::Error::VersionUnavailable).
    pub fn api_version(&mut self, label: &'static str) {
        self.api_version = Some(label);
    }

    /// Sends the credentials of the first of `requirements` the client has
    /// every credential for; without this, none are sent.
    pub fn security(&mut self, requirements: Requirements) {
        self.security = requirements;
    }

    /// Asks the server to wrap its answer as `{"status": …, "content": …}`
    /// (a query parameter the conventions name), which the client then
    /// unwraps.
    pub fn expect_envelope(&mut self) {
        self.enveloped = true;
    }

    fn refuse(&mut self, invalid: InvalidInput) {
        self.invalid.get_or_insert(invalid);
    }

    /// The path with every placeholder filled, or why the request must not
    /// be sent.
    pub(super) fn path(&self) -> Result<String, InvalidInput> {
        if let Some(invalid) = &self.invalid {
            return Err(invalid.clone());
        }
        let mut path = String::with_capacity(self.path_template.len() + 32);
        let mut rest = self.path_template;
        while let Some(open) = rest.find('{') {
            let close = rest[open..]
                .find('}')
                .map(|close| open + close)
                .ok_or_else(|| InvalidInput::new("path", "has an unclosed `{`"))?;
            let name = &rest[open + 1..close];
            let (_, value) = self
                .path_values
                .iter()
                .find(|(candidate, _)| *candidate == name)
                .ok_or_else(|| InvalidInput::new(name, "has no value"))?;
            path.push_str(&rest[..open]);
            path.push_str(value);
            rest = &rest[close + 1..];
        }
        path.push_str(rest);
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> Request {
        Request::new(
            "getKey",
            Method::GET,
            "/groups/{groupId}/keys/{keyId}",
            "*/*",
        )
    }

    #[test]
    fn path_values_are_encoded_into_one_segment() {
        let mut request = request();
        request.path_parameter("groupId", "a/b c?d");
        request.path_parameter("keyId", &42);
        assert_eq!(request.path().unwrap(), "/groups/a%2Fb%20c%3Fd/keys/42");
    }

    #[test]
    fn dot_segments_and_empty_values_are_refused_by_name() {
        for value in ["", ".", ".."] {
            let mut request = request();
            request.path_parameter("groupId", "g");
            request.path_parameter("keyId", value);
            let error = request.path().unwrap_err();
            assert_eq!(error.field, "keyId");
        }
    }

    #[test]
    fn query_arrays_explode_and_absent_values_are_skipped() {
        let mut request = request();
        request.query("ids", Some(&["a", "b"]));
        request.query::<bool>("pretty", None);
        request.query("limit", Some(&5));
        assert_eq!(
            request.query,
            [
                ("ids", "a".to_owned()),
                ("ids", "b".to_owned()),
                ("limit", "5".to_owned())
            ]
        );
    }

    #[derive(Serialize)]
    struct Key {
        name: &'static str,
        #[serde(skip_serializing_if = "skip_read_only")]
        id: Option<&'static str>,
    }

    #[test]
    fn read_only_fields_are_left_out_of_request_bodies_only() {
        let key = Key {
            name: "k",
            id: Some("server-made"),
        };
        let mut request = request();
        request.json_body("application/json", &key);
        assert_eq!(&sent(&request).1[..], br#"{"name":"k"}"#);
        assert_eq!(
            serde_json::to_string(&key).unwrap(),
            r#"{"name":"k","id":"server-made"}"#
        );
    }

    #[test]
    fn bytes_bodies_are_sent_as_they_are() {
        let mut request = request();
        request.bytes_body("text/csv", Bytes::from_static(b"a,b\n1,2\n"));
        assert_eq!(
            sent(&request),
            ("text/csv", Bytes::from_static(b"a,b\n1,2\n"))
        );
    }

    /// The media type and bytes of a request's whole body.
    fn sent(request: &Request) -> (&'static str, Bytes) {
        match request.body.as_ref().unwrap() {
            Payload::Whole {
                content_type,
                content,
            } => (content_type, content.as_bytes().unwrap().clone()),
            Payload::Multipart(_) => panic!("a multipart body"),
        }
    }

    #[test]
    fn form_bodies_leave_read_only_fields_out_and_follow_the_encoding() {
        #[derive(Serialize)]
        struct Message {
            to: Vec<&'static str>,
            #[serde(skip_serializing_if = "skip_read_only")]
            sid: Option<&'static str>,
        }
        let message = Message {
            to: vec!["a", "b"],
            sid: Some("server-made"),
        };
        let mut request = request();
        request.form_body("application/x-www-form-urlencoded", &message, &[]);
        assert_eq!(&sent(&request).1[..], b"to=a&to=b");
        let mut request = self::request();
        let joined = [FormField::new("to", form::FormStyle::Form, false)];
        request.form_body("application/x-www-form-urlencoded", &message, &joined);
        assert_eq!(&sent(&request).1[..], b"to=a%2Cb");
    }

    #[test]
    fn a_form_body_that_is_no_object_is_refused() {
        let mut request = request();
        request.form_body("application/x-www-form-urlencoded", &[1, 2], &[]);
        request.path_parameter("groupId", "g");
        request.path_parameter("keyId", "k");
        assert_eq!(request.path().unwrap_err().field, "body");
    }
}
