//! `stream()` of the `paging_cursor` fixture (cursors in `meta.next_cursor`
//! and in `next_page_token`, as its config file declares) against wiremock:
//! the requests each page sends, the items, and where the stream stops.

use fixture_paging_cursor::Client;
use futures_util::TryStreamExt;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn sent(server: &MockServer) -> Vec<String> {
    let requests = server.received_requests().await.unwrap_or_default();
    requests
        .iter()
        .map(|request| format!("{}?{}", request.url.path(), request.url.query().unwrap_or("")))
        .collect()
}

/// The value of the query parameter `name`, if sent.
fn query(request: &Request, name: &str) -> Option<String> {
    let (_, value) = request.url.query_pairs().find(|(key, _)| key == name)?;
    Some(value.into_owned())
}

/// Messages in three pages: no cursor, `c2`, `c3`; the last has a null cursor.
fn messages(request: &Request) -> ResponseTemplate {
    let (data, next) = match query(request, "cursor").as_deref() {
        None => (vec!["a", "b"], Some("c2")),
        Some("c2") => (vec!["c", "d"], Some("c3")),
        Some("c3") => (vec!["e"], None),
        Some(other) => panic!("no page for cursor {other}"),
    };
    ResponseTemplate::new(200)
        .set_body_json(serde_json::json!({"data": data, "meta": {"next_cursor": next}}))
}

/// Files in three pages: no token, `p2`, `p3`; the last has an empty token.
fn files(request: &Request) -> ResponseTemplate {
    let (files, next) = match query(request, "page_token").as_deref() {
        None => (vec!["f1"], "p2"),
        Some("p2") => (vec!["f2"], "p3"),
        Some("p3") => (vec!["f3"], ""),
        Some(other) => panic!("no page for token {other}"),
    };
    ResponseTemplate::new(200)
        .set_body_json(serde_json::json!({"files": files, "next_page_token": next}))
}

async fn server() -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/messages"))
        .respond_with(messages)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/files"))
        .respond_with(files)
        .mount(&server)
        .await;
    let client = Client::builder(server.uri()).build().unwrap();
    (server, client)
}

#[tokio::test]
async fn a_nested_cursor_is_sent_back_until_it_is_null() {
    let (server, client) = server().await;
    let all: Vec<String> = client.list_messages().limit(2).stream().try_collect().await.unwrap();
    assert_eq!(all, ["a", "b", "c", "d", "e"]);
    assert_eq!(
        sent(&server).await,
        [
            "/messages?limit=2",
            "/messages?limit=2&cursor=c2",
            "/messages?limit=2&cursor=c3",
        ]
    );
}

#[tokio::test]
async fn the_builders_cursor_starts_the_stream_and_is_then_replaced() {
    let (server, client) = server().await;
    let all: Vec<String> = client.list_messages().cursor("c2").stream().try_collect().await.unwrap();
    assert_eq!(all, ["c", "d", "e"]);
    assert_eq!(sent(&server).await, ["/messages?cursor=c2", "/messages?cursor=c3"]);
}

#[tokio::test]
async fn a_top_level_token_is_sent_back_until_it_is_empty() {
    let (server, client) = server().await;
    let all: Vec<String> = client.list_files().stream().try_collect().await.unwrap();
    assert_eq!(all, ["f1", "f2", "f3"]);
    assert_eq!(
        sent(&server).await,
        ["/files?", "/files?page_token=p2", "/files?page_token=p3"]
    );
}

#[tokio::test]
async fn a_failed_page_is_retried() {
    let (server, client) = server().await;
    Mock::given(query_param("cursor", "c3"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    let all: Vec<String> = client.list_messages().stream().try_collect().await.unwrap();
    assert_eq!(all, ["a", "b", "c", "d", "e"]);
    assert_eq!(
        sent(&server).await,
        ["/messages?", "/messages?cursor=c2", "/messages?cursor=c3", "/messages?cursor=c3"]
    );
}
