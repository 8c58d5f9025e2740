//! `stream()` of the `paging_page_number` fixture (pages by `pageNum` and
//! `itemsPerPage`, as its config file declares) against wiremock: the
//! requests each page sends, the items, and where the stream stops.

use fixture_paging_page_number::{Client, Error};
use futures_util::{StreamExt, TryStreamExt};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Things `t0`, `t1`, … of a list of `total`, a page of `itemsPerPage`
/// (2 unless asked) per `pageNum`.
fn things(total: usize) -> impl Fn(&Request) -> ResponseTemplate {
    move |request: &Request| {
        let number = |name: &str| {
            let (_, value) = request.url.query_pairs().find(|(key, _)| key == name)?;
            value.parse::<usize>().ok()
        };
        let (page, size) = (number("pageNum").unwrap_or(1), number("itemsPerPage").unwrap_or(2));
        let results: Vec<String> = ((page - 1) * size..(page * size).min(total))
            .map(|index| format!("t{index}"))
            .collect();
        ResponseTemplate::new(200)
            .set_body_json(serde_json::json!({"results": results, "totalCount": total}))
    }
}

/// Each request the server received, as path and query.
async fn sent(server: &MockServer) -> Vec<String> {
    let requests = server.received_requests().await.unwrap_or_default();
    requests
        .iter()
        .map(|request| format!("{}?{}", request.url.path(), request.url.query().unwrap_or("")))
        .collect()
}

async fn serving(total: usize) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things"))
        .respond_with(things(total))
        .mount(&server)
        .await;
    let client = Client::builder(server.uri()).build().unwrap();
    (server, client)
}

#[tokio::test]
async fn pages_are_numbered_until_the_total_is_reached() {
    let (server, client) = serving(6).await;
    let all: Vec<String> = client.list_things().items_per_page(2).stream().try_collect().await.unwrap();
    assert_eq!(all, ["t0", "t1", "t2", "t3", "t4", "t5"]);
    // Three full pages make the total: no fourth request.
    assert_eq!(
        sent(&server).await,
        [
            "/things?pageNum=1&itemsPerPage=2",
            "/things?pageNum=2&itemsPerPage=2",
            "/things?pageNum=3&itemsPerPage=2",
        ]
    );
}

#[tokio::test]
async fn a_short_page_ends_the_stream_and_the_default_size_counts() {
    let (server, client) = serving(5).await;
    let all: Vec<String> = client.list_things().page_num(2).stream().try_collect().await.unwrap();
    assert_eq!(all, ["t2", "t3", "t4"]);
    assert_eq!(sent(&server).await, ["/things?pageNum=2", "/things?pageNum=3"]);
}

#[tokio::test]
async fn every_page_is_validated_and_retried() {
    let (server, client) = serving(100).await;
    Mock::given(query_param("pageNum", "2"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    let results: Vec<_> = client.list_things().items_per_page(2).stream().collect().await;
    let items: Vec<&String> = results.iter().filter_map(|item| item.as_ref().ok()).collect();
    assert_eq!(items, ["t0", "t1", "t2", "t3", "t4", "t5"]);
    // The fourth page breaks `maximum: 3`: refused before it is sent.
    match results.last() {
        Some(Err(Error::InvalidInput { field, .. })) => assert_eq!(field, "pageNum"),
        other => panic!("expected the fourth page refused, got {other:?}"),
    }
    assert_eq!(
        sent(&server).await,
        [
            "/things?pageNum=1&itemsPerPage=2",
            "/things?pageNum=2&itemsPerPage=2",
            "/things?pageNum=2&itemsPerPage=2",
            "/things?pageNum=3&itemsPerPage=2",
        ]
    );
}
