//! Success bodies read as they arrive: [`ByteStream`] (a download, taken
//! whole or chunk by chunk) and [`BodyError`], what can go wrong once the
//! success headers are in.
//!
//! The send loop retries and re-authenticates before a success status
//! arrives; from then on the body is the caller's, unread, and a failure
//! while reading it is a [`BodyError`], never a retry (part of the body
//! has been handed over).

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_util::stream::{self, BoxStream, Stream, StreamExt};

/// A failure while reading a success body that had already begun to arrive.
#[derive(Debug)]
#[non_exhaustive]
pub enum BodyError {
    /// The connection failed, or the client's timeout passed, while the body
    /// was arriving (`is_timeout` on the source tells which).
    Transport(reqwest::Error),
    /// A text body (or event stream) that is not UTF-8.
    NotUtf8 {
        /// Where the first byte that is not UTF-8 is, in `raw`.
        valid_up_to: usize,
        /// The bytes received: the whole body for text, the chunk that
        /// holds the bad sequence for an event stream.
        raw: Bytes,
    },
    /// An event's data is not JSON of the documented shape.
    Decode {
        /// The event's name (`message` unless the server named it).
        event: String,
        /// What did not match.
        source: serde_json::Error,
        /// The start of the data, for the message.
        snippet: String,
    },
    /// An event stream that does not parse as one.
    Malformed(String),
}

impl BodyError {
    pub(super) fn transport(error: reqwest::Error) -> Self {
        Self::Transport(error.without_url())
    }
}

impl fmt::Display for BodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Transport(error) if error.is_timeout() => {
                f.write_str("the response body did not arrive in time")
            }
            Self::Transport(_) => f.write_str("the connection failed while the body was arriving"),
            Self::NotUtf8 { valid_up_to, .. } => write!(
                f,
                "the body is not UTF-8 text (a bad sequence at byte {valid_up_to})"
            ),
            Self::Decode {
                event,
                source,
                snippet,
            } => write!(f, "cannot decode a `{event}` event ({source}): {snippet}"),
            Self::Malformed(reason) => write!(f, "the event stream is malformed: {reason}"),
        }
    }
}

impl std::error::Error for BodyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Transport(source) => Some(source),
            Self::Decode { source, .. } => Some(source),
            Self::NotUtf8 { .. } | Self::Malformed(_) => None,
        }
    }
}

/// A binary success body (a download), unread: take it whole with
/// [`bytes`](Self::bytes), or read it as a [`Stream`] of chunks as they
/// arrive, holding no more than one at a time (`futures_util::StreamExt::next`).
///
/// A download may take longer than the client's timeout as a whole; it
/// fails when no bytes arrive for that long (`ClientBuilder::timeout`).
pub struct ByteStream {
    chunks: BoxStream<'static, Result<Bytes, BodyError>>,
    content_length: Option<u64>,
}

impl ByteStream {
    /// The body of `response`, read only when polled.
    pub(super) fn of_response(response: reqwest::Response) -> Self {
        let content_length = response.content_length();
        let chunks = stream::try_unfold(response, |mut response| async move {
            let chunk = response.chunk().await.map_err(BodyError::transport)?;
            Ok(chunk.map(|chunk| (chunk, response)))
        });
        Self {
            chunks: chunks.boxed(),
            content_length,
        }
    }

    /// A body that was already read whole (after an envelope was unwrapped).
    pub(super) fn of_bytes(bytes: Bytes) -> Self {
        let content_length = Some(bytes.len() as u64);
        Self {
            chunks: stream::iter((!bytes.is_empty()).then_some(Ok(bytes))).boxed(),
            content_length,
        }
    }

    /// The body's size, when the server said it (`Content-Length`).
    pub fn content_length(&self) -> Option<u64> {
        self.content_length
    }

    /// The rest of the body, read whole into memory.
    pub async fn bytes(mut self) -> Result<Bytes, BodyError> {
        let capacity = self
            .content_length
            .and_then(|length| usize::try_from(length).ok())
            .unwrap_or(0);
        let first = match self.chunks.next().await {
            Some(chunk) => chunk?,
            None => return Ok(Bytes::new()),
        };
        let Some(second) = self.chunks.next().await else {
            return Ok(first);
        };
        let mut whole = BytesMut::with_capacity(capacity.max(first.len()));
        whole.extend_from_slice(&first);
        whole.extend_from_slice(&second?);
        while let Some(chunk) = self.chunks.next().await {
            whole.extend_from_slice(&chunk?);
        }
        Ok(whole.freeze())
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, BodyError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.chunks.poll_next_unpin(cx)
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("content_length", &self.content_length)
            .finish_non_exhaustive()
    }
}

/// The text of a whole body: UTF-8, or an error that keeps the bytes.
///
/// Not lossy: a body that is not the text its media type says is as wrong
/// as JSON that does not decode, and replacing bytes would corrupt data
/// (a CSV's values) without a word; the error keeps `raw`, from which
/// `String::from_utf8_lossy` recovers what it can.
pub(super) fn text(body: Bytes) -> Result<String, BodyError> {
    match std::str::from_utf8(&body) {
        Ok(text) => Ok(text.to_owned()),
        Err(error) => Err(BodyError::NotUtf8 {
            valid_up_to: error.valid_up_to(),
            raw: body,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunked(chunks: &[&'static [u8]]) -> ByteStream {
        let chunks: Vec<Result<Bytes, BodyError>> = chunks
            .iter()
            .map(|chunk| Ok(Bytes::from_static(chunk)))
            .collect();
        ByteStream {
            chunks: stream::iter(chunks).boxed(),
            content_length: None,
        }
    }

    #[tokio::test]
    async fn a_stream_is_taken_whole_or_by_chunks() {
        let whole = chunked(&[b"ab", b"", b"cd", b"e"]).bytes().await.unwrap();
        assert_eq!(&whole[..], b"abcde");
        let chunks: Vec<Bytes> = chunked(&[b"ab", b"cd"]).map(Result::unwrap).collect().await;
        assert_eq!(
            chunks,
            [Bytes::from_static(b"ab"), Bytes::from_static(b"cd")]
        );
        assert!(chunked(&[]).bytes().await.unwrap().is_empty());
        let read = ByteStream::of_bytes(Bytes::from_static(b"xyz"));
        assert_eq!(read.content_length(), Some(3));
        assert_eq!(&read.bytes().await.unwrap()[..], b"xyz");
    }

    #[test]
    fn text_is_utf8_or_an_error_that_keeps_the_bytes() {
        assert_eq!(
            text(Bytes::from_static("a,b\n1,é".as_bytes())).unwrap(),
            "a,b\n1,é"
        );
        let Err(BodyError::NotUtf8 { valid_up_to, raw }) =
            text(Bytes::from_static(b"ok\xff\xfe rest"))
        else {
            panic!("invalid UTF-8 must be an error");
        };
        assert_eq!(valid_up_to, 2);
        assert_eq!(&raw[..], b"ok\xff\xfe rest");
    }
}
