//! Text, binary and undecodable answers of the `text_and_binary` fixture's
//! generated crate: text decoded from UTF-8 (or refused, bytes kept), a
//! download taken whole or streamed (100 MiB from a loopback server that
//! writes it as it is read, never held whole), a download that outlasts the
//! client's timeout without ever waiting that long for bytes, XML as bytes. Compiled and
//! run by `tests/tests/generator/fixtures_build.rs`.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use fixture_text_and_binary::mock::MockServer;
use fixture_text_and_binary::types::Problem;
use fixture_text_and_binary::{BodyError, Client, Error};
use futures_util::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn text_answers_are_strings() {
    let server = MockServer::start().await;
    server.get_health().respond_text(200, "ok ✓").await;
    server
        .get_report("r1")
        .respond_text(200, "id,amount\n1,10\n")
        .await;
    let client = server.client();

    let health = client.get_health().await.unwrap();
    assert_eq!(health.body(), "ok ✓");
    let report = client.get_report("r1").await.unwrap();
    assert_eq!(report.into_inner(), "id,amount\n1,10\n");
    let sent = server.received_requests().await;
    assert_eq!(sent[1].headers["accept"], "text/csv; charset=utf-8");
}

#[tokio::test]
async fn text_that_is_not_utf8_is_an_error_that_keeps_the_bytes() {
    let server = MockServer::start().await;
    server
        .get_report("bad")
        .respond_raw(200, &b"id\n\xff\xfe"[..])
        .await;

    let error = server.client().get_report("bad").await.unwrap_err();

    let Error::Body(BodyError::NotUtf8 { valid_up_to, raw }) = error else {
        panic!("expected a UTF-8 error, got {error:?}");
    };
    assert_eq!(valid_up_to, 3);
    assert_eq!(&raw[..], b"id\n\xff\xfe");
}

#[tokio::test]
async fn downloads_are_taken_whole_or_by_chunks_and_errors_stay_decoded() {
    let server = MockServer::start().await;
    let png: Vec<u8> = (0..=255u8).cycle().take(300_000).collect();
    server.get_image("cat").respond_bytes(200, png.clone()).await;
    server
        .get_image("none")
        .fail(404, &Problem::new("NO_IMAGE"))
        .await;
    let client = server.client();

    let whole = client.get_image("cat").await.unwrap();
    assert_eq!(whole.headers()["content-type"], "image/png");
    assert_eq!(whole.content_length(), Some(300_000));
    assert_eq!(whole.into_inner().bytes().await.unwrap(), png);

    let mut chunks = client.get_image("cat").await.unwrap().into_inner();
    let mut received = Vec::new();
    while let Some(chunk) = chunks.next().await {
        received.extend_from_slice(&chunk.unwrap());
    }
    assert_eq!(received, png);

    let missing = client.get_image("none").await.unwrap_err();
    assert_eq!(missing.api_error().map(|problem| problem.code.as_str()), Some("NO_IMAGE"));
}

#[tokio::test]
async fn xml_answers_are_bytes() {
    let server = MockServer::start().await;
    server.get_feed().respond_raw(200, "<feed/>").await;

    let feed = server.client().get_feed().await.unwrap();

    assert_eq!(&feed.body()[..], b"<feed/>");
}

const MIB: u64 = 1024 * 1024;
/// The chunk size the loopback server writes.
const WRITE: usize = 64 * 1024;

/// Accepts one request on `listener`, reads its head, and answers with the
/// head of a chunked binary body, whose chunks the caller writes.
async fn answer_chunked(listener: tokio::net::TcpListener) -> tokio::net::TcpStream {
    let (mut socket, _) = listener.accept().await.unwrap();
    let mut request = [0u8; 4096];
    let mut read = 0;
    while !request[..read].windows(4).any(|window| window == b"\r\n\r\n") {
        read += socket.read(&mut request[read..]).await.unwrap();
    }
    let head = "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ntransfer-encoding: chunked\r\n\r\n";
    socket.write_all(head.as_bytes()).await.unwrap();
    socket
}

/// Serves one request on `listener` with `size` bytes (byte `i` is `i %
/// 251`), chunked, each chunk made only when the socket takes it, and
/// counts the bytes made in `produced`.
async fn serve_lazily(listener: tokio::net::TcpListener, size: u64, produced: Arc<AtomicU64>) {
    let mut socket = answer_chunked(listener).await;
    let mut chunk = vec![0u8; WRITE];
    let mut offset = 0u64;
    while offset < size {
        let len = (size - offset).min(WRITE as u64) as usize;
        for (index, byte) in chunk[..len].iter_mut().enumerate() {
            *byte = ((offset + index as u64) % 251) as u8;
        }
        socket
            .write_all(format!("{len:x}\r\n").as_bytes())
            .await
            .unwrap();
        socket.write_all(&chunk[..len]).await.unwrap();
        socket.write_all(b"\r\n").await.unwrap();
        offset += len as u64;
        produced.store(offset, Ordering::SeqCst);
    }
    socket.write_all(b"0\r\n\r\n").await.unwrap();
    socket.flush().await.unwrap();
}

#[tokio::test]
async fn a_100_mib_download_is_read_as_it_arrives_never_whole() {
    const SIZE: u64 = 100 * MIB;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let produced = Arc::new(AtomicU64::new(0));
    let server = tokio::spawn(serve_lazily(listener, SIZE, produced.clone()));
    let client = Client::builder(base_url).build().unwrap();

    let mut body = client
        .download_archive(i64::try_from(SIZE).unwrap())
        .await
        .unwrap()
        .into_inner();
    let (mut consumed, mut chunks, mut largest, mut furthest_ahead) = (0u64, 0u64, 0usize, 0u64);
    while let Some(chunk) = body.next().await {
        let chunk = chunk.unwrap();
        // Only the chunk in hand is held: check it and let it go.
        for (index, byte) in chunk.iter().enumerate() {
            assert_eq!(u64::from(*byte), (consumed + index as u64) % 251);
        }
        consumed += chunk.len() as u64;
        chunks += 1;
        largest = largest.max(chunk.len());
        // What the server has made but the client not yet handed over is
        // what sits in socket and client buffers.
        furthest_ahead =
            furthest_ahead.max(produced.load(Ordering::SeqCst).saturating_sub(consumed));
    }
    server.await.unwrap();

    assert_eq!(consumed, SIZE);
    assert!(chunks >= 100, "{chunks} chunks");
    assert!(largest <= 1024 * 1024, "a chunk of {largest} bytes");
    // Never the whole body, nor anything near it, ahead of the reader.
    assert!(furthest_ahead < 32 * MIB, "{furthest_ahead} bytes were ahead of the reader");
}

/// Serves one request on `listener` with `chunks` chunks of `b"x"`, each
/// after `pause`.
async fn serve_slowly(
    listener: tokio::net::TcpListener,
    chunks: usize,
    pause: std::time::Duration,
) {
    let mut socket = answer_chunked(listener).await;
    for _ in 0..chunks {
        tokio::time::sleep(pause).await;
        // The client may have given up already: a failed write ends here.
        if socket.write_all(b"1\r\nx\r\n").await.is_err() {
            return;
        }
    }
    let _ = socket.write_all(b"0\r\n\r\n").await;
}

/// A download that trickles in, `chunks` chunks `pause` apart, through a
/// client whose timeout is `timeout`: the bytes read, or the error.
async fn trickle(
    chunks: usize,
    pause: std::time::Duration,
    timeout: std::time::Duration,
) -> Result<usize, BodyError> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(serve_slowly(listener, chunks, pause));
    let client = Client::builder(base_url)
        .timeout(Some(timeout))
        .build()
        .unwrap();
    let body = client.download_archive(1).await.unwrap().into_inner();
    let read = body.bytes().await.map(|bytes| bytes.len());
    server.abort();
    read
}

#[tokio::test]
async fn a_stream_may_outlast_the_timeout_but_not_stall_for_longer_than_it() {
    use std::time::Duration;
    // Eight chunks 100 ms apart take 800 ms, more than the 400 ms timeout,
    // and each arrives within it.
    assert_eq!(
        trickle(8, Duration::from_millis(100), Duration::from_millis(400))
            .await
            .unwrap(),
        8
    );
    // A chunk that takes longer than the timeout to come fails the stream.
    let stalled = trickle(2, Duration::from_millis(800), Duration::from_millis(200))
        .await
        .unwrap_err();
    assert!(
        matches!(&stalled, BodyError::Transport(error) if error.is_timeout()),
        "{stalled:?}"
    );
}
