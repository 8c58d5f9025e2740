//! End-to-end tests of the generated `atlas_ai_model_api_keys` client against
//! the stateful fake Atlas server of `support::fake_atlas`.
//!
//! Where `client::operations` checks each call against canned wiremock
//! answers, these tests let the client hold a real conversation:
//!
//! - the whole key lifecycle (create, get, list, organization list and get,
//!   rename, delete, 404 after delete) once per authentication scheme: bearer
//!   token, service account, HTTP Digest with MD5 and with SHA-256, counting
//!   token fetches and digest challenges to prove credentials are reused;
//! - service-account tokens: refreshed before they expire, and fetched once
//!   for many concurrent requests;
//! - a fault matrix: a connection dropped mid-body, a proxy's HTML 502,
//!   truncated and extended JSON, 429/500/503 with and without
//!   `Retry-After`, a server slower than the timeout, tokens expired and
//!   digest nonces gone stale behind the client's back, wrong credentials,
//!   and a failing token endpoint;
//! - `envelope=true` and paging over a real key store.
//!
//! Every test asserts both the typed outcome and how many requests the fake
//! saw, since a retry policy that is too eager or too timid only shows in
//! the count.

use std::time::{Duration, Instant};

use crate::support::fake_atlas::*;
use atlas_ai_model_api_keys::types::{
    AiModelApiKeyCloud, AiModelApiKeyCreateRequest, AiModelApiKeyGeography,
    AiModelApiKeyPreviewCreateRequest, AiModelApiKeyResponse, AiModelApiKeyUpdateRequest, ApiError,
};
use atlas_ai_model_api_keys::{
    Auth, Client, ClientBuilder, Error, ExposeSecret, RetryPolicy, ServiceAccount,
};
use futures_util::TryStreamExt as _;
use futures_util::future::join_all;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

const GROUP: &str = "32b6e34b3d91647abb20e7b8";
const ORG: &str = "4888442a3354817a7320eb61";
/// Well-formed, but never issued by the fake.
const MISSING_KEY_ID: &str = "000000000000000000000000";

const BEARER_TOKEN: &str = "e2e-static-bearer-token";
const CLIENT_ID: &str = "mdb_sa_id_e2e_fake_atlas";
const CLIENT_SECRET: &str = "mdb_sa_sk_e2e_fake_atlas";
const PUBLIC_KEY: &str = "e2epubkey";
const PRIVATE_KEY: &str = "e2e-private-key-0f3c";

/// `createdBy` the fake records for a bearer-token caller.
const BEARER_CALLER: &str = "Bearer Token User";

/// Far beyond the default one-minute refresh margin, so a token is never
/// refreshed unless a test means it to be.
const LONG_TOKEN_TTL: Duration = Duration::from_secs(3600);

/// The default policy with millisecond waits: the number of attempts is what
/// these tests check, and the default 250 ms first wait would only slow them.
fn fast_retries() -> RetryPolicy {
    RetryPolicy::default().initial_delay(Duration::from_millis(10))
}

fn builder(fake: &FakeAtlas, auth: Auth, retry: RetryPolicy) -> ClientBuilder {
    Client::builder()
        .base_url(fake.base_url())
        .auth(auth)
        .retry(retry)
}

fn bearer_client(fake: &FakeAtlas, retry: RetryPolicy) -> Client {
    builder(fake, Auth::bearer(BEARER_TOKEN), retry)
        .build()
        .expect("the fake's URL is a valid base URL")
}

fn service_account_client(fake: &FakeAtlas, client_secret: &str, retry: RetryPolicy) -> Client {
    builder(fake, Auth::service_account(CLIENT_ID, client_secret), retry)
        .build()
        .expect("the fake's URL is a valid base URL")
}

fn digest_client(fake: &FakeAtlas, private_key: &str, retry: RetryPolicy) -> Client {
    builder(fake, Auth::digest(PUBLIC_KEY, private_key), retry)
        .build()
        .expect("the fake's URL is a valid base URL")
}

async fn bearer_fake() -> FakeAtlas {
    FakeAtlas::start(FakeConfig::bearer(BEARER_TOKEN)).await
}

async fn service_account_fake(token_ttl: Duration) -> FakeAtlas {
    FakeAtlas::start(FakeConfig::service_account(
        CLIENT_ID,
        CLIENT_SECRET,
        token_ttl,
    ))
    .await
}

async fn digest_fake(algorithm: DigestAlgorithm) -> FakeAtlas {
    FakeAtlas::start(FakeConfig::digest(PUBLIC_KEY, PRIVATE_KEY, algorithm)).await
}

fn create_request(name: &str) -> AiModelApiKeyCreateRequest {
    AiModelApiKeyCreateRequest::new(AiModelApiKeyCloud::Any, AiModelApiKeyGeography::Any, name)
}

/// Stores a key behind the client's back and returns its id.
fn seed_key(fake: &FakeAtlas, name: &str) -> String {
    fake.insert_key(GROUP, name)["apiKeyId"]
        .as_str()
        .expect("the fake returns an apiKeyId")
        .to_owned()
}

/// The ids of the group's keys as the server stores them.
fn stored_ids(fake: &FakeAtlas) -> Vec<String> {
    fake.keys(GROUP)
        .iter()
        .map(|key| key["apiKeyId"].as_str().expect("stored id").to_owned())
        .collect()
}

/// The API requests the fake received (token requests left out), in order.
fn api_requests(fake: &FakeAtlas) -> Vec<RecordedRequest> {
    fake.recorded_requests()
        .into_iter()
        .filter(|request| !request.is_token_request())
        .collect()
}

/// The bearer token an API request carried.
fn bearer_of(request: &RecordedRequest) -> String {
    request
        .header("authorization")
        .and_then(|value| value.strip_prefix("Bearer "))
        .unwrap_or_else(|| panic!("no bearer token on {} {}", request.method, request.path))
        .to_owned()
}

/// The nonce a digest-authenticated request answered.
fn digest_nonce(request: &RecordedRequest) -> String {
    let credentials = request
        .header("authorization")
        .and_then(|value| value.strip_prefix("Digest "))
        .unwrap_or_else(|| panic!("no digest credentials on {}", request.path));
    digest_auth::AuthorizationHeader::parse(credentials)
        .expect("the client sends a parsable Authorization header")
        .nonce
}

/// The `ApiError` of an `Error::Api` with this status and error code.
#[track_caller]
fn expect_api_error<T: std::fmt::Debug>(
    result: Result<T, Error<ApiError>>,
    status: u16,
    error_code: &str,
) -> ApiError {
    match result {
        Err(Error::Api {
            status: actual,
            body,
            ..
        }) => {
            assert_eq!(actual.as_u16(), status, "{body:?}");
            assert_eq!(body.error, i32::from(status), "{body:?}");
            assert_eq!(body.error_code, error_code, "{body:?}");
            body
        }
        other => panic!("expected Error::Api {status} {error_code}, got {other:?}"),
    }
}

/// Drives one key through its whole life and returns how many operations it
/// sent, so each auth scheme can compare that with the requests the fake
/// saw. The fake must know organization [`ORG`] as containing [`GROUP`].
async fn run_lifecycle(client: &Client, fake: &FakeAtlas, created_by: &str) -> usize {
    let created = client
        .create_group_ai_model_api_key(GROUP, &create_request("lifecycle key"))
        .await
        .expect("create");
    assert_eq!(created.status().as_u16(), 201);
    let created = created.into_inner();
    let id = created.api_key_id.clone().expect("create returns the id");
    assert_eq!(stored_ids(fake), std::slice::from_ref(&id));
    // The one and only time the full secret is handed out.
    let secret = created
        .secret
        .as_ref()
        .expect("create returns the secret")
        .expose_secret()
        .to_owned();
    assert!(secret.starts_with("al-") && secret.len() > 8, "{secret}");
    assert_eq!(
        created.masked_secret.as_deref(),
        Some(format!("al-****{}", &secret[secret.len() - 4..]).as_str())
    );
    assert_eq!(created.name.as_deref(), Some("lifecycle key"));
    assert_eq!(created.group_id.as_deref(), Some(GROUP));
    assert_eq!(created.created_by.as_deref(), Some(created_by));
    assert_eq!(created.status.as_deref(), Some("ACTIVE"));
    assert!(created.created_at.is_some());
    assert_eq!(created.last_used_at, None);

    // Every later view is the created key minus its secret, field for field.
    let mut without_secret = created.clone();
    without_secret.secret = None;

    let fetched = client
        .get_group_ai_model_api_key(GROUP, &id)
        .await
        .expect("get");
    assert_eq!(*fetched, without_secret);

    let page = client
        .list_group_ai_model_api_keys(GROUP)
        .await
        .expect("list")
        .into_inner();
    assert_eq!(page.results, std::slice::from_ref(&without_secret));
    assert_eq!(page.total_count, Some(1));

    let org_page = client
        .list_org_ai_model_api_keys(ORG)
        .await
        .expect("org list")
        .into_inner();
    assert_eq!(org_page.results, std::slice::from_ref(&without_secret));
    assert_eq!(org_page.total_count, Some(1));

    let org_fetched = client
        .get_org_ai_model_api_key(ORG, &id)
        .await
        .expect("org get");
    assert_eq!(*org_fetched, without_secret);

    let rename = AiModelApiKeyUpdateRequest::new("renamed key");
    let updated = client
        .update_group_ai_model_api_key(GROUP, &id, &rename)
        .await
        .expect("update");
    let mut renamed = without_secret.clone();
    renamed.name = Some("renamed key".to_owned());
    assert_eq!(*updated, renamed);
    assert_eq!(fake.keys(GROUP)[0]["name"], "renamed key");

    let deleted = client
        .delete_group_ai_model_api_key(GROUP, &id)
        .await
        .expect("delete");
    assert_eq!(deleted.status().as_u16(), 204);
    assert!(fake.keys(GROUP).is_empty());

    let gone = client.get_group_ai_model_api_key(GROUP, &id).await;
    let error = expect_api_error(gone, 404, "RESOURCE_NOT_FOUND");
    assert!(error.detail.unwrap_or_default().contains(&id));

    8
}

// ---------------------------------------------------------------------------
// Lifecycle, once per authentication scheme
// ---------------------------------------------------------------------------

#[tokio::test]
async fn lifecycle_with_bearer_token() {
    let fake = FakeAtlas::start(FakeConfig::bearer(BEARER_TOKEN).with_org(ORG, [GROUP])).await;
    let client = bearer_client(&fake, RetryPolicy::none());

    let operations = run_lifecycle(&client, &fake, BEARER_CALLER).await;

    assert_eq!(fake.request_count(), operations);
    assert_eq!(fake.token_request_count(), 0);
}

#[tokio::test]
async fn lifecycle_with_service_account_fetches_one_token() {
    let config = FakeConfig::service_account(CLIENT_ID, CLIENT_SECRET, LONG_TOKEN_TTL)
        .with_org(ORG, [GROUP]);
    let fake = FakeAtlas::start(config).await;
    let client = service_account_client(&fake, CLIENT_SECRET, RetryPolicy::none());

    let operations = run_lifecycle(&client, &fake, CLIENT_ID).await;

    assert_eq!(fake.request_count(), operations);
    assert_eq!(fake.token_request_count(), 1, "the token must be cached");
    let requests = api_requests(&fake);
    let first_token = bearer_of(&requests[0]);
    assert!(requests.iter().all(|r| bearer_of(r) == first_token));
}

/// The first request has no challenge to answer and draws a 401; every later
/// one must answer the remembered challenge at once.
async fn lifecycle_with_digest(algorithm: DigestAlgorithm) {
    let config = FakeConfig::digest(PUBLIC_KEY, PRIVATE_KEY, algorithm).with_org(ORG, [GROUP]);
    let fake = FakeAtlas::start(config).await;
    let client = digest_client(&fake, PRIVATE_KEY, RetryPolicy::none());

    let operations = run_lifecycle(&client, &fake, PUBLIC_KEY).await;

    assert_eq!(fake.request_count(), operations + 1);
    let requests = api_requests(&fake);
    assert_eq!(requests[0].header("authorization"), None);
    let nonce = digest_nonce(&requests[1]);
    assert!(requests[1..].iter().all(|r| digest_nonce(r) == nonce));
    assert_eq!(fake.token_request_count(), 0);
}

#[tokio::test]
async fn lifecycle_with_digest_md5_draws_one_challenge() {
    lifecycle_with_digest(DigestAlgorithm::Md5).await;
}

#[tokio::test]
async fn lifecycle_with_digest_sha256_draws_one_challenge() {
    lifecycle_with_digest(DigestAlgorithm::Sha256).await;
}

// ---------------------------------------------------------------------------
// Service-account tokens
// ---------------------------------------------------------------------------

#[tokio::test]
async fn service_account_token_is_refreshed_before_it_expires() {
    let fake = service_account_fake(Duration::from_secs(2)).await;
    let id = seed_key(&fake, "refreshed");
    // A 2 s token with a 1.5 s margin is due for refresh after 0.5 s, while
    // the fake still accepts it until 2 s.
    let account =
        ServiceAccount::new(CLIENT_ID, CLIENT_SECRET).refresh_margin(Duration::from_millis(1500));
    let client = builder(&fake, Auth::ServiceAccount(account), RetryPolicy::none())
        .build()
        .unwrap();

    client.get_group_ai_model_api_key(GROUP, &id).await.unwrap();
    assert_eq!(fake.token_request_count(), 1);

    // Waiting out the margin is the point of the test.
    tokio::time::sleep(Duration::from_millis(700)).await;
    client.get_group_ai_model_api_key(GROUP, &id).await.unwrap();

    assert_eq!(fake.token_request_count(), 2);
    // Equal counts mean no request was turned away with 401 first.
    assert_eq!(fake.request_count(), 2);
    let requests = api_requests(&fake);
    assert_ne!(bearer_of(&requests[0]), bearer_of(&requests[1]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_requests_share_one_token_fetch() {
    let fake = service_account_fake(LONG_TOKEN_TTL).await;
    let id = seed_key(&fake, "shared");
    let client = service_account_client(&fake, CLIENT_SECRET, RetryPolicy::none());

    // Separate tasks on several threads, so the calls really race for the
    // empty token cache.
    let calls = (0..10).map(|_| {
        let client = client.clone();
        let id = id.clone();
        tokio::spawn(async move {
            client
                .get_group_ai_model_api_key(GROUP, &id)
                .await
                .map(|response| response.into_inner())
        })
    });
    for result in join_all(calls).await {
        let key = result.expect("task").expect("get");
        assert_eq!(key.api_key_id.as_deref(), Some(id.as_str()));
    }

    assert_eq!(fake.token_request_count(), 1);
    assert_eq!(fake.request_count(), 10);
}

// ---------------------------------------------------------------------------
// Fault matrix
// ---------------------------------------------------------------------------

#[tokio::test]
async fn fault_connection_dropped_mid_body_is_retried_for_get() {
    let fake = bearer_fake().await;
    let id = seed_key(&fake, "dropped");
    let client = bearer_client(&fake, fast_retries());
    fake.push_fault(Fault::DropConnectionMidBody);

    let key = client.get_group_ai_model_api_key(GROUP, &id).await.unwrap();

    assert_eq!(key.api_key_id.as_deref(), Some(id.as_str()));
    assert_eq!(fake.request_count(), 2);
    assert_eq!(fake.pending_faults(), 0);
}

#[tokio::test]
async fn fault_connection_dropped_mid_body_is_not_retried_for_create() {
    let fake = bearer_fake().await;
    let client = bearer_client(&fake, fast_retries());
    fake.push_fault(Fault::DropConnectionMidBody);

    let result = client
        .create_group_ai_model_api_key(GROUP, &create_request("dropped"))
        .await;

    assert!(matches!(result, Err(Error::Transport(_))), "{result:?}");
    assert_eq!(fake.request_count(), 1);
    // The server did create the key: a retry would have made a second one.
    assert_eq!(fake.keys(GROUP).len(), 1);
}

#[tokio::test]
async fn fault_html_502_without_retries_is_an_unexpected_response() {
    let fake = bearer_fake().await;
    let id = seed_key(&fake, "proxied");
    let client = bearer_client(&fake, RetryPolicy::none());
    fake.push_fault(Fault::Html502);

    let result = client.get_group_ai_model_api_key(GROUP, &id).await;

    match result {
        Err(Error::UnexpectedResponse {
            status,
            headers,
            raw,
        }) => {
            assert_eq!(status.as_u16(), 502);
            assert_eq!(raw, HTML_502_BODY.as_bytes());
            assert_eq!(headers["content-type"], "text/html");
        }
        other => panic!("expected UnexpectedResponse, got {other:?}"),
    }
    assert_eq!(fake.request_count(), 1);
}

#[tokio::test]
async fn fault_html_502_is_retried_for_get() {
    let fake = bearer_fake().await;
    let id = seed_key(&fake, "proxied");
    let client = bearer_client(&fake, fast_retries());
    fake.push_fault(Fault::Html502);

    let key = client.get_group_ai_model_api_key(GROUP, &id).await.unwrap();

    assert_eq!(key.api_key_id.as_deref(), Some(id.as_str()));
    assert_eq!(fake.request_count(), 2);
}

#[tokio::test]
async fn fault_html_502_is_not_retried_for_create() {
    let fake = bearer_fake().await;
    let client = bearer_client(&fake, fast_retries());
    fake.push_fault(Fault::Html502);

    let result = client
        .create_group_ai_model_api_key(GROUP, &create_request("proxied"))
        .await;

    match result {
        Err(Error::UnexpectedResponse { status, raw, .. }) => {
            assert_eq!(status.as_u16(), 502);
            assert_eq!(raw, HTML_502_BODY.as_bytes());
        }
        other => panic!("expected UnexpectedResponse, got {other:?}"),
    }
    assert_eq!(fake.request_count(), 1);
    assert!(fake.keys(GROUP).is_empty());
}

#[tokio::test]
async fn fault_truncated_json_is_a_decode_error_and_is_not_retried() {
    // Masking of secrets in snippets is tested where the body is cut after
    // the secret (`client::behaviour`); this fake cuts before it.
    let fake = bearer_fake().await;
    let client = bearer_client(&fake, fast_retries());
    fake.push_fault(Fault::TruncatedJson);

    let result = client
        .create_group_ai_model_api_key(GROUP, &create_request("truncated"))
        .await;

    let ids = stored_ids(&fake);
    assert_eq!(ids.len(), 1, "the create was performed");
    match &result {
        Err(Error::Decode {
            status, snippet, ..
        }) => {
            assert_eq!(status.as_u16(), 201);
            assert!(snippet.starts_with(r#"{"apiKeyId":""#), "{snippet}");
            assert!(snippet.contains(&ids[0]), "{snippet}");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    assert_eq!(fake.request_count(), 1);
}

#[tokio::test]
async fn fault_extra_fields_are_ignored() {
    let fake = bearer_fake().await;
    let id = seed_key(&fake, "extended");
    let client = bearer_client(&fake, RetryPolicy::none());
    let plain = client
        .get_group_ai_model_api_key(GROUP, &id)
        .await
        .unwrap()
        .into_inner();

    fake.push_fault(Fault::ExtraFields);
    let extended = client.get_group_ai_model_api_key(GROUP, &id).await.unwrap();
    assert_eq!(*extended, plain);
    assert_eq!(fake.request_count(), 2);

    fake.push_fault(Fault::ExtraFields);
    let page = client.list_group_ai_model_api_keys(GROUP).await.unwrap();
    assert_eq!(page.results, [plain]);
    assert_eq!(fake.request_count(), 3);
    assert_eq!(fake.pending_faults(), 0);
}

#[tokio::test]
async fn fault_429_storm_is_waited_out_as_retry_after_says() {
    let fake = bearer_fake().await;
    let id = seed_key(&fake, "throttled");
    // The default policy: its 4 attempts are exactly what the storm needs.
    let client = bearer_client(&fake, RetryPolicy::default());
    for _ in 0..3 {
        fake.push_fault(Fault::Status(429, Some(1)));
    }

    let started = Instant::now();
    let key = client.get_group_ai_model_api_key(GROUP, &id).await.unwrap();
    let elapsed = started.elapsed();

    assert_eq!(key.api_key_id.as_deref(), Some(id.as_str()));
    assert_eq!(fake.request_count(), 4);
    assert!(elapsed >= Duration::from_secs(3), "{elapsed:?}");
}

#[tokio::test]
async fn fault_429_beyond_max_attempts_is_an_api_error() {
    let fake = bearer_fake().await;
    let id = seed_key(&fake, "throttled");
    let client = bearer_client(&fake, fast_retries().max_attempts(2));
    for _ in 0..3 {
        fake.push_fault(Fault::Status(429, Some(1)));
    }

    let result = client.get_group_ai_model_api_key(GROUP, &id).await;

    if let Err(Error::Api { headers, .. }) = &result {
        assert_eq!(headers["retry-after"], "1");
    }
    expect_api_error(result, 429, "RATE_LIMITED");
    assert_eq!(fake.request_count(), 2);
    assert_eq!(fake.pending_faults(), 1);
}

#[tokio::test]
async fn fault_429_is_retried_for_create() {
    let fake = bearer_fake().await;
    let client = bearer_client(&fake, fast_retries());
    fake.push_fault(Fault::Status(429, None));

    let created = client
        .create_group_ai_model_api_key(GROUP, &create_request("throttled"))
        .await
        .unwrap();

    assert_eq!(created.status().as_u16(), 201);
    assert_eq!(fake.request_count(), 2);
    // A 429 means the operation was not performed, so exactly one key.
    assert_eq!(fake.keys(GROUP).len(), 1);
}

#[tokio::test]
async fn fault_503_with_retry_after_is_retried_for_create() {
    let fake = bearer_fake().await;
    let client = bearer_client(&fake, fast_retries());
    fake.push_fault(Fault::Status(503, Some(1)));

    let started = Instant::now();
    let created = client
        .create_group_ai_model_api_key(GROUP, &create_request("unavailable"))
        .await
        .unwrap();
    let elapsed = started.elapsed();

    assert_eq!(created.status().as_u16(), 201);
    assert_eq!(fake.request_count(), 2);
    assert_eq!(fake.keys(GROUP).len(), 1);
    // Retry-After, not the 10 ms backoff, set the wait.
    assert!(elapsed >= Duration::from_secs(1), "{elapsed:?}");
}

#[tokio::test]
async fn fault_500_is_not_retried_for_create() {
    let fake = bearer_fake().await;
    let client = bearer_client(&fake, fast_retries());
    fake.push_fault(Fault::Status(500, None));

    let result = client
        .create_group_ai_model_api_key(GROUP, &create_request("failed"))
        .await;

    expect_api_error(result, 500, "UNEXPECTED_ERROR");
    assert_eq!(fake.request_count(), 1);
    assert!(fake.keys(GROUP).is_empty());
}

#[tokio::test]
async fn fault_500_is_retried_for_delete() {
    let fake = bearer_fake().await;
    let id = seed_key(&fake, "doomed");
    let client = bearer_client(&fake, fast_retries());
    fake.push_fault(Fault::Status(500, None));

    let deleted = client
        .delete_group_ai_model_api_key(GROUP, &id)
        .await
        .unwrap();

    assert_eq!(deleted.status().as_u16(), 204);
    assert_eq!(fake.request_count(), 2);
    assert!(fake.keys(GROUP).is_empty());
}

#[tokio::test]
async fn fault_server_slower_than_the_timeout_is_a_timeout() {
    let fake = bearer_fake().await;
    let id = seed_key(&fake, "slow");
    let client = builder(&fake, Auth::bearer(BEARER_TOKEN), RetryPolicy::none())
        .timeout(Some(Duration::from_millis(200)))
        .build()
        .unwrap();
    fake.push_fault(Fault::Delay(Duration::from_secs(1)));

    let result = client.get_group_ai_model_api_key(GROUP, &id).await;

    assert!(matches!(result, Err(Error::Timeout(_))), "{result:?}");
    assert_eq!(fake.request_count(), 1);
}

#[tokio::test]
async fn fault_timeout_is_retried_for_get() {
    let fake = bearer_fake().await;
    let id = seed_key(&fake, "slow");
    let client = builder(&fake, Auth::bearer(BEARER_TOKEN), fast_retries())
        .timeout(Some(Duration::from_millis(200)))
        .build()
        .unwrap();
    fake.push_fault(Fault::Delay(Duration::from_secs(1)));

    let key = client.get_group_ai_model_api_key(GROUP, &id).await.unwrap();

    assert_eq!(key.api_key_id.as_deref(), Some(id.as_str()));
    assert_eq!(fake.request_count(), 2);
}

#[tokio::test]
async fn fault_expired_token_is_replaced_and_the_call_succeeds() {
    let fake = service_account_fake(LONG_TOKEN_TTL).await;
    let id = seed_key(&fake, "expiring");
    // No retries: the second attempt must come from re-authentication alone.
    let client = service_account_client(&fake, CLIENT_SECRET, RetryPolicy::none());
    fake.push_fault(Fault::ExpireTokens);

    let key = client.get_group_ai_model_api_key(GROUP, &id).await.unwrap();

    assert_eq!(key.api_key_id.as_deref(), Some(id.as_str()));
    assert_eq!(fake.token_request_count(), 2);
    assert_eq!(fake.request_count(), 2);
    let requests = api_requests(&fake);
    assert_ne!(bearer_of(&requests[0]), bearer_of(&requests[1]));
}

#[tokio::test]
async fn fault_token_rejected_twice_is_replaced_only_once() {
    let fake = service_account_fake(LONG_TOKEN_TTL).await;
    let id = seed_key(&fake, "expiring");
    let client = service_account_client(&fake, CLIENT_SECRET, fast_retries());
    fake.push_fault(Fault::ExpireTokens);
    fake.push_fault(Fault::ExpireTokens);

    let result = client.get_group_ai_model_api_key(GROUP, &id).await;

    expect_api_error(result, 401, "UNAUTHORIZED");
    assert_eq!(fake.token_request_count(), 2);
    assert_eq!(fake.request_count(), 2);
}

#[tokio::test]
async fn fault_stale_nonce_is_answered_with_the_fresh_one() {
    let fake = digest_fake(DigestAlgorithm::Md5).await;
    let id = seed_key(&fake, "digested");
    let client = digest_client(&fake, PRIVATE_KEY, RetryPolicy::none());

    client.get_group_ai_model_api_key(GROUP, &id).await.unwrap();
    // The initial challenge and its answer.
    assert_eq!(fake.request_count(), 2);

    fake.push_fault(Fault::StaleNonce);
    let key = client.get_group_ai_model_api_key(GROUP, &id).await.unwrap();
    assert_eq!(key.api_key_id.as_deref(), Some(id.as_str()));
    // The old nonce drew 401 stale=true; the answer to the new one passed.
    assert_eq!(fake.request_count(), 4);

    // The renewed challenge is remembered: no further 401.
    client.get_group_ai_model_api_key(GROUP, &id).await.unwrap();
    assert_eq!(fake.request_count(), 5);
    let requests = api_requests(&fake);
    assert_eq!(digest_nonce(&requests[1]), digest_nonce(&requests[2]));
    assert_ne!(digest_nonce(&requests[2]), digest_nonce(&requests[3]));
    assert_eq!(digest_nonce(&requests[3]), digest_nonce(&requests[4]));
}

#[tokio::test]
async fn digest_nonce_used_up_is_renewed_transparently() {
    let config =
        FakeConfig::digest(PUBLIC_KEY, PRIVATE_KEY, DigestAlgorithm::Sha256).with_nonce_max_uses(2);
    let fake = FakeAtlas::start(config).await;
    let id = seed_key(&fake, "digested");
    let client = digest_client(&fake, PRIVATE_KEY, RetryPolicy::none());

    for _ in 0..3 {
        client.get_group_ai_model_api_key(GROUP, &id).await.unwrap();
    }

    // First challenge + 3 calls + the stale answer to the third call.
    assert_eq!(fake.request_count(), 5);
}

#[tokio::test]
async fn fault_wrong_digest_password_fails_after_one_answer() {
    let fake = digest_fake(DigestAlgorithm::Md5).await;
    let id = seed_key(&fake, "digested");
    let client = digest_client(&fake, "not-the-private-key", fast_retries());

    let result = client.get_group_ai_model_api_key(GROUP, &id).await;

    expect_api_error(result, 401, "UNAUTHORIZED");
    // The challenge and one answer, not a loop of fresh challenges.
    assert_eq!(fake.request_count(), 2);
}

#[tokio::test]
async fn fault_token_endpoint_429_is_token_rate_limited() {
    let fake = service_account_fake(LONG_TOKEN_TTL).await;
    let id = seed_key(&fake, "unreached");
    let client = service_account_client(&fake, CLIENT_SECRET, fast_retries());
    fake.push_fault(Fault::TokenEndpointStatus(429));

    let result = client.get_group_ai_model_api_key(GROUP, &id).await;

    match result {
        Err(Error::TokenRateLimited { retry_after }) => {
            assert_eq!(retry_after, Some(Duration::from_secs(1)));
        }
        other => panic!("expected TokenRateLimited, got {other:?}"),
    }
    assert_eq!(fake.token_request_count(), 1);
    assert_eq!(fake.request_count(), 0);
}

#[tokio::test]
async fn fault_wrong_client_secret_is_token_rejected() {
    let fake = service_account_fake(LONG_TOKEN_TTL).await;
    let id = seed_key(&fake, "unreached");
    let client = service_account_client(&fake, "not-the-client-secret", fast_retries());

    let result = client.get_group_ai_model_api_key(GROUP, &id).await;

    match result {
        Err(Error::TokenRejected { status, raw }) => {
            assert_eq!(status.as_u16(), 401);
            assert_eq!(raw, r#"{"error":"invalid_client"}"#.as_bytes());
        }
        other => panic!("expected TokenRejected, got {other:?}"),
    }
    assert_eq!(fake.token_request_count(), 1);
    assert_eq!(fake.request_count(), 0);
}

// ---------------------------------------------------------------------------
// Envelope and paging
// ---------------------------------------------------------------------------

#[tokio::test]
async fn envelope_get_and_list_decode_like_plain_responses() {
    let fake = bearer_fake().await;
    let id = seed_key(&fake, "enveloped");
    seed_key(&fake, "another");
    let client = bearer_client(&fake, RetryPolicy::none());

    let plain = client.get_group_ai_model_api_key(GROUP, &id).await.unwrap();
    let wrapped = client
        .get_group_ai_model_api_key(GROUP, &id)
        .envelope(true)
        .pretty(true)
        .await
        .unwrap();
    assert_eq!(wrapped.status().as_u16(), 200);
    assert_eq!(*wrapped, *plain);

    let plain_page = client.list_group_ai_model_api_keys(GROUP).await.unwrap();
    let wrapped_page = client
        .list_group_ai_model_api_keys(GROUP)
        .envelope(true)
        .await
        .unwrap();
    assert_eq!(wrapped_page.results, plain_page.results);
    assert_eq!(wrapped_page.results.len(), 2);
    assert_eq!(wrapped_page.total_count, Some(2));

    // The envelope hides 201; the client must restore it.
    let created = client
        .create_group_ai_model_api_key(GROUP, &create_request("enveloped create"))
        .envelope(true)
        .await
        .unwrap();
    assert_eq!(created.status().as_u16(), 201);
    assert!(created.secret.is_some());

    assert_eq!(fake.request_count(), 5);
    let enveloped: Vec<bool> = api_requests(&fake)
        .iter()
        .map(|r| {
            r.query
                .as_deref()
                .is_some_and(|q| q.contains("envelope=true"))
        })
        .collect();
    assert_eq!(enveloped, [false, true, false, true, true]);
}

#[tokio::test]
async fn envelope_404_is_an_api_error() {
    let fake = bearer_fake().await;
    let client = bearer_client(&fake, fast_retries());

    let result = client
        .get_group_ai_model_api_key(GROUP, MISSING_KEY_ID)
        .envelope(true)
        .await;

    expect_api_error(result, 404, "RESOURCE_NOT_FOUND");
    assert_eq!(fake.request_count(), 1);
}

#[tokio::test]
async fn paging_stream_yields_every_key_in_three_pages() {
    let fake = bearer_fake().await;
    for n in 0..7 {
        seed_key(&fake, &format!("key {n}"));
    }
    let client = bearer_client(&fake, RetryPolicy::none());

    let keys: Vec<AiModelApiKeyResponse> = client
        .list_group_ai_model_api_keys(GROUP)
        .items_per_page(3)
        .stream()
        .try_collect()
        .await
        .unwrap();

    let ids: Vec<String> = keys
        .iter()
        .map(|key| key.api_key_id.clone().expect("id"))
        .collect();
    assert_eq!(ids, stored_ids(&fake));
    assert_eq!(fake.request_count(), 3);
    let queries: Vec<Option<String>> = api_requests(&fake).into_iter().map(|r| r.query).collect();
    assert_eq!(
        queries,
        [1, 2, 3].map(|page| Some(format!("itemsPerPage=3&pageNum={page}")))
    );
}

// ---------------------------------------------------------------------------
// Versions
// ---------------------------------------------------------------------------

/// The same keys seen through both versions: created in the stable version
/// (which requires a scope and answers with the endpoint) and managed through
/// the preview, whose shape has neither; each request carries its version's
/// media type, which the fake checks against the body it gets.
#[tokio::test]
async fn keys_are_managed_through_either_version() {
    let fake = bearer_fake().await;
    let client = bearer_client(&fake, RetryPolicy::none());

    let stable = client
        .create_group_ai_model_api_key(GROUP, &create_request("stable key"))
        .await
        .expect("stable create");
    assert_eq!(stable.cloud.as_deref(), Some("ANY"));
    assert_eq!(stable.geography.as_deref(), Some("ANY"));
    assert_eq!(stable.endpoint.as_deref(), Some(KEY_ENDPOINT));

    let preview = client.preview();
    let created = preview
        .create_group_ai_model_api_key(
            GROUP,
            &AiModelApiKeyPreviewCreateRequest::new("preview key"),
        )
        .await
        .expect("preview create");
    let preview_id = created.api_key_id.clone().expect("an id");
    assert!(created.secret.is_some());

    let page = preview
        .list_group_ai_model_api_keys(GROUP)
        .await
        .expect("preview list")
        .into_inner();
    let names: Vec<_> = page.results.iter().map(|k| k.name.as_deref()).collect();
    assert_eq!(names, [Some("stable key"), Some("preview key")]);

    // A key made through the preview is a stable key like any other.
    let seen_stable = client
        .get_group_ai_model_api_key(GROUP, &preview_id)
        .await
        .expect("stable get");
    assert_eq!(seen_stable.endpoint.as_deref(), Some(KEY_ENDPOINT));

    preview
        .delete_group_ai_model_api_key(GROUP, &preview_id)
        .await
        .expect("preview delete");
    assert_eq!(fake.keys(GROUP).len(), 1);

    let media_types: Vec<String> = api_requests(&fake)
        .iter()
        .map(|request| request.headers["accept"].to_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        media_types,
        [
            STABLE_MEDIA_TYPE,
            PREVIEW_MEDIA_TYPE,
            PREVIEW_MEDIA_TYPE,
            STABLE_MEDIA_TYPE,
            PREVIEW_MEDIA_TYPE
        ]
    );
}

/// A server that has retired the preview answers 410 `VERSION_GONE`; the
/// client reports it as `VersionUnavailable`, without retrying, while the
/// stable version keeps working.
#[tokio::test]
async fn a_retired_version_is_version_unavailable() {
    let fake = FakeAtlas::start(
        FakeConfig::bearer(BEARER_TOKEN).with_retired_version(ApiVersion::Preview),
    )
    .await;
    let client = bearer_client(&fake, fast_retries());

    let error = client
        .preview()
        .list_group_ai_model_api_keys(GROUP)
        .await
        .expect_err("the preview is retired");
    match &error {
        Error::VersionUnavailable {
            status,
            version,
            media_type,
            body,
            ..
        } => {
            assert_eq!(*status, 410);
            assert_eq!(*version, Some("preview"));
            assert_eq!(*media_type, PREVIEW_MEDIA_TYPE);
            assert_eq!(
                body.as_ref().map(|b| b.error_code.as_str()),
                Some("VERSION_GONE")
            );
        }
        other => panic!("expected VersionUnavailable, got {other:?}"),
    }
    assert_eq!(
        api_requests(&fake).len(),
        1,
        "a gone version is not retried"
    );

    client
        .list_group_ai_model_api_keys(GROUP)
        .await
        .expect("the stable version still answers");
}
