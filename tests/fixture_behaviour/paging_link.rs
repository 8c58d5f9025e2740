//! `stream()` of the `paging_link` fixture (the `Link` header's next page,
//! and a next-page URL in the body, as its config file declares) against
//! wiremock: the requests each page sends, with credentials and the
//! config's user agent, the items, and where the stream stops.

use fixture_paging_link::types::Repo;
use fixture_paging_link::{Auth, Client, Error};
use futures_util::{StreamExt, TryStreamExt};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn sent(server: &MockServer) -> Vec<String> {
    let requests = server.received_requests().await.unwrap_or_default();
    for request in &requests {
        let header = |name: &str| request.headers.get(name).and_then(|value| value.to_str().ok());
        assert_eq!(header("authorization"), Some("Bearer token"), "{}", request.url);
        assert_eq!(header("user-agent"), Some("paging-fixture/1.0"), "{}", request.url);
    }
    requests
        .iter()
        .map(|request| format!("{}?{}", request.url.path(), request.url.query().unwrap_or("")))
        .collect()
}

fn query(request: &Request, name: &str) -> Option<String> {
    let (_, value) = request.url.query_pairs().find(|(key, _)| key == name)?;
    Some(value.into_owned())
}

/// Repositories in three pages, each linking to the next at `base` (the
/// last to none); `base` may be another server's.
fn repos(base: String) -> impl Fn(&Request) -> ResponseTemplate {
    move |request: &Request| {
        let page: u32 = query(request, "page").map_or(1, |page| page.parse().unwrap());
        let names = [format!("r{page}a"), format!("r{page}b")];
        let repos: Vec<_> = names.iter().map(|name| serde_json::json!({"name": name})).collect();
        let mut answer = ResponseTemplate::new(200).set_body_json(repos);
        if page < 3 {
            let next = page + 1;
            answer = answer.insert_header(
                "Link",
                format!(r#"<{base}/repos?per_page=2&page={next}>; rel="next", <{base}/repos?per_page=2&page=3>; rel="last""#),
            );
        }
        answer
    }
}

/// Updates in three pages: the first names the second by a relative URL,
/// the second the third by an absolute one, the third none (null).
fn updates(base: String) -> impl Fn(&Request) -> ResponseTemplate {
    move |request: &Request| {
        let (updates, next) = match query(request, "after").as_deref() {
            None => (["u1", "u2"], Some("/updates?after=2".to_owned())),
            Some("2") => (["u3", "u4"], Some(format!("{base}/updates?after=4"))),
            Some(_) => (["u5", "u6"], None),
        };
        ResponseTemplate::new(200)
            .set_body_json(serde_json::json!({"updates": updates, "meta": {"next_page_url": next}}))
    }
}

async fn server(links_to: Option<&str>) -> (MockServer, Client) {
    let server = MockServer::start().await;
    let base = links_to.map_or_else(|| server.uri(), str::to_owned);
    Mock::given(method("GET"))
        .and(path("/repos"))
        .and(header("authorization", "Bearer token"))
        .respond_with(repos(base.clone()))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/updates"))
        .respond_with(updates(base))
        .mount(&server)
        .await;
    let client = Client::builder(server.uri())
        .auth(Auth::new().token("token"))
        .build()
        .unwrap();
    (server, client)
}

#[tokio::test]
async fn the_link_headers_next_url_is_followed_as_given() {
    let (server, client) = server(None).await;
    let all: Vec<Repo> = client.list_repos().per_page(2).stream().try_collect().await.unwrap();
    let names: Vec<&str> = all.iter().map(|repo| repo.name.as_str()).collect();
    assert_eq!(names, ["r1a", "r1b", "r2a", "r2b", "r3a", "r3b"]);
    assert_eq!(
        sent(&server).await,
        ["/repos?per_page=2", "/repos?per_page=2&page=2", "/repos?per_page=2&page=3"]
    );
}

#[tokio::test]
async fn a_next_url_in_the_body_is_followed_relative_or_absolute() {
    let (server, client) = server(None).await;
    let all: Vec<String> = client.list_updates().stream().try_collect().await.unwrap();
    assert_eq!(all, ["u1", "u2", "u3", "u4", "u5", "u6"]);
    assert_eq!(
        sent(&server).await,
        ["/updates?", "/updates?after=2", "/updates?after=4"]
    );
}

#[tokio::test]
async fn a_link_to_another_server_is_refused_not_followed() {
    let (server, client) = server(Some("http://elsewhere.invalid")).await;
    let results: Vec<_> = client.list_repos().stream().collect().await;
    assert_eq!(results.len(), 3, "{results:?}");
    assert!(results[..2].iter().all(Result::is_ok));
    match &results[2] {
        Err(Error::InvalidInput { field, rule }) => {
            assert_eq!(field, "next page URL");
            assert!(rule.contains("elsewhere.invalid"), "{rule}");
        }
        other => panic!("expected the link refused, got {other:?}"),
    }
    assert_eq!(sent(&server).await, ["/repos?"]);
}
