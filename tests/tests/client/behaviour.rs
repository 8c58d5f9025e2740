//! The generated client's behaviour beyond single calls, against wiremock on
//! loopback: input refused before sending (the server counts requests),
//! secrets kept out of every `Debug` and `Display`, item streams over pages,
//! and rate-limit headers. Tracing has a test binary of its own
//! (`tests/tests/tracing_spans.rs`).

use atlas_ai_model_api_keys::types::{
    AiModelApiKeyCloud, AiModelApiKeyCreateRequest, AiModelApiKeyGeography,
    AiModelApiKeyPreviewCreateRequest,
};
use atlas_ai_model_api_keys::{Auth, Client, Error, RetryPolicy};
use futures_util::TryStreamExt;
use serde_json::{Value, json};
use wiremock::matchers::{any, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const GROUP_ID: &str = "32b6e34b3d91647abb20e7b8";
const KEYS_PATH: &str = "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/aiModelApiKeys";
const PREVIEW: &str = "application/vnd.atlas.preview+json";
const TOKEN: &str = "bearer-token-never-printed";
const KEY_SECRET: &str = "al-key-secret-never-printed";

fn client(server: &MockServer, auth: Auth) -> Client {
    Client::builder()
        .base_url(server.uri())
        .auth(auth)
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

fn key(id: usize) -> Value {
    json!({
        "apiKeyId": format!("key{id:021}"),
        "createdAt": "2026-01-15T16:47:49.855000+00:00",
        "name": format!("key {id}"),
        "status": "ACTIVE"
    })
}

/// A server that answers anything, to count what reaches it.
async fn counting_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw("{}", PREVIEW))
        .mount(&server)
        .await;
    server
}

async fn assert_refused<T: std::fmt::Debug>(
    server: &MockServer,
    result: Result<T, Error<atlas_ai_model_api_keys::types::ApiError>>,
    expected_field: &str,
    expected_rule: &str,
) {
    match result {
        Err(Error::InvalidInput { field, rule }) => {
            assert_eq!(field, expected_field);
            assert!(rule.contains(expected_rule), "{field}: {rule}");
        }
        other => panic!("expected {expected_field} to be refused, got {other:?}"),
    }
    let requests = server.received_requests().await.unwrap();
    assert!(
        requests.is_empty(),
        "a refused call reached the server: {requests:?}"
    );
}

#[tokio::test]
async fn invalid_input_is_refused_before_any_request() {
    let server = counting_server().await;
    let client = client(&server, Auth::new().service_accounts_token(TOKEN));

    let result = client.list_group_ai_model_api_keys("not-24-hex").await;
    assert_refused(&server, result, "groupId", "^([a-f0-9]{24})$").await;

    let result = client
        .list_group_ai_model_api_keys(GROUP_ID)
        .items_per_page(0)
        .await;
    assert_refused(&server, result, "itemsPerPage", "at least 1").await;

    let result = client
        .list_org_ai_model_api_keys(GROUP_ID)
        .items_per_page(501)
        .await;
    assert_refused(&server, result, "itemsPerPage", "at most 500").await;

    let result = client
        .list_group_ai_model_api_keys(GROUP_ID)
        .page_num(0)
        .await;
    assert_refused(&server, result, "pageNum", "at least 1").await;

    let empty = AiModelApiKeyCreateRequest::new(
        AiModelApiKeyCloud::Any,
        AiModelApiKeyGeography::Any,
        String::new(),
    );
    let result = client.create_group_ai_model_api_key(GROUP_ID, &empty).await;
    assert_refused(&server, result, "name", "at least 1 characters").await;

    let long = AiModelApiKeyCreateRequest::new(
        AiModelApiKeyCloud::Any,
        AiModelApiKeyGeography::Any,
        "é".repeat(251),
    );
    let result = client.create_group_ai_model_api_key(GROUP_ID, &long).await;
    assert_refused(&server, result, "name", "at most 250 characters").await;

    // The bounds themselves are allowed.
    let longest = AiModelApiKeyCreateRequest::new(
        AiModelApiKeyCloud::Any,
        AiModelApiKeyGeography::Any,
        "é".repeat(250),
    );
    client
        .create_group_ai_model_api_key(GROUP_ID, &longest)
        .await
        .unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

/// A configured client (each auth scheme), a created key and every error
/// variant, formatted with `{:?}`, `{:#?}` and `{}`.
#[tokio::test]
async fn secrets_never_show_in_debug_or_display() {
    let secrets = [
        TOKEN,
        KEY_SECRET,
        "client-secret-never-printed",
        "private-key-never-printed",
    ];
    let server = MockServer::start().await;
    let created = json!({ "apiKeyId": "k", "name": "n", "secret": KEY_SECRET });
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(&created))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!(
            "/api/atlas/v2/orgs/{GROUP_ID}/aiModelApiKeys/k"
        )))
        .respond_with(ResponseTemplate::new(404).set_body_json(
            json!({ "error": 404, "errorCode": "RESOURCE_NOT_FOUND", "detail": "no key k" }),
        ))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .respond_with(
            ResponseTemplate::new(502).set_body_raw("<html>Bad Gateway</html>", "text/html"),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!(
            "/api/atlas/v2/orgs/{GROUP_ID}/aiModelApiKeys"
        )))
        .respond_with(
            ResponseTemplate::new(200)
                .set_delay(std::time::Duration::from_millis(500))
                .set_body_json(json!({ "results": [] })),
        )
        .mount(&server)
        .await;
    // A success body that does not decode: its snippet must mask the secret.
    let truncated = format!(r#"{{"apiKeyId":"k","secret":"{KEY_SECRET}","name":"#);
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(truncated, PREVIEW))
        .mount(&server)
        .await;

    let mut printed = Vec::new();
    let auths = [
        Auth::new().service_accounts_token(TOKEN),
        Auth::new().service_accounts("client-id", "client-secret-never-printed"),
        Auth::new().digest_auth("public-key", "private-key-never-printed"),
    ];
    for auth in auths {
        printed.push(format!("{auth:?}"));
        printed.push(format!("{:?}", client(&server, auth)));
    }

    let client = client(&server, Auth::new().service_accounts_token(TOKEN));
    let request =
        AiModelApiKeyCreateRequest::new(AiModelApiKeyCloud::Any, AiModelApiKeyGeography::Any, "n");
    let key = client
        .create_group_ai_model_api_key(GROUP_ID, &request)
        .await
        .unwrap();
    printed.push(format!("{key:?}"));
    printed.push(format!("{:#?}", key.into_inner()));

    let decode = client
        .get_group_ai_model_api_key(GROUP_ID, "k")
        .await
        .unwrap_err();
    assert!(matches!(decode, Error::Decode { .. }), "{decode:?}");
    let invalid = client
        .list_group_ai_model_api_keys("bad")
        .await
        .unwrap_err();
    let api = client
        .get_org_ai_model_api_key(GROUP_ID, "k")
        .await
        .unwrap_err();
    assert!(matches!(api, Error::Api { .. }), "{api:?}");
    let unexpected = client
        .delete_group_ai_model_api_key(GROUP_ID, "k")
        .await
        .unwrap_err();
    assert!(
        matches!(unexpected, Error::UnexpectedResponse { .. }),
        "{unexpected:?}"
    );
    let slow = Client::builder()
        .base_url(server.uri())
        .auth(Auth::new().service_accounts_token(TOKEN))
        .retry(RetryPolicy::none())
        .timeout(Some(std::time::Duration::from_millis(50)))
        .build()
        .unwrap();
    let timeout = slow.list_org_ai_model_api_keys(GROUP_ID).await.unwrap_err();
    assert!(matches!(timeout, Error::Timeout(_)), "{timeout:?}");
    // Nothing listens on port 1 of loopback.
    let unreachable = Client::builder()
        .base_url("http://127.0.0.1:1")
        .auth(Auth::new().service_accounts_token(TOKEN))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let transport = unreachable
        .list_group_ai_model_api_keys(GROUP_ID)
        .await
        .unwrap_err();
    // Refused at connect: the request cannot have reached the server.
    assert!(
        matches!(
            transport,
            Error::Transport {
                may_have_reached_server: false,
                ..
            }
        ),
        "{transport:?}"
    );
    let errors = [
        decode,
        invalid,
        api,
        unexpected,
        timeout,
        transport,
        Error::TokenRejected {
            status: 401.try_into().unwrap(),
            raw: "{\"error\":\"invalid_client\"}".into(),
        },
        Error::TokenRateLimited {
            retry_after: Some(std::time::Duration::from_secs(1)),
        },
    ];
    for error in &errors {
        printed.push(format!("{error:?}"));
        printed.push(error.to_string());
    }

    for text in &printed {
        for secret in secrets {
            assert!(!text.contains(secret), "{secret} printed in: {text}");
        }
    }
    assert!(printed.iter().any(|text| text.contains("[REDACTED]")));
}

#[tokio::test]
async fn stream_follows_pages_until_the_total_count() {
    let server = MockServer::start().await;
    for page in 1..=3 {
        let results: Vec<Value> = (0..2)
            .map(|i| key((page - 1) * 2 + i))
            .filter(|_| true)
            .collect();
        let results: Vec<Value> = results
            .into_iter()
            .take(if page == 3 { 1 } else { 2 })
            .collect();
        Mock::given(method("GET"))
            .and(path(KEYS_PATH))
            .and(query_param("pageNum", page.to_string()))
            .and(query_param("itemsPerPage", "2"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({ "results": results, "totalCount": 5 })),
            )
            .expect(1)
            .mount(&server)
            .await;
    }

    let keys: Vec<_> = client(&server, Auth::new().service_accounts_token(TOKEN))
        .list_group_ai_model_api_keys(GROUP_ID)
        .items_per_page(2)
        .stream()
        .try_collect()
        .await
        .unwrap();

    let names: Vec<_> = keys.iter().map(|key| key.name.clone().unwrap()).collect();
    assert_eq!(names, ["key 0", "key 1", "key 2", "key 3", "key 4"]);
    server.verify().await;
}

#[tokio::test]
async fn stream_stops_at_a_short_page_and_ends_with_a_failed_page() {
    let server = MockServer::start().await;
    // No totalCount: only the short second page says the list is done.
    for (page, count) in [(1, 3), (2, 1)] {
        let results: Vec<Value> = (0..count).map(key).collect();
        Mock::given(query_param("pageNum", page.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "results": results })))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client(&server, Auth::new().service_accounts_token(TOKEN));
    let keys: Vec<_> = client
        .list_group_ai_model_api_keys(GROUP_ID)
        .items_per_page(3)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(keys.len(), 4);
    server.verify().await;

    let failing = MockServer::start().await;
    Mock::given(query_param("pageNum", "1"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "results": [key(0)], "totalCount": 2 })),
        )
        .mount(&failing)
        .await;
    Mock::given(query_param("pageNum", "2"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({ "error": 404, "errorCode": "RESOURCE_NOT_FOUND" })),
        )
        .mount(&failing)
        .await;
    let items: Vec<_> = futures_util::StreamExt::collect(
        client_for(&failing)
            .list_org_ai_model_api_keys(GROUP_ID)
            .items_per_page(1)
            .stream(),
    )
    .await;
    assert_eq!(items.len(), 2);
    assert!(items[0].is_ok());
    assert!(
        matches!(&items[1], Err(Error::Api { body, .. }) if body.error_code == "RESOURCE_NOT_FOUND")
    );
}

fn client_for(server: &MockServer) -> Client {
    client(server, Auth::new().service_accounts_token(TOKEN))
}

#[tokio::test]
async fn rate_limit_headers_are_readable() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("RateLimit-Limit", "100")
                .insert_header("RateLimit-Remaining", "97")
                .set_body_json(json!({ "results": [] })),
        )
        .mount(&server)
        .await;
    let page = client_for(&server)
        .list_group_ai_model_api_keys(GROUP_ID)
        .await
        .unwrap();
    assert_eq!(page.rate_limit_limit(), Some(100));
    assert_eq!(page.rate_limit_remaining(), Some(97));
}

/// A base URL may carry a path (a proxy's prefix, with or without a
/// trailing slash); each request's path follows it, and its query follows
/// the path.
#[tokio::test]
async fn a_base_url_path_prefixes_every_request() {
    let server = counting_server().await;
    for base in [
        format!("{}/proxy/atlas", server.uri()),
        format!("{}/proxy/atlas/", server.uri()),
    ] {
        let client = Client::builder()
            .base_url(base)
            .auth(Auth::new().service_accounts_token(TOKEN))
            .retry(RetryPolicy::none())
            .build()
            .unwrap();
        // The counting server's `{}` is not a page; only the URL matters here.
        let _ = client
            .preview()
            .list_group_ai_model_api_keys(GROUP_ID)
            .page_num(2)
            .await;
    }
    let received = server.received_requests().await.unwrap();
    let urls: Vec<String> = received
        .iter()
        .map(|request| {
            format!(
                "{}?{}",
                request.url.path(),
                request.url.query().unwrap_or("")
            )
        })
        .collect();
    let expected = format!("/proxy/atlas{KEYS_PATH}?pageNum=2");
    assert_eq!(urls, [expected.clone(), expected]);
}

/// A URL that paths cannot be added to is refused when the client is built.
#[test]
fn a_base_url_without_a_path_is_refused() {
    for base in ["mailto:atlas@example.com", "not a url"] {
        let error = Client::builder().base_url(base).build().unwrap_err();
        assert!(error.to_string().contains(base), "{error}");
    }
}

#[tokio::test]
async fn a_post_is_retried_when_no_connection_was_made() {
    // A port that was free a moment ago, where a server starts only after
    // the first attempt was refused at connect: nothing can have reached
    // a server, so even a create is tried again.
    let address = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let late_server = tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        let listener = std::net::TcpListener::bind(address).unwrap();
        let server = MockServer::builder().listener(listener).start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(201).set_body_raw(key(1).to_string(), PREVIEW))
            .expect(1)
            .mount(&server)
            .await;
        server
    });
    let client = Client::builder()
        .base_url(format!("http://{address}"))
        .auth(Auth::new().service_accounts_token(TOKEN))
        .retry(
            RetryPolicy::default()
                .initial_delay(std::time::Duration::from_millis(200))
                .max_attempts(4),
        )
        .build()
        .unwrap();
    let request = AiModelApiKeyPreviewCreateRequest::new("k");
    let created = client
        .preview()
        .create_group_ai_model_api_key(GROUP_ID, &request)
        .await
        .unwrap();
    assert_eq!(created.status().as_u16(), 201);
    late_server.await.unwrap().verify().await;
}
