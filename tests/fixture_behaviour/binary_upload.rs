//! Bodies sent as they are in the `binary_upload` fixture's generated
//! crate: bytes and text of each kind, and a 100 MiB stream that is never
//! held in memory, counted on both sides of a loopback connection.
//! Compiled and run by `tests/tests/generator/fixtures_build.rs`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use fixture_binary_upload::mock::MockServer;
use fixture_binary_upload::runtime::Body;
use fixture_binary_upload::types::PutBlobResponse;
use fixture_binary_upload::{Client, ClientBuilder};
use futures_util::StreamExt;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

#[tokio::test]
async fn bytes_and_text_of_every_kind_are_sent_as_they_are() {
    let server = MockServer::start().await;
    server
        .put_blob("b")
        .respond(201, &PutBlobResponse::default())
        .await;
    server.add_note().respond_empty(204).await;
    server.send_report().respond_empty(204).await;
    let client = server.client();

    client.put_blob("b", Bytes::from_static(b"\x00bytes")).await.unwrap();
    client.put_blob("b", vec![0u8, 1, 2]).await.unwrap();
    client.put_blob("b", String::from("owned text")).await.unwrap();
    client.put_blob("b", "static text").await.unwrap();
    client.put_blob("b", &b"static bytes"[..]).await.unwrap();
    client.add_note().body("a note").await.unwrap();
    client.add_note().await.unwrap();
    client.send_report("<report/>").await.unwrap();

    let received = server.received_requests().await;
    let sent: Vec<(Option<&str>, &[u8])> = received
        .iter()
        .map(|request| {
            let content_type = request
                .headers
                .get("content-type")
                .map(|value| value.to_str().unwrap());
            (content_type, &request.body[..])
        })
        .collect();
    let octets = Some("application/octet-stream");
    assert_eq!(
        sent,
        [
            (octets, &b"\x00bytes"[..]),
            (octets, &[0, 1, 2][..]),
            (octets, &b"owned text"[..]),
            (octets, &b"static text"[..]),
            (octets, &b"static bytes"[..]),
            (Some("text/plain"), &b"a note"[..]),
            (None, &b""[..]),
            (Some("application/xml"), &b"<report/>"[..]),
        ]
    );
}

const MIB: usize = 1024 * 1024;
const UPLOAD_CHUNKS: usize = 100;
/// At most this many chunks may exist at once: the producer's, hyper's
/// and the socket's share of the upload, never the whole of it.
const MOST_CHUNKS_ALIVE: usize = 4;

/// A chunk of the upload that counts how many chunks are alive.
struct Chunk {
    data: Vec<u8>,
    alive: Arc<AtomicUsize>,
}

impl AsRef<[u8]> for Chunk {
    fn as_ref(&self) -> &[u8] {
        &self.data
    }
}

impl Drop for Chunk {
    fn drop(&mut self) {
        self.alive.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Answers one `PUT` with the number of body bytes it read, decoding the
/// chunked transfer coding as it goes, without keeping the bytes.
async fn count_one_upload(listener: tokio::net::TcpListener) -> usize {
    let (socket, _) = listener.accept().await.unwrap();
    let mut reader = BufReader::new(socket);
    let mut line = String::new();
    let mut chunked = false;
    loop {
        line.clear();
        reader.read_line(&mut line).await.unwrap();
        if line == "\r\n" {
            break;
        }
        chunked |= line.eq_ignore_ascii_case("transfer-encoding: chunked\r\n");
    }
    assert!(chunked, "a stream of unknown length is sent chunked");
    let mut received = 0;
    let mut scratch = vec![0u8; 64 * 1024];
    loop {
        line.clear();
        reader.read_line(&mut line).await.unwrap();
        let size = usize::from_str_radix(line.trim_end().split(';').next().unwrap(), 16).unwrap();
        if size == 0 {
            reader.read_line(&mut line).await.unwrap();
            break;
        }
        let mut left = size;
        while left > 0 {
            let take = left.min(scratch.len());
            reader.read_exact(&mut scratch[..take]).await.unwrap();
            left -= take;
        }
        received += size;
        reader.read_line(&mut line).await.unwrap();
    }
    let answer = format!("{{\"size\":{received}}}");
    let response = format!(
        "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
        answer.len()
    );
    reader.get_mut().write_all(response.as_bytes()).await.unwrap();
    received
}

#[tokio::test]
async fn a_streamed_upload_is_never_held_whole() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(count_one_upload(listener));
    let alive = Arc::new(AtomicUsize::new(0));
    let most_alive = Arc::new(AtomicUsize::new(0));
    let produced = Arc::new(AtomicUsize::new(0));
    let chunks = {
        let (alive, most_alive, produced) = (alive.clone(), most_alive.clone(), produced.clone());
        // Each chunk is made only when the sender asks for it.
        futures_util::stream::iter(0..UPLOAD_CHUNKS).map(move |_| {
            let now = alive.fetch_add(1, Ordering::SeqCst) + 1;
            most_alive.fetch_max(now, Ordering::SeqCst);
            produced.fetch_add(1, Ordering::SeqCst);
            let chunk = Chunk {
                data: vec![7; MIB],
                alive: alive.clone(),
            };
            Ok::<_, std::io::Error>(Bytes::from_owner(chunk))
        })
    };
    let client: Client = ClientBuilder::new(format!("http://{address}"))
        .build()
        .unwrap();

    let stored = client
        .put_blob("big", Body::from_stream(chunks))
        .await
        .unwrap();

    let received = server.await.unwrap();
    assert_eq!(received, UPLOAD_CHUNKS * MIB);
    assert_eq!(stored.body().size, Some((UPLOAD_CHUNKS * MIB) as i64));
    assert_eq!(produced.load(Ordering::SeqCst), UPLOAD_CHUNKS);
    assert_eq!(alive.load(Ordering::SeqCst), 0);
    let most_alive = most_alive.load(Ordering::SeqCst);
    println!("at most {most_alive} of {UPLOAD_CHUNKS} chunks of 1 MiB alive at once");
    assert!(
        most_alive <= MOST_CHUNKS_ALIVE,
        "{most_alive} chunks alive at once"
    );
}
