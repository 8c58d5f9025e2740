//! Server-sent events (`text/event-stream`): [`EventStream`], a stream of
//! typed [`Event`]s read as the body arrives.
//!
//! The wire format (fields, comments, multi-line `data`, events and UTF-8
//! characters cut across chunks) is parsed by the `eventsource-stream`
//! crate; this file decodes each event's data, ends the stream at the end
//! of the body or at the data that marks the end (`[DONE]` by convention),
//! and turns what cannot be read into error items rather than panics.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use bytes::Bytes;
use eventsource_stream::{EventStreamError, Eventsource};
use futures_util::stream::{BoxStream, Stream, StreamExt};
use serde::de::DeserializeOwned;

use super::download::BodyError;

/// How many bytes of undecodable data an error keeps for its message.
const SNIPPET_LEN: usize = 256;

/// One server-sent event, its data decoded.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Event<T> {
    /// The event's name: its `event` field, `message` when it has none.
    pub event: String,
    /// The last event ID the server set (this event's `id` field or an
    /// earlier one's), which a reconnecting client sends as
    /// `Last-Event-ID`; `None` before any.
    pub id: Option<String>,
    /// The event's data (its `data` lines joined by newlines), decoded.
    pub data: T,
    /// The reconnection delay the event's `retry` field asks for.
    pub retry: Option<Duration>,
}

impl<T> Event<T> {
    /// A `message` event with `data`, no ID and no retry delay (for tests
    /// and mock answers).
    pub fn new(data: T) -> Self {
        Self {
            event: "message".to_owned(),
            id: None,
            data,
            retry: None,
        }
    }

    /// The same event, named `event`.
    pub fn named(mut self, event: impl Into<String>) -> Self {
        self.event = event.into();
        self
    }

    /// The same event, with the ID `id`.
    pub fn with_id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// The same event, asking for a reconnection delay of `retry`.
    pub fn with_retry(mut self, retry: Duration) -> Self {
        self.retry = Some(retry);
        self
    }
}

/// How an event's data text becomes a `T`.
type Decode<T> = fn(&str) -> Result<T, serde_json::Error>;

/// The events of a `text/event-stream` body, as they arrive.
///
/// Comments and events without data are skipped, as browsers skip them. The
/// stream ends at the end of the body, or without an item at an event whose
/// data is the operation's end marker (`[DONE]` unless the client was
/// generated with another). An event whose data does not decode is an error
/// item and the stream goes on; a body that is not UTF-8, or a connection
/// that fails, is an error item that ends it. It is never retried: the
/// client retries before the success status only. A stream may last
/// longer than the client's timeout, but fails when no bytes arrive for
/// that long (`ClientBuilder::timeout`): a server that can be silent longer
/// sends comments to keep it alive, or the client is built with a longer
/// timeout.
pub struct EventStream<T> {
    parsed: BoxStream<'static, Result<eventsource_stream::Event, EventStreamError<BodyError>>>,
    decode: Decode<T>,
    end: Option<&'static str>,
    finished: bool,
}

impl<T: DeserializeOwned> EventStream<T> {
    /// Events whose data is JSON, decoded as `T`.
    pub(super) fn json<S>(chunks: S, end: Option<&'static str>) -> Self
    where
        S: Stream<Item = Result<Bytes, BodyError>> + Send + 'static,
    {
        Self::new(chunks, end, |data| serde_json::from_str(data))
    }
}

impl EventStream<String> {
    /// Events whose data is text, taken as it is.
    pub(super) fn text<S>(chunks: S, end: Option<&'static str>) -> Self
    where
        S: Stream<Item = Result<Bytes, BodyError>> + Send + 'static,
    {
        Self::new(chunks, end, |data| Ok(data.to_owned()))
    }
}

impl<T> EventStream<T> {
    fn new<S>(chunks: S, end: Option<&'static str>, decode: Decode<T>) -> Self
    where
        S: Stream<Item = Result<Bytes, BodyError>> + Send + 'static,
    {
        Self {
            parsed: Utf8Checked::new(chunks.boxed()).eventsource().boxed(),
            decode,
            end,
            finished: false,
        }
    }

    fn event(&self, event: eventsource_stream::Event) -> Result<Event<T>, BodyError> {
        let data = (self.decode)(&event.data).map_err(|source| BodyError::Decode {
            snippet: snippet(&event.data),
            event: event.event.clone(),
            source,
        })?;
        Ok(Event {
            event: event.event,
            id: (!event.id.is_empty()).then_some(event.id),
            data,
            retry: event.retry,
        })
    }
}

impl<T> Stream for EventStream<T> {
    type Item = Result<Event<T>, BodyError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.finished {
            return Poll::Ready(None);
        }
        let item = match ready!(self.parsed.poll_next_unpin(cx)) {
            None => None,
            Some(Ok(event)) if Some(event.data.as_str()) == self.end => None,
            Some(Ok(event)) => return Poll::Ready(Some(self.event(event))),
            Some(Err(EventStreamError::Transport(error))) => Some(error),
            Some(Err(EventStreamError::Utf8(error))) => Some(BodyError::NotUtf8 {
                valid_up_to: error.utf8_error().valid_up_to(),
                raw: Bytes::from(error.into_bytes()),
            }),
            Some(Err(EventStreamError::Parser(error))) => {
                Some(BodyError::Malformed(error.to_string()))
            }
        };
        // The end, and any failure but an event's data: what follows can
        // no longer be trusted to be framed as the server meant.
        self.finished = true;
        Poll::Ready(item.map(Err))
    }
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("end", &self.end)
            .field("finished", &self.finished)
            .finish_non_exhaustive()
    }
}

fn snippet(data: &str) -> String {
    match data.char_indices().nth(SNIPPET_LEN) {
        Some((end, _)) => format!("{}…", &data[..end]),
        None => data.to_owned(),
    }
}

/// Passes chunks through while they are UTF-8 (a character may be cut
/// between two), and ends with [`BodyError::NotUtf8`] at the first bad
/// sequence, after the text before it. The parser would otherwise hold every byte after one until
/// the body ends, and only then report it.
struct Utf8Checked<S> {
    chunks: S,
    /// The start of a character cut at the end of the last chunk.
    cut: Vec<u8>,
    /// The bad sequence, once the text before it has been passed on.
    failure: Option<BodyError>,
    finished: bool,
}

impl<S> Utf8Checked<S> {
    fn new(chunks: S) -> Self {
        Self {
            chunks,
            cut: Vec::new(),
            failure: None,
            finished: false,
        }
    }

    /// Checks `chunk`, after the cut character before it: the chunk, or
    /// the part of it before a bad sequence (if any) and the failure.
    fn check(&mut self, chunk: Bytes) -> Result<Bytes, (Option<Bytes>, BodyError)> {
        match self.find_bad_sequence(&chunk) {
            Ok(()) => Ok(chunk),
            Err((valid_up_to, failure)) => {
                let valid = chunk.slice(..valid_up_to.saturating_sub(self.cut.len()));
                Err(((!valid.is_empty()).then_some(valid), failure))
            }
        }
    }

    /// Where in the joined text the first bad sequence is, and the failure.
    fn find_bad_sequence(&mut self, chunk: &Bytes) -> Result<(), (usize, BodyError)> {
        let joined;
        let bytes: &[u8] = if self.cut.is_empty() {
            chunk
        } else {
            joined = [self.cut.as_slice(), chunk].concat();
            &joined
        };
        match std::str::from_utf8(bytes) {
            Ok(_) => {
                self.cut.clear();
                Ok(())
            }
            Err(error) if error.error_len().is_none() => {
                self.cut = bytes[error.valid_up_to()..].to_vec();
                Ok(())
            }
            Err(error) => Err((
                error.valid_up_to(),
                BodyError::NotUtf8 {
                    valid_up_to: error.valid_up_to(),
                    raw: Bytes::copy_from_slice(bytes),
                },
            )),
        }
    }
}

impl<S> Stream for Utf8Checked<S>
where
    S: Stream<Item = Result<Bytes, BodyError>> + Unpin,
{
    type Item = Result<Bytes, BodyError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Some(failure) = self.failure.take() {
            self.finished = true;
            return Poll::Ready(Some(Err(failure)));
        }
        if self.finished {
            return Poll::Ready(None);
        }
        let item = match ready!(self.chunks.poll_next_unpin(cx)) {
            Some(Ok(chunk)) => match self.check(chunk) {
                Ok(chunk) => return Poll::Ready(Some(Ok(chunk))),
                Err((Some(valid), failure)) => {
                    self.failure = Some(failure);
                    return Poll::Ready(Some(Ok(valid)));
                }
                Err((None, failure)) => Some(Err(failure)),
            },
            Some(Err(error)) => Some(Err(error)),
            None if self.cut.is_empty() => None,
            None => Some(Err(BodyError::NotUtf8 {
                valid_up_to: 0,
                raw: Bytes::from(std::mem::take(&mut self.cut)),
            })),
        };
        self.finished = true;
        Poll::Ready(item)
    }
}

#[cfg(test)]
mod tests {
    use futures_util::stream;
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Tick {
        n: u32,
    }

    /// The chunks of `body`, each `size` bytes (the last shorter).
    fn chunks(body: &[u8], size: usize) -> BoxStream<'static, Result<Bytes, BodyError>> {
        let chunks: Vec<Result<Bytes, BodyError>> = body
            .chunks(size)
            .map(|chunk| Ok(Bytes::copy_from_slice(chunk)))
            .collect();
        stream::iter(chunks).boxed()
    }

    /// Each item: `Ok((event, id, data, retry))` or the error's text.
    async fn read<T: fmt::Debug>(events: EventStream<T>) -> Vec<Result<String, String>> {
        events
            .map(|item| match item {
                Ok(event) => Ok(format!(
                    "{} {:?} {:?} {:?}",
                    event.event, event.id, event.data, event.retry
                )),
                Err(error) => Err(error.to_string()),
            })
            .collect()
            .await
    }

    const BODY: &str = ": keep-alive\n\
        retry: 1500\n\
        data: {\"n\": 1}\n\n\
        event: tick\nid: 7\ndata: {\"n\":\ndata:  2}\n\n\
        : another comment\n\
        data: {\"n\": \"three\"}\n\n\
        data: {\"n\": 4}\r\n\r\n\
        data: [DONE]\n\n\
        data: {\"n\": 5}\n\n";

    #[tokio::test]
    async fn events_are_parsed_across_any_chunking_and_end_at_done() {
        let expected = [
            Ok("message None Tick { n: 1 } Some(1.5s)".to_owned()),
            Ok("tick Some(\"7\") Tick { n: 2 } None".to_owned()),
            Err("cannot decode a `message` event (invalid type: string \"three\", expected u32 at line 1 column 13): {\"n\": \"three\"}".to_owned()),
            Ok("message Some(\"7\") Tick { n: 4 } None".to_owned()),
        ];
        for size in [1, 2, 3, 7, 64, BODY.len()] {
            let events = EventStream::<Tick>::json(chunks(BODY.as_bytes(), size), Some("[DONE]"));
            assert_eq!(read(events).await, expected, "chunks of {size} bytes");
        }
    }

    #[tokio::test]
    async fn without_an_end_marker_the_body_ends_the_stream() {
        let events = EventStream::text(chunks(BODY.as_bytes(), 5), None);
        let items = read(events).await;
        assert_eq!(items.len(), 6);
        assert_eq!(
            items[4],
            Ok("message Some(\"7\") \"[DONE]\" None".to_owned())
        );
        assert_eq!(
            items[1],
            Ok("tick Some(\"7\") \"{\\\"n\\\":\\n 2}\" None".to_owned())
        );
    }

    #[tokio::test]
    async fn characters_cut_between_chunks_are_whole_and_bad_utf8_ends_the_stream() {
        let text = "data: été ✓\n\ndata: ok\n\n".as_bytes();
        for size in 1..5 {
            let items = read(EventStream::text(chunks(text, size), Some("[DONE]"))).await;
            assert_eq!(
                items,
                [
                    Ok("message None \"été ✓\" None".to_owned()),
                    Ok("message None \"ok\" None".to_owned())
                ]
            );
        }
        let bad = b"data: a\n\ndata: \xff\n\ndata: b\n\n";
        for size in [4, bad.len()] {
            let items = read(EventStream::text(chunks(bad, size), None)).await;
            assert_eq!(items.len(), 2, "{items:?}");
            assert_eq!(items[0], Ok("message None \"a\" None".to_owned()));
            assert!(
                items[1].as_ref().unwrap_err().contains("not UTF-8"),
                "{items:?}"
            );
        }
        let truncated = read(EventStream::text(chunks(b"data: \xc3", 2), None)).await;
        assert!(truncated[0].as_ref().unwrap_err().contains("not UTF-8"));
    }

    #[tokio::test]
    async fn a_failed_connection_ends_the_stream_with_its_error() {
        let failing = stream::iter(vec![
            Ok(Bytes::from_static(b"data: 1\n\n")),
            Err(BodyError::Malformed("cut".to_owned())),
            Ok(Bytes::from_static(b"data: 2\n\n")),
        ]);
        let items = read(EventStream::<u32>::json(failing, None)).await;
        assert_eq!(
            items,
            [
                Ok("message None 1 None".to_owned()),
                Err("the event stream is malformed: cut".to_owned())
            ]
        );
    }
}
