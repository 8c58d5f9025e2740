//! Server-sent events in the `event_stream` fixture's generated crate: a
//! loopback server that writes its body a few bytes at a time (cutting
//! fields and UTF-8 characters), with comments, `retry:`, multi-line data,
//! a malformed event and `[DONE]`; text data; bad UTF-8; retries before the
//! first byte; the mock server's events. Compiled and run by
//! `tests/tests/generator/fixtures_build.rs`.

use std::time::Duration;

use fixture_event_stream::mock::MockServer;
use fixture_event_stream::types::Progress;
use fixture_event_stream::{BodyError, Client, Event, RetryPolicy};
use futures_util::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

/// A body with every part of the format, `[DONE]`, and an event after it
/// that no one must see.
const BODY: &str = ": keep-alive\n\
retry: 3000\n\
event: progress\n\
id: 1\n\
data: {\"percent\": 10,\n\
data:  \"stage\": \"café ☕\"}\n\
\n\
data: {\"percent\": \"lots\"}\n\
\n\
: keep-alive\n\
\n\
id: 2\n\
data: {\"percent\": 100}\n\
\n\
data: [DONE]\n\
\n\
data: {\"percent\": 999}\n\
\n";

/// Serves one request on `listener`: `body` as HTTP chunks of 1 to 7
/// bytes, each flushed on its own, and then keeps the connection open, so
/// only `[DONE]` can end the stream.
async fn serve_in_pieces(listener: tokio::net::TcpListener, body: &'static [u8]) {
    let (mut socket, _) = listener.accept().await.unwrap();
    let mut request = [0u8; 4096];
    let mut read = 0;
    while !request[..read].windows(4).any(|window| window == b"\r\n\r\n") {
        read += socket.read(&mut request[read..]).await.unwrap();
    }
    let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n";
    socket.write_all(head.as_bytes()).await.unwrap();
    let mut rest = body;
    let mut size = 0;
    while !rest.is_empty() {
        size = size % 7 + 1;
        let (piece, after) = rest.split_at(size.min(rest.len()));
        let mut chunk = format!("{:x}\r\n", piece.len()).into_bytes();
        chunk.extend_from_slice(piece);
        chunk.extend_from_slice(b"\r\n");
        socket.write_all(&chunk).await.unwrap();
        socket.flush().await.unwrap();
        tokio::task::yield_now().await;
        rest = after;
    }
    // Hold the connection until the client goes away.
    let _ = socket.read(&mut request).await;
}

#[tokio::test]
async fn events_cut_anywhere_are_whole_typed_and_end_at_done() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(serve_in_pieces(listener, BODY.as_bytes()));
    let client = Client::builder(base_url).build().unwrap();

    let events = client.watch_job("j1").await.unwrap().into_inner();
    let items: Vec<_> = tokio::time::timeout(Duration::from_secs(30), events.collect())
        .await
        .expect("the stream ends at [DONE], though the body does not");
    drop(client);
    server.abort();

    assert_eq!(items.len(), 3, "{items:?}");
    let first = items[0].as_ref().unwrap();
    assert_eq!(first.event, "progress");
    assert_eq!(first.id.as_deref(), Some("1"));
    assert_eq!(first.retry, Some(Duration::from_secs(3)));
    assert_eq!(first.data.percent, 10);
    assert_eq!(first.data.stage.as_deref(), Some("café ☕"));
    let Err(BodyError::Decode { event, snippet, .. }) = &items[1] else {
        panic!("a malformed event is an error item: {:?}", items[1]);
    };
    assert_eq!(event, "message");
    assert_eq!(snippet, "{\"percent\": \"lots\"}");
    let last = items[2].as_ref().unwrap();
    assert_eq!((last.event.as_str(), last.id.as_deref()), ("message", Some("2")));
    assert_eq!(last.data.percent, 100);
    assert_eq!(last.retry, None);
}

#[tokio::test]
async fn text_data_is_taken_as_it_is_and_bad_utf8_ends_the_stream() {
    let server = MockServer::start().await;
    server
        .tail_logs()
        .respond_raw(200, &b"data: one\ndata: two\n\ndata: \xff\n\ndata: three\n\n"[..])
        .await;

    let items: Vec<_> = server.client().tail_logs().await.unwrap().into_inner().collect().await;

    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().data, "one\ntwo");
    assert!(matches!(items[1], Err(BodyError::NotUtf8 { .. })), "{items:?}");
}

#[tokio::test]
async fn a_refused_stream_is_retried_before_its_first_byte() {
    let server = wiremock::MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/logs"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/logs"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw("data: hello\n\n", "text/event-stream"),
        )
        .mount(&server)
        .await;
    let client = Client::builder(server.uri())
        .retry(RetryPolicy::default().initial_delay(Duration::from_millis(1)))
        .build()
        .unwrap();

    let events: Vec<_> = client.tail_logs().await.unwrap().into_inner().collect().await;

    assert_eq!(events.len(), 1);
    assert_eq!(events[0].as_ref().unwrap().data, "hello");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn the_mock_server_answers_with_events() {
    let server = MockServer::start().await;
    let mut started = Progress::new(0);
    started.stage = Some("queued".to_owned());
    let events = [
        Event::new(started).with_id("a"),
        Event::new(Progress::new(50)).named("progress").with_id("b"),
    ];
    server.watch_job("j2").respond_events(200, &events).await;

    let received: Vec<Event<Progress>> = server
        .client()
        .watch_job("j2")
        .await
        .unwrap()
        .into_inner()
        .map(Result::unwrap)
        .collect()
        .await;

    assert_eq!(received, events);
}
