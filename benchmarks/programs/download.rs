//! The download benchmark's program, built as an example of a crate
//! generated for it (`benchmarks/src/download.rs`): a loopback server sends
//! `SIZE` bytes (the first argument), the generated client's `download`
//! method hands the body over unread, and the program reads it chunk by
//! chunk, keeping none. It prints one line: bytes, chunks, seconds and the
//! process's peak resident memory (`VmHWM` in `/proc/self/status`).

use std::time::Instant;

use futures_util::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The size of each write of the server.
const WRITE: usize = 64 * 1024;

#[tokio::main]
async fn main() {
    let size: u64 = std::env::args()
        .nth(1)
        .and_then(|size| size.parse().ok())
        .unwrap_or(1 << 30);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let base_url = format!("http://{}", listener.local_addr().expect("a bound address"));
    let server = tokio::spawn(serve(listener, size));
    let client = bench_download::Client::builder(base_url)
        .timeout(None)
        .build()
        .expect("a loopback URL is a base URL");
    let start_kib = peak_kib();
    let started = Instant::now();
    let mut body = client
        .download(i64::try_from(size).expect("the size fits an i64"))
        .await
        .expect("the download starts")
        .into_inner();
    let (mut bytes, mut chunks) = (0u64, 0u64);
    while let Some(chunk) = body.next().await {
        bytes += chunk.expect("the body arrives").len() as u64;
        chunks += 1;
    }
    let seconds = started.elapsed().as_secs_f64();
    server.await.expect("the server ends");
    println!(
        "bytes={bytes} chunks={chunks} seconds={seconds:.3} peak_kib={} start_kib={start_kib}",
        peak_kib()
    );
}

/// Answers one request with `size` bytes, written as the socket takes them.
async fn serve(listener: tokio::net::TcpListener, size: u64) {
    let (mut socket, _) = listener.accept().await.expect("a connection");
    let mut request = [0u8; 4096];
    let mut read = 0;
    while !request[..read].windows(4).any(|window| window == b"\r\n\r\n") {
        read += socket.read(&mut request[read..]).await.expect("a request");
    }
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: {size}\r\n\r\n"
    );
    socket.write_all(head.as_bytes()).await.expect("written");
    let block = vec![0x5a_u8; WRITE];
    let mut sent = 0u64;
    while sent < size {
        let len = (size - sent).min(WRITE as u64) as usize;
        socket.write_all(&block[..len]).await.expect("written");
        sent += len as u64;
    }
    socket.flush().await.expect("flushed");
}

/// The process's peak resident memory so far, in KiB.
fn peak_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
