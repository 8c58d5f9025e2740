//! `stream()` of the `paging_offset` fixture (pages by `offset` and
//! `limit`, as its config file declares) against wiremock: the requests
//! each page sends, the items, and where the stream stops.

use fixture_paging_offset::Client;
use fixture_paging_offset::types::Event;
use futures_util::TryStreamExt;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Events 0, 1, … of a list of `count`, from `offset`, `limit` (3 unless
/// asked) at a time, with the total when `with_total`.
fn events(count: u64, with_total: bool) -> impl Fn(&Request) -> ResponseTemplate {
    move |request: &Request| {
        let number = |name: &str| {
            let (_, value) = request.url.query_pairs().find(|(key, _)| key == name)?;
            value.parse::<u64>().ok()
        };
        let (offset, limit) = (number("offset").unwrap_or(0), number("limit").unwrap_or(3));
        let items: Vec<_> = (offset..(offset + limit).min(count))
            .map(|id| serde_json::json!({"id": id}))
            .collect();
        let mut page = serde_json::json!({"items": items});
        if with_total {
            page["total"] = count.into();
        }
        ResponseTemplate::new(200).set_body_json(page)
    }
}

async fn sent(server: &MockServer) -> Vec<String> {
    let requests = server.received_requests().await.unwrap_or_default();
    requests
        .iter()
        .map(|request| format!("{}?{}", request.url.path(), request.url.query().unwrap_or("")))
        .collect()
}

async fn serving(count: u64, with_total: bool) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/events"))
        .respond_with(events(count, with_total))
        .mount(&server)
        .await;
    let client = Client::builder(server.uri()).build().unwrap();
    (server, client)
}

fn ids(events: &[Event]) -> Vec<i64> {
    events.iter().map(|event| event.id).collect()
}

#[tokio::test]
async fn offsets_advance_by_the_items_until_a_short_page() {
    let (server, client) = serving(5, false).await;
    let all: Vec<Event> = client.list_events().limit(2).stream().try_collect().await.unwrap();
    assert_eq!(ids(&all), [0, 1, 2, 3, 4]);
    assert_eq!(
        sent(&server).await,
        [
            "/events?offset=0&limit=2",
            "/events?offset=2&limit=2",
            "/events?offset=4&limit=2",
        ]
    );
}

#[tokio::test]
async fn the_total_ends_the_stream_without_a_short_page() {
    let (server, client) = serving(7, true).await;
    let all: Vec<Event> = client.list_events().offset(1).limit(2).stream().try_collect().await.unwrap();
    assert_eq!(ids(&all), [1, 2, 3, 4, 5, 6]);
    assert_eq!(
        sent(&server).await,
        [
            "/events?offset=1&limit=2",
            "/events?offset=3&limit=2",
            "/events?offset=5&limit=2",
        ]
    );
}

#[tokio::test]
async fn an_empty_first_page_is_the_end() {
    let (server, client) = serving(0, false).await;
    let all: Vec<Event> = client.list_events().stream().try_collect().await.unwrap();
    assert!(all.is_empty());
    assert_eq!(sent(&server).await, ["/events?offset=0"]);
}
