//! Test doubles for code that uses the client: a loopback HTTP server that
//! answers each operation with values the test gives, in the client's own
//! types. Compiled with the `mock` feature; built on `wiremock`.
//!
//! The server sits behind the real [`Client`], so code under test keeps its
//! concrete client and still goes through encoding, authentication headers,
//! validation and error decoding. Each generated operation has a method on
//! [`MockServer`] that takes the operation's path parameters and returns an
//! [`Expectation`] typed with its answer and error bodies.

use std::marker::PhantomData;

use futures_util::FutureExt;
use serde::Serialize;
use wiremock::matchers::{body_json, header, method, path as exact_path};
use wiremock::{Mock, ResponseTemplate};

use super::client::{Client, ClientBuilder};
use super::download::ByteStream;
use super::events::{Event, EventStream};
use super::form::{self, FormField};
use super::request::{Request, to_sendable_json};
use super::retry::RetryPolicy;

/// A loopback server that answers as the test tells it to; it stops when
/// dropped, failing the test if an expectation set with
/// [`Expectation::times`] was not met.
#[derive(Debug)]
pub struct MockServer {
    server: wiremock::MockServer,
}

impl MockServer {
    /// Starts a server on a free loopback port.
    pub async fn start() -> Self {
        Self {
            server: wiremock::MockServer::start().await,
        }
    }

    /// The server's base URL, for a client configured by the code under test.
    pub fn base_url(&self) -> String {
        self.server.uri()
    }

    /// A client of this server, with no credentials and no retries, so each
    /// call is one request; for credentials, build a client on
    /// [`MockServer::base_url`].
    pub fn client(&self) -> Client {
        ClientBuilder::new(self.base_url())
            .retry(RetryPolicy::none())
            .build()
            .expect("a loopback URL is a valid base URL")
    }

    /// Expects the request an operation would send. Generated code calls
    /// this with the operation's method, path and media type; tests call the
    /// operation's own method on `MockServer` instead.
    ///
    /// # Panics
    ///
    /// When a path parameter could not be sent (empty, `.` or `..`).
    pub fn expect<T, E>(&self, request: Request) -> Expectation<'_, T, E> {
        let path = request.path().unwrap_or_else(|invalid| {
            panic!("no request can match: `{}` {}", invalid.field, invalid.rule)
        });
        let mock = Mock::given(method(request.method.as_str()))
            .and(exact_path(path))
            .and(header("accept", request.accept));
        Expectation {
            server: &self.server,
            mock,
            media_type: request.accept,
            form_encoding: &[],
            times: None,
            _bodies: PhantomData,
        }
    }

    /// Every request received so far, matched or not.
    pub async fn received_requests(&self) -> Vec<wiremock::Request> {
        self.server.received_requests().await.unwrap_or_default()
    }
}

/// What one operation's mock matches, and how it answers: the answer body is
/// a `T` and the error body an `E`, as the client decodes them.
#[must_use = "an expectation does nothing until answered with `respond`, `respond_empty` or `fail`"]
pub struct Expectation<'s, T, E> {
    server: &'s wiremock::MockServer,
    mock: wiremock::MockBuilder,
    /// The media type of the operation's answers (its API version's).
    media_type: &'static str,
    /// How the operation writes a form body's properties.
    form_encoding: &'static [FormField],
    times: Option<u64>,
    _bodies: PhantomData<fn() -> (T, E)>,
}

impl<T, E> Expectation<'_, T, E> {
    /// Matches only requests whose JSON body equals `body`.
    pub fn with_body<B: Serialize>(mut self, body: &B) -> Self {
        let body = serde_json::to_value(body).expect("a request body serialises to JSON");
        self.mock = self.mock.and(body_json(body));
        self
    }

    /// Writes form bodies as `encoding` says, as the operation does.
    /// Generated code calls this for operations whose form fields are not
    /// all in the default style.
    pub fn form_encoding(mut self, encoding: &'static [FormField]) -> Self {
        self.form_encoding = encoding;
        self
    }

    /// Matches only requests whose form body (`application/x-www-form-urlencoded`)
    /// has the fields `body` is sent as, in any order.
    ///
    /// # Panics
    ///
    /// When `body` is no object.
    pub fn with_form_body<B: Serialize>(mut self, body: &B) -> Self {
        let fields = to_sendable_json(body)
            .map_err(|error| error.to_string())
            .and_then(|value| form::pairs(&value, self.form_encoding))
            .unwrap_or_else(|error| panic!("a form body: {error}"));
        self.mock = self.mock.and(FormFields(sorted(fields)));
        self
    }

    /// Matches only requests whose multipart body has a part `name` with
    /// `content`, and with the given file name and content type (`None`:
    /// the part has none).
    pub fn with_part(
        mut self,
        name: &str,
        file_name: Option<&str>,
        content_type: Option<&str>,
        content: impl Into<Vec<u8>>,
    ) -> Self {
        self.mock = self.mock.and(HasPart(ReceivedPart {
            name: name.to_owned(),
            file_name: file_name.map(str::to_owned),
            content_type: content_type.map(str::to_owned),
            content: content.into(),
        }));
        self
    }

    /// Requires exactly `calls` matching requests by the time the server is
    /// dropped.
    pub fn times(mut self, calls: u64) -> Self {
        self.times = Some(calls);
        self
    }

    /// Answers with `status` and `body` as it is, in the operation's media
    /// type: for operations whose answers are not JSON (CSV, gzip, …).
    pub async fn respond_raw(self, status: u16, body: impl Into<Vec<u8>>) {
        let media_type = self.media_type;
        self.mount(ResponseTemplate::new(status).set_body_raw(body.into(), media_type))
            .await;
    }

    /// Answers with `status` and no body, as a delete does.
    pub async fn respond_empty(self, status: u16) {
        self.mount(ResponseTemplate::new(status)).await;
    }

    async fn mount(self, answer: ResponseTemplate) {
        let mut mock = self.mock.respond_with(answer);
        if let Some(calls) = self.times {
            mock = mock.expect(calls);
        }
        mock.mount(self.server).await;
    }
}

impl<E> Expectation<'_, String, E> {
    /// Answers a text operation (`text/plain`, `text/csv`, …) with `status`
    /// and `text`, as it is.
    pub async fn respond_text(self, status: u16, text: &str) {
        self.respond_raw(status, text).await;
    }
}

impl<E> Expectation<'_, ByteStream, E> {
    /// Answers a download with `status` and `body`, which the client reads
    /// as a [`ByteStream`] (whole or chunk by chunk).
    pub async fn respond_bytes(self, status: u16, body: impl Into<Vec<u8>>) {
        self.respond_raw(status, body).await;
    }
}

impl<T: Serialize + 'static, E> Expectation<'_, EventStream<T>, E> {
    /// Answers an event-stream operation with `status` and `events`, written
    /// as `text/event-stream`: each event's data as JSON, or as it is when
    /// it is a `String` (which the client takes as text). The body ends
    /// after the last event; to end with the client's end marker (`[DONE]`),
    /// end with an event whose data is that marker.
    pub async fn respond_events(self, status: u16, events: &[Event<T>]) {
        let mut body = String::new();
        for event in events {
            write_event(&mut body, event);
        }
        self.respond_raw(status, body).await;
    }
}

/// `event` as `text/event-stream` text: its fields, then a blank line.
fn write_event<T: Serialize + 'static>(body: &mut String, event: &Event<T>) {
    use std::fmt::Write as _;
    if event.event != "message" {
        let _ = writeln!(body, "event: {}", event.event);
    }
    if let Some(id) = &event.id {
        let _ = writeln!(body, "id: {id}");
    }
    if let Some(retry) = event.retry {
        let _ = writeln!(body, "retry: {}", retry.as_millis());
    }
    let data = match (&event.data as &dyn std::any::Any).downcast_ref::<String>() {
        Some(text) => text.clone(),
        None => serde_json::to_string(&event.data).expect("an event's data serialises to JSON"),
    };
    for line in data.split('\n') {
        let _ = writeln!(body, "data: {line}");
    }
    body.push('\n');
}

impl<T: Serialize, E> Expectation<'_, T, E> {
    /// Answers with `status` and `body` in the operation's media type.
    pub async fn respond(self, status: u16, body: &T) {
        let bytes = serde_json::to_vec(body).expect("an answer serialises to JSON");
        self.respond_raw(status, bytes).await;
    }
}

impl<T, E: Serialize> Expectation<'_, T, E> {
    /// Answers with an error `status` and the API's error body, as
    /// `application/json`.
    pub async fn fail(self, status: u16, error: &E) {
        let bytes = serde_json::to_vec(error).expect("an error serialises to JSON");
        self.mount(ResponseTemplate::new(status).set_body_raw(bytes, "application/json"))
            .await;
    }
}

fn sorted(mut fields: Vec<(String, String)>) -> Vec<(String, String)> {
    fields.sort();
    fields
}

/// Matches a form body with these fields, in any order.
struct FormFields(Vec<(String, String)>);

impl wiremock::Match for FormFields {
    fn matches(&self, request: &wiremock::Request) -> bool {
        let received = form_urlencoded::parse(&request.body).into_owned().collect();
        sorted(received) == self.0
    }
}

/// Matches a multipart body with this part among its parts.
struct HasPart(ReceivedPart);

impl wiremock::Match for HasPart {
    fn matches(&self, request: &wiremock::Request) -> bool {
        let content_type = request
            .headers
            .get("content-type")
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default();
        multipart_parts(content_type, &request.body).contains(&self.0)
    }
}

/// A part of a multipart body, as a server reads it.
#[derive(Debug, PartialEq)]
struct ReceivedPart {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    content: Vec<u8>,
}

/// The parts of a `multipart/form-data` body, read by `multer` as a server
/// would; none when it is not one. The body is whole in memory, so every
/// future `multer` gives is ready at its first poll: a matcher, which
/// cannot wait, needs no executor for it.
fn multipart_parts(content_type: &str, body: &[u8]) -> Vec<ReceivedPart> {
    let Ok(boundary) = multer::parse_boundary(content_type) else {
        return Vec::new();
    };
    let body = bytes::Bytes::copy_from_slice(body);
    let stream = futures_util::stream::once(async { Ok::<_, std::convert::Infallible>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let read = async {
        let mut parts = Vec::new();
        while let Ok(Some(field)) = multipart.next_field().await {
            let name = field.name().unwrap_or_default().to_owned();
            let file_name = field.file_name().map(str::to_owned);
            let content_type = field.content_type().map(ToString::to_string);
            let Ok(content) = field.bytes().await else {
                break;
            };
            parts.push(ReceivedPart {
                name,
                file_name,
                content_type,
                content: content.to_vec(),
            });
        }
        parts
    };
    read.now_or_never().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;
    use crate::Error;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Thing {
        name: String,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Problem {
        code: String,
    }

    const MEDIA_TYPE: &str = "application/vnd.example.v1+json";

    fn get_thing(id: &str) -> Request {
        let mut request =
            Request::new("getThing", reqwest::Method::GET, "/things/{id}", MEDIA_TYPE);
        request.path_parameter("id", id);
        request
    }

    #[tokio::test]
    async fn answers_the_matching_request_with_the_typed_body() {
        let server = MockServer::start().await;
        let thing = Thing { name: "a b".into() };
        server
            .expect::<Thing, Problem>(get_thing("a/b"))
            .times(1)
            .respond(200, &thing)
            .await;
        let response = server
            .client()
            .send_json::<Thing, Problem>(get_thing("a/b"))
            .await
            .unwrap();
        assert_eq!(response.body(), &thing);
        assert_eq!(response.headers()["content-type"], MEDIA_TYPE);
        let received = server.received_requests().await;
        assert_eq!(received[0].url.path(), "/things/a%2Fb");
        assert!(!received[0].headers.contains_key("authorization"));
    }

    #[tokio::test]
    async fn fails_with_the_typed_error() {
        let server = MockServer::start().await;
        let problem = Problem {
            code: "NOPE".into(),
        };
        server
            .expect::<Thing, Problem>(get_thing("x"))
            .fail(404, &problem)
            .await;
        let error = server
            .client()
            .send_json::<Thing, Problem>(get_thing("x"))
            .await
            .unwrap_err();
        assert!(
            matches!(error, Error::Api { status, ref body, .. } if status == 404 && *body == problem)
        );
    }

    #[tokio::test]
    async fn other_paths_and_bodies_do_not_match() {
        let server = MockServer::start().await;
        server
            .expect::<Thing, Problem>(get_thing("x"))
            .with_body(&Thing {
                name: "only this".into(),
            })
            .respond(200, &Thing { name: "x".into() })
            .await;
        let client = server.client();
        let other_path = client.send_json::<Thing, Problem>(get_thing("y")).await;
        assert_eq!(
            other_path.unwrap_err().status().map(|s| s.as_u16()),
            Some(404)
        );
        let no_body = client.send_json::<Thing, Problem>(get_thing("x")).await;
        assert_eq!(no_body.unwrap_err().status().map(|s| s.as_u16()), Some(404));
    }

    #[tokio::test]
    async fn raw_answers_are_sent_as_they_are() {
        let server = MockServer::start().await;
        server
            .expect::<bytes::Bytes, Problem>(get_thing("x"))
            .respond_raw(200, &b"a,b\n"[..])
            .await;
        let response = server
            .client()
            .send_bytes::<Problem>(get_thing("x"))
            .await
            .unwrap();
        assert_eq!(&response.body()[..], b"a,b\n");
        assert_eq!(response.headers()["content-type"], MEDIA_TYPE);
    }

    fn post_thing() -> Request {
        Request::new("postThing", reqwest::Method::POST, "/things", MEDIA_TYPE)
    }

    #[tokio::test]
    async fn form_bodies_match_by_their_fields_in_any_order() {
        #[derive(Serialize)]
        struct Message {
            to: Vec<&'static str>,
            body: &'static str,
        }
        let server = MockServer::start().await;
        let message = Message {
            to: vec!["a", "b"],
            body: "x&y",
        };
        server
            .expect::<(), Problem>(post_thing())
            .with_form_body(&message)
            .times(1)
            .respond_empty(204)
            .await;
        let client = server.client();
        let mut request = post_thing();
        request.raw_body("application/x-www-form-urlencoded", "to=b&body=x%26y&to=a");
        let reordered = client.send_empty::<Problem>(request).await;
        assert!(reordered.is_ok(), "{reordered:?}");
        let mut request = post_thing();
        request.raw_body("application/x-www-form-urlencoded", "to=a&body=x%26y");
        let missing = client.send_empty::<Problem>(request).await;
        assert_eq!(missing.unwrap_err().status().map(|s| s.as_u16()), Some(404));
    }

    #[tokio::test]
    async fn multipart_bodies_match_by_their_parts() {
        let server = MockServer::start().await;
        server
            .expect::<(), Problem>(post_thing())
            .with_part("file", Some("a.png"), Some("image/png"), &b"\x89PNG"[..])
            .with_part("note", None, None, "hi")
            .times(1)
            .respond_empty(204)
            .await;
        let client = server.client();
        let send = |name: &'static str| {
            let mut parts = super::super::multipart::Multipart::new();
            let file = super::super::multipart::FilePart::new(&b"\x89PNG"[..]).file_name(name);
            parts.file("file", &file, Some("image/png"));
            parts.field("note", "hi", None);
            let mut request = post_thing();
            request.multipart_body(parts);
            client.send_empty::<Problem>(request)
        };
        assert!(send("a.png").await.is_ok());
        let other_name = send("b.png").await;
        assert_eq!(
            other_name.unwrap_err().status().map(|s| s.as_u16()),
            Some(404)
        );
    }

    fn get(accept: &'static str) -> Request {
        Request::new("get", reqwest::Method::GET, "/report", accept)
    }

    #[tokio::test]
    async fn text_downloads_and_events_are_answered_as_their_media_types_say() {
        use futures_util::StreamExt;
        let server = MockServer::start().await;
        server
            .expect::<String, Problem>(get("text/csv"))
            .respond_text(200, "a,b\n1,2\n")
            .await;
        server
            .expect::<ByteStream, Problem>(get("application/octet-stream"))
            .respond_bytes(200, vec![7u8; 100_000])
            .await;
        let events = [
            Event::new(Thing { name: "one".into() }),
            Event::new(Thing { name: "two".into() })
                .named("update")
                .with_id("2")
                .with_retry(std::time::Duration::from_millis(10)),
        ];
        server
            .expect::<EventStream<Thing>, Problem>(get("text/event-stream"))
            .respond_events(200, &events)
            .await;
        let client = server.client();
        let text = client.send_text::<Problem>(get("text/csv")).await.unwrap();
        assert_eq!(text.body(), "a,b\n1,2\n");
        let download = client
            .send_streamed::<Problem>(get("application/octet-stream"))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(download.bytes().await.unwrap(), vec![7u8; 100_000]);
        let received: Vec<Event<Thing>> = client
            .send_events::<Thing, Problem>(get("text/event-stream"), Some("[DONE]"))
            .await
            .unwrap()
            .into_inner()
            .map(Result::unwrap)
            .collect()
            .await;
        assert_eq!(received, events);
    }

    #[tokio::test]
    async fn text_event_data_is_written_as_it_is() {
        use futures_util::StreamExt;
        let server = MockServer::start().await;
        let events = [
            Event::new("two\nlines".to_owned()),
            Event::new("[DONE]".to_owned()),
            Event::new("after".to_owned()),
        ];
        server
            .expect::<EventStream<String>, Problem>(get("text/event-stream"))
            .respond_events(200, &events)
            .await;
        let received: Vec<String> = server
            .client()
            .send_text_events::<Problem>(get("text/event-stream"), Some("[DONE]"))
            .await
            .unwrap()
            .into_inner()
            .map(|event| event.unwrap().data)
            .collect()
            .await;
        assert_eq!(received, ["two\nlines"]);
    }

    /// A client of `server` that retries at once.
    fn client(server: &wiremock::MockServer) -> Client {
        ClientBuilder::new(server.uri())
            .retry(RetryPolicy::default().initial_delay(std::time::Duration::from_millis(1)))
            .build()
            .unwrap()
    }

    fn download() -> Request {
        Request::new(
            "download",
            reqwest::Method::GET,
            "/blob",
            "application/octet-stream",
        )
    }

    #[tokio::test]
    async fn a_streamed_body_comes_after_retries_and_errors_are_decoded_whole() {
        use wiremock::{Mock, ResponseTemplate, matchers::path};
        let server = wiremock::MockServer::start().await;
        Mock::given(path("/blob"))
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&server)
            .await;
        Mock::given(path("/blob"))
            .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![1u8; 70_000]))
            .mount(&server)
            .await;
        let body = client(&server)
            .send_streamed::<serde_json::Value>(download())
            .await
            .unwrap();
        assert_eq!(body.status(), 200);
        assert_eq!(body.into_inner().bytes().await.unwrap().len(), 70_000);
        assert_eq!(server.received_requests().await.unwrap().len(), 2);

        server.reset().await;
        Mock::given(path("/blob"))
            .respond_with(
                ResponseTemplate::new(404).set_body_json(serde_json::json!({"code": "NO"})),
            )
            .mount(&server)
            .await;
        let error = client(&server)
            .send_streamed::<serde_json::Value>(download())
            .await
            .unwrap_err();
        assert_eq!(error.api_error(), Some(&serde_json::json!({"code": "NO"})));
    }

    #[tokio::test]
    async fn an_enveloped_stream_is_read_to_be_unwrapped() {
        use wiremock::{Mock, ResponseTemplate, matchers::path};
        let server = wiremock::MockServer::start().await;
        Mock::given(path("/blob"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(serde_json::json!({"status": 200, "content": "abc"})),
            )
            .mount(&server)
            .await;
        let mut request = download();
        request.expect_envelope();
        let body = client(&server)
            .send_streamed::<serde_json::Value>(request)
            .await
            .unwrap()
            .into_inner();
        assert_eq!(body.content_length(), Some(5));
        assert_eq!(&body.bytes().await.unwrap()[..], b"\"abc\"");
    }

    #[tokio::test]
    #[should_panic(expected = "Verifications failed")]
    async fn an_unmet_count_fails_when_the_server_drops() {
        let server = MockServer::start().await;
        server
            .expect::<Thing, Problem>(get_thing("x"))
            .times(1)
            .respond_empty(204)
            .await;
    }
}
