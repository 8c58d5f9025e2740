//! End-to-end tests of the generated `atlas_ai_model_api_keys` client against
//! the stateful fake Atlas server of `support::fake_atlas`.
//!
//! Where `client::operations` checks each call against canned wiremock
//! answers, these tests let the client hold a real conversation:
//!
//! - the whole key lifecycle (create, get, list, organization list and get,
//!   rename, delete, 404 after delete), a row per authentication scheme
//!   ([`LIFECYCLES`]): bearer token, service account, HTTP Digest with MD5
//!   and with SHA-256, counting token fetches and digest challenges to prove
//!   credentials are reused;
//! - service-account tokens: refreshed before they expire, and fetched once
//!   for many concurrent requests;
//! - the fault matrix ([`fault_rows`]), a row per fault and call: a
//!   connection dropped mid-body, a proxy's HTML 502, truncated and extended
//!   JSON, 429/500/503 with and without `Retry-After`, a server slower than
//!   the timeout, tokens expired behind the client's back, wrong
//!   credentials, and a failing token endpoint; digest nonces gone stale
//!   have tests of their own, since they take several calls;
//! - `envelope=true`, paging over a real key store, and both versions.
//!
//! Every test asserts both the typed outcome and how many requests the fake
//! saw, since a retry policy that is too eager or too timid only shows in
//! the count.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use atlas_ai_model_api_keys::types::{
    AiModelApiKeyCloud, AiModelApiKeyCreateRequest, AiModelApiKeyGeography,
    AiModelApiKeyPreviewCreateRequest, AiModelApiKeyResponse, AiModelApiKeyUpdateRequest, ApiError,
};
use atlas_ai_model_api_keys::{
    Auth, Client, ClientBuilder, ClientCredentials, Error, ExposeSecret, RetryPolicy,
};
use futures_util::TryStreamExt as _;
use futures_util::future::join_all;
use serde_json::Value;

use crate::support::fake_atlas::*;

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

async fn service_account_fake(token_ttl: Duration) -> FakeAtlas {
    FakeAtlas::start(FakeConfig::service_account(
        CLIENT_ID,
        CLIENT_SECRET,
        token_ttl,
    ))
    .await
}

/// How the fake authenticates requests, and the credentials the client
/// holds (the fake's own, unless a row says otherwise).
#[derive(Clone, Copy, Debug)]
enum Scheme {
    Bearer,
    ServiceAccount {
        client_secret: &'static str,
    },
    Digest {
        algorithm: DigestAlgorithm,
        private_key: &'static str,
    },
}

const SERVICE_ACCOUNT: Scheme = Scheme::ServiceAccount {
    client_secret: CLIENT_SECRET,
};
const DIGEST_MD5: Scheme = Scheme::Digest {
    algorithm: DigestAlgorithm::Md5,
    private_key: PRIVATE_KEY,
};
const DIGEST_SHA256: Scheme = Scheme::Digest {
    algorithm: DigestAlgorithm::Sha256,
    private_key: PRIVATE_KEY,
};

impl Scheme {
    fn config(self) -> FakeConfig {
        match self {
            Self::Bearer => FakeConfig::bearer(BEARER_TOKEN),
            Self::ServiceAccount { .. } => {
                FakeConfig::service_account(CLIENT_ID, CLIENT_SECRET, LONG_TOKEN_TTL)
            }
            Self::Digest { algorithm, .. } => {
                FakeConfig::digest(PUBLIC_KEY, PRIVATE_KEY, algorithm)
            }
        }
    }

    async fn fake(self) -> FakeAtlas {
        FakeAtlas::start(self.config()).await
    }

    fn auth(self) -> Auth {
        match self {
            Self::Bearer => Auth::new().service_accounts_token(BEARER_TOKEN),
            Self::ServiceAccount { client_secret } => {
                Auth::new().service_accounts(CLIENT_ID, client_secret)
            }
            Self::Digest { private_key, .. } => Auth::new().digest_auth(PUBLIC_KEY, private_key),
        }
    }

    fn client(self, fake: &FakeAtlas, retry: RetryPolicy) -> Client {
        builder(fake, self.auth(), retry)
            .build()
            .expect("the fake's URL is a valid base URL")
    }
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
// Lifecycle, a row per authentication scheme
// ---------------------------------------------------------------------------

/// A lifecycle row: the scheme, who the fake records as creator, and what
/// reusing credentials costs: digest challenges drawn (the first request
/// has no challenge to answer) and tokens fetched.
struct Lifecycle {
    scheme: Scheme,
    created_by: &'static str,
    challenges: usize,
    token_fetches: usize,
}

#[rustfmt::skip]
const LIFECYCLES: [Lifecycle; 4] = [
    Lifecycle { scheme: Scheme::Bearer,  created_by: BEARER_CALLER, challenges: 0, token_fetches: 0 },
    Lifecycle { scheme: SERVICE_ACCOUNT, created_by: CLIENT_ID,     challenges: 0, token_fetches: 1 },
    Lifecycle { scheme: DIGEST_MD5,      created_by: PUBLIC_KEY,    challenges: 1, token_fetches: 0 },
    Lifecycle { scheme: DIGEST_SHA256,   created_by: PUBLIC_KEY,    challenges: 1, token_fetches: 0 },
];

#[tokio::test]
async fn every_scheme_runs_the_lifecycle_reusing_its_credentials() {
    for row in &LIFECYCLES {
        println!("row: {:?}", row.scheme);
        let fake = FakeAtlas::start(row.scheme.config().with_org(ORG, [GROUP])).await;
        let client = row.scheme.client(&fake, RetryPolicy::none());

        let operations = run_lifecycle(&client, &fake, row.created_by).await;

        assert_eq!(fake.request_count(), operations + row.challenges);
        assert_eq!(
            fake.token_request_count(),
            row.token_fetches,
            "the token must be cached"
        );
        let requests = api_requests(&fake);
        match row.scheme {
            Scheme::Bearer => {
                assert!(requests.iter().all(|r| bearer_of(r) == BEARER_TOKEN));
            }
            Scheme::ServiceAccount { .. } => {
                let first_token = bearer_of(&requests[0]);
                assert!(requests.iter().all(|r| bearer_of(r) == first_token));
            }
            Scheme::Digest { .. } => {
                // The first request draws the challenge; every later one
                // answers the remembered challenge at once.
                assert_eq!(requests[0].header("authorization"), None);
                let nonce = digest_nonce(&requests[1]);
                assert!(requests[1..].iter().all(|r| digest_nonce(r) == nonce));
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Service-account tokens
// ---------------------------------------------------------------------------

#[tokio::test]
async fn service_account_token_is_refreshed_before_it_expires() {
    let fake = service_account_fake(Duration::from_secs(2)).await;
    let id = seed_key(&fake, "refreshed");
    // A 2 s token with a 0.5 s margin is due for refresh after 1.5 s, while
    // the fake still accepts it until 2 s.
    let account =
        ClientCredentials::new(CLIENT_ID, CLIENT_SECRET).refresh_margin(Duration::from_millis(500));
    let client = builder(
        &fake,
        Auth::new().service_accounts_with(account),
        RetryPolicy::none(),
    )
    .build()
    .unwrap();

    client.get_group_ai_model_api_key(GROUP, &id).await.unwrap();
    client.get_group_ai_model_api_key(GROUP, &id).await.unwrap();
    assert_eq!(fake.token_request_count(), 1);

    // Waiting out the margin is the point of the test.
    tokio::time::sleep(Duration::from_millis(1600)).await;
    client.get_group_ai_model_api_key(GROUP, &id).await.unwrap();

    assert_eq!(fake.token_request_count(), 2);
    // Equal counts mean no request was turned away with 401 first.
    assert_eq!(fake.request_count(), 3);
    let requests = api_requests(&fake);
    assert_eq!(bearer_of(&requests[0]), bearer_of(&requests[1]));
    assert_ne!(bearer_of(&requests[1]), bearer_of(&requests[2]));
}

#[tokio::test]
async fn a_token_shorter_than_the_margin_is_refreshed_at_half_its_lifetime() {
    // The default margin is a minute; a 2 s token would be fetched again on
    // every call if the margin were not cut to half its lifetime.
    let fake = service_account_fake(Duration::from_secs(2)).await;
    let id = seed_key(&fake, "short-lived");
    let client = SERVICE_ACCOUNT.client(&fake, RetryPolicy::none());

    for _ in 0..3 {
        client.get_group_ai_model_api_key(GROUP, &id).await.unwrap();
    }
    assert_eq!(fake.token_request_count(), 1);

    tokio::time::sleep(Duration::from_millis(1100)).await;
    client.get_group_ai_model_api_key(GROUP, &id).await.unwrap();
    assert_eq!(fake.token_request_count(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_requests_share_one_token_fetch() {
    let fake = service_account_fake(LONG_TOKEN_TTL).await;
    let id = seed_key(&fake, "shared");
    let client = SERVICE_ACCOUNT.client(&fake, RetryPolicy::none());

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

/// The call a fault row makes. All but `Create` act on a key stored before
/// the call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Action {
    Get,
    List,
    Create,
    Delete,
}

/// What the call must come to.
#[derive(Clone, Copy, Debug)]
enum Outcome {
    /// A success with this status; a `Get` or `List` decodes exactly what
    /// the same call decodes once the faults are gone.
    Success(u16),
    /// `Error::Transport`.
    Transport,
    /// `Error::Timeout`.
    Timeout,
    /// `Error::UnexpectedResponse` 502 with the proxy's HTML page.
    ProxyPage,
    /// `Error::Decode` of the 201 of a create whose body was cut short,
    /// quoting the start of the body, with the id of the key it created.
    CutShort,
    /// `Error::Api` with this status and error code (and, for 429, the
    /// `Retry-After` of the fault).
    Api(u16, &'static str),
    /// `Error::TokenRateLimited`, waiting the token endpoint's second.
    TokenRateLimited,
    /// `Error::TokenRejected` 401 with the token endpoint's OAuth error.
    TokenRejected,
}

/// A fault row: the faults queued before one call, and what must follow.
#[derive(Debug)]
struct FaultRow {
    scheme: Scheme,
    retries: RetryPolicy,
    /// The client's timeout, in milliseconds.
    timeout_ms: Option<u64>,
    faults: &'static [Fault],
    action: Action,
    outcome: Outcome,
    /// API requests the fake saw, the first attempt included.
    attempts: usize,
    /// Requests to the token endpoint, for service accounts.
    token_fetches: Option<usize>,
    /// Keys stored after the call (one is stored before, unless it creates).
    keys_after: Option<usize>,
    /// Faults left in the queue.
    pending_after: Option<usize>,
    /// The least time the call may take: the `Retry-After` waits it must
    /// honour, where the backoff alone would take milliseconds.
    waits_at_least: Option<Duration>,
}

const DROP: Fault = Fault::DropConnectionMidBody;
const HTML: Fault = Fault::Html502;
const THROTTLED_1S: Fault = Fault::Status(429, Some(1));
const SLOW: Fault = Fault::Delay(Duration::from_secs(1));

/// A row with no expectation beyond outcome and attempts.
fn row(
    scheme: Scheme,
    retries: RetryPolicy,
    faults: &'static [Fault],
    action: Action,
    outcome: Outcome,
    attempts: usize,
) -> FaultRow {
    FaultRow {
        scheme,
        retries,
        timeout_ms: None,
        faults,
        action,
        outcome,
        attempts,
        token_fetches: None,
        keys_after: None,
        pending_after: None,
        waits_at_least: None,
    }
}

impl FaultRow {
    fn keys(mut self, count: usize) -> Self {
        self.keys_after = Some(count);
        self
    }

    fn pending(mut self, count: usize) -> Self {
        self.pending_after = Some(count);
        self
    }

    fn tokens(mut self, count: usize) -> Self {
        self.token_fetches = Some(count);
        self
    }

    fn timeout_ms(mut self, ms: u64) -> Self {
        self.timeout_ms = Some(ms);
        self
    }

    fn waits_seconds(mut self, seconds: u64) -> Self {
        self.waits_at_least = Some(Duration::from_secs(seconds));
        self
    }
}

/// Each fault for the calls whose retry decision differs: a request is
/// retried only when repeating it cannot do harm (429 and 503 always,
/// other failures only for idempotent methods), a credential is renewed
/// once, and nothing is retried that the server has already done.
fn fault_rows() -> Vec<FaultRow> {
    use Action::*;
    use Outcome::*;
    let bearer = Scheme::Bearer;
    let (none, fast) = (RetryPolicy::none, fast_retries);
    // The default policy: its 4 attempts are exactly what a storm of three
    // 429s needs.
    let default = RetryPolicy::default;
    let at_most_2 = || fast_retries().max_attempts(2);
    let wrong_secret = Scheme::ServiceAccount {
        client_secret: "not-the-client-secret",
    };
    let wrong_key = Scheme::Digest {
        algorithm: DigestAlgorithm::Md5,
        private_key: "not-the-private-key",
    };
    #[rustfmt::skip]
    let rows = vec![
        // scheme, retries, faults, call, outcome, attempts; then what else must hold
        row(bearer, fast(), &[DROP], Get, Success(200), 2).pending(0),
        // The server did create the key: a retry would have made a second one.
        row(bearer, fast(), &[DROP], Create, Transport, 1).keys(1),
        row(bearer, none(), &[HTML], Get, ProxyPage, 1),
        row(bearer, fast(), &[HTML], Get, Success(200), 2),
        row(bearer, fast(), &[HTML], Create, ProxyPage, 1).keys(0),
        // The create was performed; the body cut before the secret (masking
        // of a cut after it is in `client::behaviour`).
        row(bearer, fast(), &[Fault::TruncatedJson], Create, CutShort, 1).keys(1),
        row(bearer, none(), &[Fault::ExtraFields], Get, Success(200), 1).pending(0),
        row(bearer, none(), &[Fault::ExtraFields], List, Success(200), 1).pending(0),
        row(bearer, default(), &[THROTTLED_1S, THROTTLED_1S, THROTTLED_1S], Get, Success(200), 4).waits_seconds(3),
        row(bearer, at_most_2(), &[THROTTLED_1S, THROTTLED_1S, THROTTLED_1S], Get, Api(429, "RATE_LIMITED"), 2).pending(1),
        // A 429 or 503 means the operation was not performed: exactly one key.
        row(bearer, fast(), &[Fault::Status(429, None)], Create, Success(201), 2).keys(1),
        row(bearer, fast(), &[Fault::Status(503, Some(1))], Create, Success(201), 2).keys(1).waits_seconds(1),
        row(bearer, fast(), &[Fault::Status(500, None)], Create, Api(500, "UNEXPECTED_ERROR"), 1).keys(0),
        row(bearer, fast(), &[Fault::Status(500, None)], Delete, Success(204), 2).keys(0),
        row(bearer, none(), &[SLOW], Get, Timeout, 1).timeout_ms(200),
        row(bearer, fast(), &[SLOW], Get, Success(200), 2).timeout_ms(200),
        // No retries: the second attempt comes from re-authentication alone.
        row(SERVICE_ACCOUNT, none(), &[Fault::ExpireTokens], Get, Success(200), 2).tokens(2),
        row(SERVICE_ACCOUNT, fast(), &[Fault::ExpireTokens, Fault::ExpireTokens], Get, Api(401, "UNAUTHORIZED"), 2).tokens(2),
        // The token endpoint is retried under the client's policy, as asking
        // again for a token does no harm; a refusal is not.
        row(SERVICE_ACCOUNT, fast(), &[Fault::TokenEndpointStatus(429)], Get, Success(200), 1).tokens(2),
        row(SERVICE_ACCOUNT, fast(), &[Fault::TokenEndpointStatus(503)], Create, Success(201), 1).tokens(2).keys(1),
        row(SERVICE_ACCOUNT, none(), &[Fault::TokenEndpointStatus(429)], Get, TokenRateLimited, 0).tokens(1),
        row(wrong_secret, fast(), &[], Get, TokenRejected, 0).tokens(1),
        // The challenge and one answer, not a loop of fresh challenges.
        row(wrong_key, fast(), &[], Get, Api(401, "UNAUTHORIZED"), 2),
    ];
    rows
}

#[tokio::test]
async fn every_fault_row_ends_as_the_row_says_after_as_many_attempts() {
    let rows = fault_rows();
    assert_eq!(rows.len(), 23);
    for row in &rows {
        // Shown with the failure, to name the row.
        println!("row: {row:?}");
        check_fault_row(row).await;
    }
}

async fn check_fault_row(row: &FaultRow) {
    let fake = row.scheme.fake().await;
    let id = match row.action {
        Action::Create => None,
        _ => Some(seed_key(&fake, "faulted")),
    };
    let mut client = builder(&fake, row.scheme.auth(), row.retries.clone());
    if let Some(ms) = row.timeout_ms {
        client = client.timeout(Some(Duration::from_millis(ms)));
    }
    let client = client.build().unwrap();
    for fault in row.faults {
        fake.push_fault(fault.clone());
    }

    let started = Instant::now();
    let result = act(&client, row.action, id.as_deref()).await;
    let elapsed = started.elapsed();

    assert_eq!(fake.request_count(), row.attempts, "attempts");
    if let Some(count) = row.token_fetches {
        assert_eq!(fake.token_request_count(), count, "token fetches");
        // A token fetched is a token used: an attempt after re-authenticating
        // carries the new one.
        let tokens: HashSet<String> = api_requests(&fake).iter().map(bearer_of).collect();
        assert_eq!(tokens.len(), count.min(row.attempts), "distinct tokens");
    }
    if let Some(count) = row.keys_after {
        assert_eq!(fake.keys(GROUP).len(), count, "keys stored");
    }
    if let Some(count) = row.pending_after {
        assert_eq!(fake.pending_faults(), count, "faults left");
    }
    if let Some(least) = row.waits_at_least {
        assert!(elapsed >= least, "Retry-After not honoured: {elapsed:?}");
    }
    check_outcome(row, &fake, &client, id.as_deref(), result).await;
}

/// Sends the row's call; a success gives its status and decoded body.
async fn act(
    client: &Client,
    action: Action,
    id: Option<&str>,
) -> Result<(u16, Option<Value>), Error<ApiError>> {
    fn json<T: serde::Serialize>(body: &T) -> Option<Value> {
        Some(serde_json::to_value(body).unwrap())
    }
    let id = id.unwrap_or_default();
    Ok(match action {
        Action::Get => {
            let key = client.get_group_ai_model_api_key(GROUP, id).await?;
            (key.status().as_u16(), json(key.body()))
        }
        Action::List => {
            let page = client.list_group_ai_model_api_keys(GROUP).await?;
            (page.status().as_u16(), json(page.body()))
        }
        Action::Create => {
            let request = create_request("faulted");
            let created = client
                .create_group_ai_model_api_key(GROUP, &request)
                .await?;
            (created.status().as_u16(), None)
        }
        Action::Delete => {
            let deleted = client.delete_group_ai_model_api_key(GROUP, id).await?;
            (deleted.status().as_u16(), None)
        }
    })
}

async fn check_outcome(
    row: &FaultRow,
    fake: &FakeAtlas,
    client: &Client,
    id: Option<&str>,
    result: Result<(u16, Option<Value>), Error<ApiError>>,
) {
    match (row.outcome, result) {
        (Outcome::Success(status), Ok((actual, body))) => {
            assert_eq!(actual, status);
            if let Some(body) = body {
                // Once the faults are gone, the same call: the same answer.
                let (_, plain) = act(client, row.action, id).await.unwrap();
                assert_eq!(
                    Some(body),
                    plain,
                    "the faulted answer decodes like the plain one"
                );
            }
        }
        (
            Outcome::Transport,
            Err(Error::Transport {
                may_have_reached_server: true,
                ..
            }),
        )
        | (Outcome::Timeout, Err(Error::Timeout(_))) => {}
        (
            Outcome::ProxyPage,
            Err(Error::UnexpectedResponse {
                status,
                headers,
                raw,
            }),
        ) => {
            assert_eq!(status.as_u16(), 502);
            assert_eq!(raw, HTML_502_BODY.as_bytes());
            assert_eq!(headers["content-type"], "text/html");
        }
        (
            Outcome::CutShort,
            Err(Error::Decode {
                status, snippet, ..
            }),
        ) => {
            assert_eq!(status.as_u16(), 201);
            assert!(snippet.starts_with(r#"{"apiKeyId":""#), "{snippet}");
            let ids = stored_ids(fake);
            assert!(snippet.contains(&ids[0]), "{snippet}");
        }
        (Outcome::Api(status, code), result) => {
            if let Err(Error::Api { headers, .. }) = &result {
                if let Some(Fault::Status(429, Some(seconds))) = row.faults.first() {
                    assert_eq!(headers["retry-after"], seconds.to_string());
                }
            }
            expect_api_error(result, status, code);
        }
        (Outcome::TokenRateLimited, Err(Error::TokenRateLimited { retry_after })) => {
            assert_eq!(retry_after, Some(Duration::from_secs(1)));
        }
        (Outcome::TokenRejected, Err(Error::TokenRejected { status, raw })) => {
            assert_eq!(status.as_u16(), 401);
            assert_eq!(raw, r#"{"error":"invalid_client"}"#.as_bytes());
        }
        (expected, actual) => panic!("expected {expected:?}, got {actual:?}"),
    }
}

/// The old nonce draws 401 `stale=true` with a fresh one, which the client
/// answers at once and then keeps using.
#[tokio::test]
async fn fault_stale_nonce_is_answered_with_the_fresh_one() {
    let fake = DIGEST_MD5.fake().await;
    let id = seed_key(&fake, "digested");
    let client = DIGEST_MD5.client(&fake, RetryPolicy::none());

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
    let client = DIGEST_MD5.client(&fake, RetryPolicy::none());

    for _ in 0..3 {
        client.get_group_ai_model_api_key(GROUP, &id).await.unwrap();
    }

    // First challenge + 3 calls + the stale answer to the third call.
    assert_eq!(fake.request_count(), 5);
}

// ---------------------------------------------------------------------------
// Envelope and paging
// ---------------------------------------------------------------------------

#[tokio::test]
async fn envelope_get_and_list_decode_like_plain_responses() {
    let fake = Scheme::Bearer.fake().await;
    let id = seed_key(&fake, "enveloped");
    seed_key(&fake, "another");
    let client = Scheme::Bearer.client(&fake, RetryPolicy::none());

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
    let fake = Scheme::Bearer.fake().await;
    let client = Scheme::Bearer.client(&fake, fast_retries());

    let result = client
        .get_group_ai_model_api_key(GROUP, MISSING_KEY_ID)
        .envelope(true)
        .await;

    expect_api_error(result, 404, "RESOURCE_NOT_FOUND");
    assert_eq!(fake.request_count(), 1);
}

#[tokio::test]
async fn paging_stream_yields_every_key_in_three_pages() {
    let fake = Scheme::Bearer.fake().await;
    for n in 0..7 {
        seed_key(&fake, &format!("key {n}"));
    }
    let client = Scheme::Bearer.client(&fake, RetryPolicy::none());

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
    let fake = Scheme::Bearer.fake().await;
    let client = Scheme::Bearer.client(&fake, RetryPolicy::none());

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
    let client = Scheme::Bearer.client(&fake, fast_retries());

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
