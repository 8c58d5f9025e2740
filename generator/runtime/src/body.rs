//! [`Body`]: a request body sent as it is (bytes, text, or a stream), for
//! media types the client does not write from a schema (`application/octet-stream`,
//! images, `text/plain`, …) and for the files of a multipart body.

use std::pin::Pin;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures_util::{Stream, TryStreamExt};

use super::error::InvalidInput;

/// A boxed error of a body stream.
type StreamError = Box<dyn std::error::Error + Send + Sync>;

/// The chunks of a streamed body, taken by the one attempt that sends them.
type Chunks = Pin<Box<dyn Stream<Item = Result<Bytes, StreamError>> + Send>>;

/// A request body sent as it is.
///
/// Built from bytes or text ([`Bytes`], `Vec<u8>`, `String`, `&'static str`,
/// `&'static [u8]`), it is held in memory and may be sent again when a
/// request is retried. Built with [`Body::from_stream`], it is read as it is
/// sent, chunk by chunk, so a large upload is never held whole; such a body
/// can be sent once, so its request is never retried.
///
/// Cloning is cheap: clones of a streamed body share its one stream.
#[derive(Clone)]
pub struct Body {
    content: Content,
}

#[derive(Clone)]
enum Content {
    Buffered(Bytes),
    /// `None` once an attempt has taken the stream.
    Streamed(Arc<Mutex<Option<Chunks>>>),
}

impl Body {
    /// A body read from `stream` while it is sent, never held whole.
    pub fn from_stream<S, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<StreamError> + 'static,
    {
        let chunks: Chunks = Box::pin(stream.map_err(Into::into));
        Self {
            content: Content::Streamed(Arc::new(Mutex::new(Some(chunks)))),
        }
    }

    /// The bytes of a body held in memory; `None` for a stream.
    pub fn as_bytes(&self) -> Option<&Bytes> {
        match &self.content {
            Content::Buffered(bytes) => Some(bytes),
            Content::Streamed(_) => None,
        }
    }

    /// Whether the body is read from a stream, and so can be sent only once.
    pub fn is_streamed(&self) -> bool {
        matches!(self.content, Content::Streamed(_))
    }

    /// The body for one attempt: the bytes again, or the stream, which only
    /// the first attempt gets.
    pub(super) fn to_reqwest(&self) -> Result<reqwest::Body, InvalidInput> {
        match &self.content {
            Content::Buffered(bytes) => Ok(reqwest::Body::from(bytes.clone())),
            Content::Streamed(stream) => {
                let taken = stream.lock().map(|mut stream| stream.take());
                match taken {
                    Ok(Some(chunks)) => Ok(reqwest::Body::wrap_stream(chunks)),
                    _ => Err(InvalidInput::new(
                        "body",
                        "is a stream that was already sent; a streamed body can be sent once",
                    )),
                }
            }
        }
    }
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.content {
            Content::Buffered(bytes) => write!(f, "Body({} bytes)", bytes.len()),
            Content::Streamed(_) => f.write_str("Body(stream)"),
        }
    }
}

/// Buffered bodies are equal when their bytes are; a streamed body equals
/// only its own clones.
impl PartialEq for Body {
    fn eq(&self, other: &Self) -> bool {
        match (&self.content, &other.content) {
            (Content::Buffered(a), Content::Buffered(b)) => a == b,
            (Content::Streamed(a), Content::Streamed(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl From<Bytes> for Body {
    fn from(bytes: Bytes) -> Self {
        Self {
            content: Content::Buffered(bytes),
        }
    }
}

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Self {
        Bytes::from(bytes).into()
    }
}

impl From<String> for Body {
    fn from(text: String) -> Self {
        Bytes::from(text).into()
    }
}

impl From<&'static str> for Body {
    fn from(text: &'static str) -> Self {
        Bytes::from_static(text.as_bytes()).into()
    }
}

impl From<&'static [u8]> for Body {
    fn from(bytes: &'static [u8]) -> Self {
        Bytes::from_static(bytes).into()
    }
}

impl From<&Bytes> for Body {
    fn from(bytes: &Bytes) -> Self {
        bytes.clone().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffered_bodies_can_be_sent_again() {
        let body = Body::from("a,b\n");
        assert!(!body.is_streamed());
        assert_eq!(body.as_bytes().unwrap(), &Bytes::from_static(b"a,b\n"));
        assert!(body.to_reqwest().is_ok());
        assert!(body.to_reqwest().is_ok());
        assert_eq!(
            Body::from(vec![1, 2]),
            Body::from(Bytes::from_static(&[1, 2]))
        );
    }

    #[test]
    fn a_streamed_body_is_sent_once_even_through_clones() {
        let chunks = futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from("x"))]);
        let body = Body::from_stream(chunks);
        let clone = body.clone();
        assert!(body.is_streamed() && body.as_bytes().is_none());
        assert_eq!(body, clone);
        assert!(body.to_reqwest().is_ok());
        let again = clone.to_reqwest().unwrap_err();
        assert_eq!(again.field, "body");
    }

    /// Requests sent of `body` to a server that always answers 503, with
    /// retries allowed.
    async fn attempts_with(body: Body) -> usize {
        use super::super::{client::ClientBuilder, request::Request, retry::RetryPolicy};
        let server = wiremock::MockServer::start().await;
        wiremock::Mock::given(wiremock::matchers::any())
            .respond_with(wiremock::ResponseTemplate::new(503))
            .mount(&server)
            .await;
        let client = ClientBuilder::new(server.uri())
            .retry(
                RetryPolicy::default()
                    .max_attempts(3)
                    .initial_delay(std::time::Duration::from_millis(1)),
            )
            .build()
            .unwrap();
        let mut request = Request::new("put", reqwest::Method::PUT, "/file", "*/*");
        request.raw_body("application/octet-stream", body);
        let answer = client.send_empty::<serde_json::Value>(request).await;
        assert_eq!(answer.unwrap_err().status().map(|s| s.as_u16()), Some(503));
        server.received_requests().await.unwrap().len()
    }

    #[tokio::test]
    async fn buffered_bodies_are_retried_and_streamed_ones_sent_once() {
        assert_eq!(attempts_with(Body::from("abc")).await, 3);
        let chunks = futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from("abc"))]);
        assert_eq!(attempts_with(Body::from_stream(chunks)).await, 1);
    }
}
