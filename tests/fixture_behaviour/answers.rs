//! Calls of the `answers` fixture's generated crate whose success is not a
//! plain 2xx, against a loopback server that speaks raw HTTP/1.1: compiled
//! and run by `tests/tests/fixtures_build.rs`.

use fixture_answers::{Client, Error};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A server that reads one request head, answers with `head`, then echoes
/// what the client sends; its base URL, and the request head it read.
async fn server(head: &'static str) -> (String, tokio::task::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut received = Vec::new();
        let mut buffer = [0u8; 1024];
        while !received.ends_with(b"\r\n\r\n") {
            let read = socket.read(&mut buffer).await.unwrap();
            assert!(read > 0, "the client closed before its request ended");
            received.extend_from_slice(&buffer[..read]);
        }
        socket.write_all(head.as_bytes()).await.unwrap();
        let read = socket.read(&mut buffer).await.unwrap_or(0);
        socket.write_all(&buffer[..read]).await.unwrap();
        String::from_utf8(received).unwrap()
    });
    (base, task)
}

#[tokio::test]
async fn a_101_answer_hands_over_the_upgraded_connection() {
    let (base, server) = server(
        "HTTP/1.1 101 Switching Protocols\r\nconnection: upgrade\r\nupgrade: websocket\r\n\r\n",
    )
    .await;
    let client = Client::builder(base).build().unwrap();
    let response = client.socket().await.unwrap();
    assert_eq!(response.status().as_u16(), 101);
    let mut connection = response.into_inner();
    connection.write_all(b"ping").await.unwrap();
    let mut echoed = [0u8; 4];
    connection.read_exact(&mut echoed).await.unwrap();
    assert_eq!(&echoed, b"ping");
    let head = server.await.unwrap().to_ascii_lowercase();
    for header in [
        "connection: upgrade",
        "upgrade: websocket",
        "sec-websocket-version: 13",
        "sec-websocket-key: ",
    ] {
        assert!(head.contains(header), "no `{header}` in {head}");
    }
}

#[tokio::test]
async fn an_answer_that_does_not_switch_is_an_error() {
    let (base, _server) = server("HTTP/1.1 403 Forbidden\r\ncontent-length: 2\r\n\r\nno").await;
    let client = Client::builder(base).build().unwrap();
    let error = client.socket().await.unwrap_err();
    assert!(matches!(error, Error::UnexpectedResponse { .. }), "{error:?}");
    assert_eq!(error.status().map(|status| status.as_u16()), Some(403));
}

#[tokio::test]
async fn no_documented_success_returns_status_and_headers_on_any_2xx() {
    let (base, _server) = server("HTTP/1.1 202 Accepted\r\nx-trace: t-1\r\ncontent-length: 0\r\n\r\n").await;
    let client = Client::builder(base).build().unwrap();
    let response = client.ping().await.unwrap();
    assert_eq!(response.status().as_u16(), 202);
    assert_eq!(response.headers()["x-trace"], "t-1");
}
