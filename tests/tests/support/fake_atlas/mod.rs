//! A stateful, in-memory fake of the seven MongoDB Atlas "AI Model API Keys"
//! endpoints under `/api/atlas/v2`, in both their versions (stable
//! `2025-03-12` and preview, chosen by media type), plus the service-account OAuth
//! token endpoint `/api/oauth/token`, served by axum on a loopback port.
//!
//! Unlike `wiremock` stubs, the fake keeps keys between requests, so a test
//! can create, page through, rename and delete keys and observe the effects.
//! It really enforces what the real service enforces and a client can get
//! wrong, so a client that passes against it has done the work:
//!
//! - authentication, per instance ([`AuthMode`]): a static bearer token;
//!   service-account OAuth tokens that expire; or HTTP Digest (RFC 7616,
//!   `qop=auth`) with nonces that expire and are then answered `stale=true`;
//! - a versioned `Accept` on every API request (`406` otherwise, `410`
//!   `VERSION_GONE` for a version configured as retired), the same media
//!   type as `Content-Type` of `POST` and `PATCH` bodies, and each version's
//!   body shape (stable creates need `cloud` and `geography`; preview ones
//!   take only `name`);
//! - the format of group and organization ids, page bounds and name lengths.
//!
//! One-shot [`Fault`]s make the next requests fail the ways networks,
//! proxies and overloaded services do (dropped connection, HTML error page,
//! truncated or extended JSON, error status with `Retry-After`, delay,
//! credentials expired behind the client's back). Every request is recorded.
//!
//! Auth failures are never enveloped (`envelope=true`) and are answered
//! before any fault but [`Fault::ExpireTokens`] and [`Fault::StaleNonce`]:
//! the other faults wait for the first request that authenticates, so a
//! digest client's unauthenticated first request does not swallow them.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use base64::Engine as _;
use chrono::{DateTime, SecondsFormat, Utc};
use digest_auth::{AlgorithmType, AuthContext, AuthorizationHeader, HttpMethod, Qop};
use futures_util::StreamExt as _;
use serde_json::{Map, Value, json};

mod tests;

/// Media type of the preview version's request and success bodies.
pub const PREVIEW_MEDIA_TYPE: &str = "application/vnd.atlas.preview+json";
/// Media type of the stable version's request and success bodies.
pub const STABLE_MEDIA_TYPE: &str = "application/vnd.atlas.2025-03-12+json";
/// `endpoint` of every key in the stable version.
pub const KEY_ENDPOINT: &str = "ai.mongodb.com";

/// A version of the endpoints, as a request's `Accept` picks it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiVersion {
    /// `2025-03-12`: keys have `cloud`, `geography` and `endpoint`.
    Stable,
    /// `preview`: keys have a name only.
    Preview,
}

impl ApiVersion {
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Stable => STABLE_MEDIA_TYPE,
            Self::Preview => PREVIEW_MEDIA_TYPE,
        }
    }
}
/// Media type of error bodies.
pub const ERROR_MEDIA_TYPE: &str = "application/json";
/// Realm of the digest challenge, as sent by Atlas.
pub const DIGEST_REALM: &str = "MMS Public API";
/// Path of the service-account token endpoint.
pub const TOKEN_PATH: &str = "/api/oauth/token";
/// Prefix of every API path.
pub const API_PREFIX: &str = "/api/atlas/v2/";
/// Value of `RateLimit-Limit`; `RateLimit-Remaining` counts down from it
/// and starts over, so it never blocks a test that makes many requests.
pub const RATE_LIMIT: u64 = 100;
/// Token of [`FakeConfig::default`].
pub const DEFAULT_BEARER_TOKEN: &str = "fake-atlas-bearer-token";
/// Field that [`Fault::ExtraFields`] adds at the top level of a body.
pub const EXTRA_TOP_LEVEL_FIELD: &str = "unexpectedTopLevelField";
/// Field that [`Fault::ExtraFields`] adds inside every key.
pub const EXTRA_KEY_FIELD: &str = "unexpectedKeyField";
/// Body of [`Fault::Html502`].
pub const HTML_502_BODY: &str = "<html><body><h1>502 Bad Gateway</h1></body></html>";

const MAX_BODY_BYTES: usize = 1 << 20;
const MAX_NAME_CHARS: usize = 250;
const DEFAULT_ITEMS_PER_PAGE: u64 = 100;
const MAX_ITEMS_PER_PAGE: u64 = 500;
const LOWER_ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// How API requests must authenticate.
#[derive(Clone, Debug)]
pub enum AuthMode {
    /// `Authorization: Bearer <token>` with exactly this token.
    Bearer(String),
    /// Bearer tokens issued by `POST /api/oauth/token` to a client
    /// authenticating with HTTP Basic `client_id:client_secret`; each token
    /// expires `token_ttl` after it is issued.
    ServiceAccount {
        client_id: String,
        client_secret: String,
        token_ttl: Duration,
    },
    /// HTTP Digest with username `public_key` and password `private_key`.
    Digest {
        public_key: String,
        private_key: String,
        algorithm: DigestAlgorithm,
    },
}

impl AuthMode {
    pub fn bearer(token: impl Into<String>) -> Self {
        Self::Bearer(token.into())
    }

    pub fn service_account(
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        token_ttl: Duration,
    ) -> Self {
        Self::ServiceAccount {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            token_ttl,
        }
    }

    pub fn digest(
        public_key: impl Into<String>,
        private_key: impl Into<String>,
        algorithm: DigestAlgorithm,
    ) -> Self {
        Self::Digest {
            public_key: public_key.into(),
            private_key: private_key.into(),
            algorithm,
        }
    }
}

/// Hash algorithm the digest challenge asks for; a response computed with
/// another one is rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DigestAlgorithm {
    Md5,
    Sha256,
}

impl DigestAlgorithm {
    /// The name in `algorithm=` of the challenge.
    pub fn name(self) -> &'static str {
        match self {
            Self::Md5 => "MD5",
            Self::Sha256 => "SHA-256",
        }
    }

    fn as_digest_auth(self) -> digest_auth::Algorithm {
        let algo = match self {
            Self::Md5 => AlgorithmType::MD5,
            Self::Sha256 => AlgorithmType::SHA2_256,
        };
        digest_auth::Algorithm::new(algo, false)
    }
}

/// Configuration of one fake server.
#[derive(Clone, Debug)]
pub struct FakeConfig {
    pub auth: AuthMode,
    /// Organizations and the groups they contain; the organization endpoints
    /// answer 404 for any organization not listed here.
    pub orgs: Vec<(String, Vec<String>)>,
    /// How many authorized requests one digest nonce serves; the next request
    /// with it gets `401` with `stale=true` and a fresh nonce.
    pub nonce_max_uses: u32,
    /// Versions past their sunset: answered `410` `VERSION_GONE`.
    pub retired_versions: Vec<ApiVersion>,
}

impl FakeConfig {
    pub fn new(auth: AuthMode) -> Self {
        Self {
            auth,
            orgs: Vec::new(),
            nonce_max_uses: 1000,
            retired_versions: Vec::new(),
        }
    }

    pub fn bearer(token: impl Into<String>) -> Self {
        Self::new(AuthMode::bearer(token))
    }

    pub fn service_account(
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        token_ttl: Duration,
    ) -> Self {
        Self::new(AuthMode::service_account(
            client_id,
            client_secret,
            token_ttl,
        ))
    }

    pub fn digest(
        public_key: impl Into<String>,
        private_key: impl Into<String>,
        algorithm: DigestAlgorithm,
    ) -> Self {
        Self::new(AuthMode::digest(public_key, private_key, algorithm))
    }

    /// Adds an organization containing `group_ids`.
    pub fn with_org<G: Into<String>>(
        mut self,
        org_id: impl Into<String>,
        group_ids: impl IntoIterator<Item = G>,
    ) -> Self {
        self.orgs.push((
            org_id.into(),
            group_ids.into_iter().map(Into::into).collect(),
        ));
        self
    }

    /// Answers requests for `version` with `410` `VERSION_GONE`.
    pub fn with_retired_version(mut self, version: ApiVersion) -> Self {
        self.retired_versions.push(version);
        self
    }

    pub fn with_nonce_max_uses(mut self, uses: u32) -> Self {
        self.nonce_max_uses = uses;
        self
    }
}

impl Default for FakeConfig {
    /// Bearer authentication with [`DEFAULT_BEARER_TOKEN`] and no
    /// organizations.
    fn default() -> Self {
        Self::bearer(DEFAULT_BEARER_TOKEN)
    }
}

/// A one-shot failure, queued with [`FakeAtlas::push_fault`].
///
/// Each API request consumes at most one fault, from the front of the queue.
/// [`Fault::ExpireTokens`] and [`Fault::StaleNonce`] are consumed by the next
/// API request whatever it carries; the others by the next API request that
/// authenticates. [`Fault::TokenEndpointStatus`] has a queue of its own,
/// consumed by token requests only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// The real status, headers and first half of the real body (with a
    /// `Content-Length` of the whole), then the connection is aborted.
    DropConnectionMidBody,
    /// `502` with a `text/html` proxy page ([`HTML_502_BODY`]); the operation
    /// is not performed.
    Html502,
    /// The real status and headers, with the real body cut in half; the
    /// operation is performed.
    TruncatedJson,
    /// The real response with unknown fields ([`EXTRA_TOP_LEVEL_FIELD`],
    /// [`EXTRA_KEY_FIELD`]) at the top level and inside every key.
    ExtraFields,
    /// This status with an `ApiError` body (`429` `RATE_LIMITED`, `503`
    /// `SERVICE_UNAVAILABLE`, `500` `UNEXPECTED_ERROR`, ...) and, if given,
    /// `Retry-After: <seconds>`; the operation is not performed.
    Status(u16, Option<u64>),
    /// Waits this long, then answers normally.
    Delay(Duration),
    /// Invalidates every issued OAuth token before authenticating the request.
    ExpireTokens,
    /// Marks every digest nonce expired before authenticating the request.
    StaleNonce,
    /// The next token request is answered with this status and an OAuth error
    /// body (`Retry-After: 1` with `429` and `503`), without checking it.
    TokenEndpointStatus(u16),
}

impl Fault {
    fn applies_before_auth(&self) -> bool {
        matches!(self, Self::ExpireTokens | Self::StaleNonce)
    }
}

/// One request as the fake received it, token requests included.
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    pub method: Method,
    pub path: String,
    /// The raw query string, without `?`.
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl RecordedRequest {
    /// The first value of header `name`, if it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn body_json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    pub fn is_token_request(&self) -> bool {
        self.path == TOKEN_PATH
    }
}

/// A running fake; the server stops when this is dropped.
pub struct FakeAtlas {
    shared: Arc<Shared>,
    server: tokio::task::JoinHandle<()>,
}

impl FakeAtlas {
    /// Binds `127.0.0.1:0` and serves on the current tokio runtime.
    pub async fn start(config: FakeConfig) -> FakeAtlas {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port for the fake Atlas");
        let addr = listener
            .local_addr()
            .expect("local address of the listener");
        let shared = Arc::new(Shared {
            config,
            base_url: format!("http://{addr}"),
            state: Mutex::default(),
        });
        let app = Router::new().fallback(handle).with_state(shared.clone());
        let server = tokio::spawn(async move {
            axum::serve(listener, app)
                .await
                .expect("the fake Atlas server failed");
        });
        FakeAtlas { shared, server }
    }

    /// `http://127.0.0.1:<port>`, without a trailing slash.
    pub fn base_url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// Queues `fault`.
    ///
    /// # Panics
    ///
    /// Here, in the test, rather than later in the server (where the client
    /// would only see a dropped connection) if the fault's status is not a
    /// valid HTTP status.
    pub fn push_fault(&self, fault: Fault) {
        if let Fault::Status(status, _) | Fault::TokenEndpointStatus(status) = fault {
            assert!(
                StatusCode::from_u16(status).is_ok(),
                "{fault:?}: {status} is not an HTTP status"
            );
        }
        let mut state = self.shared.lock();
        match fault {
            Fault::TokenEndpointStatus(status) => state.token_faults.push_back(status),
            fault => state.faults.push_back(fault),
        }
    }

    /// Faults (of either queue) not consumed yet.
    pub fn pending_faults(&self) -> usize {
        let state = self.shared.lock();
        state.faults.len() + state.token_faults.len()
    }

    /// API requests received, including those answered by a fault or an
    /// auth challenge; token requests excluded.
    pub fn request_count(&self) -> usize {
        self.shared.lock().api_requests
    }

    /// Requests received by the token endpoint, whatever their outcome.
    pub fn token_request_count(&self) -> usize {
        self.shared.lock().token_requests
    }

    /// Every request received so far, token requests included, in order.
    pub fn recorded_requests(&self) -> Vec<RecordedRequest> {
        self.shared.lock().requests.clone()
    }

    /// Stores a new key in `group_id` as a create request would and returns
    /// it as the create response does (with `secret`).
    pub fn insert_key(&self, group_id: &str, name: &str) -> Value {
        assert!(
            is_object_id(group_id),
            "not a 24-hex-digit group id: {group_id:?}"
        );
        let mut state = self.shared.lock();
        state
            .insert_key(group_id, name, "fake-atlas-seed")
            .json(true, ApiVersion::Stable)
    }

    /// The keys of `group_id` as a stable get request returns them (without
    /// `secret`), in creation order.
    pub fn keys(&self, group_id: &str) -> Vec<Value> {
        self.keys_in(group_id, ApiVersion::Stable)
    }

    /// The keys of `group_id` as a get request of `version` returns them.
    pub fn keys_in(&self, group_id: &str, version: ApiVersion) -> Vec<Value> {
        let state = self.shared.lock();
        state
            .keys
            .iter()
            .filter(|k| k.group_id == group_id)
            .map(|k| k.json(false, version))
            .collect()
    }
}

impl Drop for FakeAtlas {
    fn drop(&mut self) {
        self.server.abort();
    }
}

struct Shared {
    config: FakeConfig,
    base_url: String,
    state: Mutex<ServerState>,
}

impl Shared {
    /// A test that panicked while holding the lock must not turn every later
    /// request of the same fake into a second, confusing panic.
    fn lock(&self) -> MutexGuard<'_, ServerState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn take_fault(&self, before_auth: bool) -> Option<Fault> {
        let mut state = self.lock();
        let front = state.faults.front()?;
        if front.applies_before_auth() == before_auth {
            state.faults.pop_front()
        } else {
            None
        }
    }
}

#[derive(Default)]
struct ServerState {
    keys: Vec<StoredKey>,
    faults: VecDeque<Fault>,
    token_faults: VecDeque<u16>,
    /// Issued OAuth tokens and when they expire.
    tokens: HashMap<String, Instant>,
    /// Issued digest nonces and how many more requests each may serve.
    nonces: HashMap<String, u32>,
    requests: Vec<RecordedRequest>,
    api_requests: usize,
    token_requests: usize,
}

impl ServerState {
    fn insert_key(&mut self, group_id: &str, name: &str, created_by: &str) -> &StoredKey {
        let id = loop {
            let id = random_string(24, LOWER_ALNUM);
            if self.keys.iter().all(|k| k.id != id) {
                break id;
            }
        };
        self.keys.push(StoredKey {
            id,
            group_id: group_id.to_owned(),
            name: name.to_owned(),
            secret: format!("al-{}", random_string(43, ALNUM)),
            created_at: now_rfc3339(),
            created_by: created_by.to_owned(),
            last_used_at: None,
            // Preview keys are scoped to any cloud and geography too.
            cloud: "ANY".to_owned(),
            geography: "ANY".to_owned(),
        });
        self.keys.last().expect("just pushed")
    }

    fn expire_nonces(&mut self) {
        self.nonces
            .values_mut()
            .for_each(|uses_left| *uses_left = 0);
    }
}

struct StoredKey {
    id: String,
    group_id: String,
    name: String,
    secret: String,
    created_at: String,
    created_by: String,
    last_used_at: Option<String>,
    cloud: String,
    geography: String,
}

impl StoredKey {
    fn json(&self, with_secret: bool, version: ApiVersion) -> Value {
        let last4 = &self.secret[self.secret.len() - 4..];
        let mut key = json!({
            "apiKeyId": self.id,
            "createdAt": self.created_at,
            "createdBy": self.created_by,
            "groupId": self.group_id,
            "lastUsedAt": self.last_used_at,
            "maskedSecret": format!("al-****{last4}"),
            "name": self.name,
            "status": "ACTIVE",
        });
        if with_secret {
            key["secret"] = json!(self.secret);
        }
        if version == ApiVersion::Stable {
            key["cloud"] = json!(self.cloud);
            key["geography"] = json!(self.geography);
            key["endpoint"] = json!(KEY_ENDPOINT);
        }
        key
    }
}

async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, MAX_BODY_BYTES).await.ok();
    shared.lock().requests.push(RecordedRequest {
        method: parts.method.clone(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts.headers.clone(),
        body: body.clone().unwrap_or_default(),
    });
    if parts.uri.path() == TOKEN_PATH {
        shared.lock().token_requests += 1;
        return token_endpoint(&shared, &parts, &body.unwrap_or_default());
    }

    let remaining = {
        let mut state = shared.lock();
        state.api_requests += 1;
        RATE_LIMIT - 1 - (state.api_requests as u64 - 1) % RATE_LIMIT
    };
    let mut response = match body {
        Some(body) => api_request(&shared, &parts, &body).await,
        None => plain_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "The request body is too large.",
        ),
    };
    let headers = response.headers_mut();
    headers.insert("ratelimit-limit", HeaderValue::from(RATE_LIMIT));
    headers.insert("ratelimit-remaining", HeaderValue::from(remaining));
    response
}

async fn api_request(shared: &Shared, parts: &Parts, body: &Bytes) -> Response {
    let early_fault = shared.take_fault(true);
    match early_fault {
        Some(Fault::ExpireTokens) => shared.lock().tokens.clear(),
        Some(Fault::StaleNonce) => shared.lock().expire_nonces(),
        _ => {}
    }
    let caller = match authenticate(shared, parts) {
        Ok(caller) => caller,
        Err(failure) => return failure.into_response(shared),
    };
    let fault = match early_fault {
        Some(_) => None,
        None => shared.take_fault(false),
    };
    match fault {
        Some(Fault::Html502) => {
            return Response::builder()
                .status(StatusCode::BAD_GATEWAY)
                .header(header::CONTENT_TYPE, "text/html")
                .body(Body::from(HTML_502_BODY))
                .expect("valid response");
        }
        Some(Fault::Status(status, retry_after)) => {
            let status = StatusCode::from_u16(status).expect("checked by push_fault");
            let mut response = plain_error(status, "Injected by Fault::Status.");
            if let Some(seconds) = retry_after {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            }
            return response;
        }
        Some(Fault::Delay(delay)) => tokio::time::sleep(delay).await,
        _ => {}
    }

    let query = Query::parse(parts.uri.query());
    let mut reply = route(shared, parts, body, &query, &caller);
    if fault == Some(Fault::ExtraFields) {
        if let Some(body) = &mut reply.body {
            add_extra_fields(body);
        }
    }
    let envelope = query.flag("envelope");
    let (status, content_type, mut bytes) = reply.render(envelope, query.flag("pretty"));
    if fault == Some(Fault::TruncatedJson) {
        bytes.truncate(bytes.len() / 2);
    }
    let builder = Response::builder().status(status);
    let builder = match content_type {
        Some(content_type) => builder.header(header::CONTENT_TYPE, content_type),
        None => builder,
    };
    if fault == Some(Fault::DropConnectionMidBody) {
        return builder
            .header(header::CONTENT_LENGTH, bytes.len())
            .body(dropping_body(bytes))
            .expect("valid response");
    }
    builder.body(Body::from(bytes)).expect("valid response")
}

/// Yields the first half of `bytes`, then fails, which makes hyper abort the
/// connection. The pause lets the first half reach the client first, so it
/// sees a response cut mid-body rather than no response.
fn dropping_body(bytes: Vec<u8>) -> Body {
    let half = bytes.len() / 2;
    let first = Bytes::from(bytes).slice(..half);
    let abort = async {
        tokio::time::sleep(Duration::from_millis(50)).await;
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "Fault::DropConnectionMidBody",
        ))
    };
    let chunks = futures_util::stream::iter([Ok(first)]).chain(futures_util::stream::once(abort));
    Body::from_stream(chunks)
}

/// Who made an authenticated request; becomes `createdBy` of new keys.
type Caller = String;

/// Why a request did not authenticate.
enum AuthFailure {
    /// A bearer or OAuth token missing or not valid.
    Token(&'static str),
    /// Digest credentials missing or not valid; answered with a fresh nonce.
    Digest { stale: bool },
}

impl AuthFailure {
    fn into_response(self, shared: &Shared) -> Response {
        match (self, &shared.config.auth) {
            (Self::Digest { stale }, AuthMode::Digest { algorithm, .. }) => {
                digest_challenge(shared, *algorithm, stale)
            }
            (Self::Token(detail), _) => unauthorized(detail),
            (Self::Digest { .. }, _) => unreachable!("digest failures need digest auth"),
        }
    }
}

fn authenticate(shared: &Shared, parts: &Parts) -> Result<Caller, AuthFailure> {
    match &shared.config.auth {
        AuthMode::Bearer(token) => match bearer_token(&parts.headers) {
            Some(given) if given == token => Ok("Bearer Token User".to_owned()),
            Some(_) => Err(AuthFailure::Token("The bearer token is not valid.")),
            None => Err(AuthFailure::Token("The request carries no bearer token.")),
        },
        AuthMode::ServiceAccount { client_id, .. } => {
            let Some(given) = bearer_token(&parts.headers) else {
                return Err(AuthFailure::Token("The request carries no bearer token."));
            };
            let state = shared.lock();
            match state.tokens.get(given) {
                Some(expiry) if Instant::now() < *expiry => Ok(client_id.clone()),
                Some(_) => Err(AuthFailure::Token("The access token has expired.")),
                None => Err(AuthFailure::Token("The access token is not valid.")),
            }
        }
        AuthMode::Digest {
            public_key,
            private_key,
            algorithm,
        } => check_digest(shared, parts, public_key, private_key, *algorithm),
    }
}

fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("Bearer").then(|| token.trim())
}

fn check_digest(
    shared: &Shared,
    parts: &Parts,
    public_key: &str,
    private_key: &str,
    algorithm: DigestAlgorithm,
) -> Result<Caller, AuthFailure> {
    let reject = |stale| Err(AuthFailure::Digest { stale });
    let Some(credentials) = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("Digest"))
        .map(|(_, credentials)| credentials)
    else {
        return reject(false);
    };
    let Ok(given) = AuthorizationHeader::parse(credentials) else {
        return reject(false);
    };
    // The digest covers the request-target; one computed for another URI
    // (e.g. without the query) must fail as it would against Atlas.
    let uri = parts.uri.path_and_query().map_or("/", |pq| pq.as_str());
    if given.username != public_key
        || given.realm != DIGEST_REALM
        || given.algorithm != algorithm.as_digest_auth()
        || given.qop != Some(Qop::AUTH)
        || given.cnonce.is_none()
        || given.userhash
        || given.uri != uri
    {
        return reject(false);
    }
    let mut expected = given.clone();
    expected.digest(&AuthContext::new_with_method(
        public_key,
        private_key,
        uri,
        None::<&[u8]>,
        HttpMethod::from(parts.method.as_str()),
    ));
    if !expected.response.eq_ignore_ascii_case(&given.response) {
        return reject(false);
    }
    match shared.lock().nonces.get_mut(&given.nonce) {
        None => reject(false),
        Some(0) => reject(true),
        Some(uses_left) => {
            *uses_left -= 1;
            Ok(public_key.to_owned())
        }
    }
}

fn digest_challenge(shared: &Shared, algorithm: DigestAlgorithm, stale: bool) -> Response {
    let nonce = random_string(32, ALNUM);
    shared
        .lock()
        .nonces
        .insert(nonce.clone(), shared.config.nonce_max_uses);
    let challenge = format!(
        r#"Digest realm="{DIGEST_REALM}", domain="", nonce="{nonce}", algorithm={}, qop="auth", stale={stale}"#,
        algorithm.name()
    );
    let mut response = unauthorized(if stale {
        "The digest nonce has expired."
    } else {
        "The request carries no valid digest credentials."
    });
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_str(&challenge).expect("challenge is ASCII"),
    );
    response
}

fn unauthorized(detail: &str) -> Response {
    plain_error(StatusCode::UNAUTHORIZED, detail)
}

/// An error response outside any envelope (auth, faults).
fn plain_error(status: StatusCode, detail: &str) -> Response {
    let body = error_body(status, default_error_code(status), detail);
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, ERROR_MEDIA_TYPE)
        .body(Body::from(body.to_string()))
        .expect("valid response")
}

fn default_error_code(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "VALIDATION_ERROR",
        401 => "UNAUTHORIZED",
        403 => "FORBIDDEN",
        404 => "RESOURCE_NOT_FOUND",
        405 => "METHOD_NOT_ALLOWED",
        406 => "INVALID_VERSION_OR_MEDIA_TYPE",
        409 => "CONFLICT",
        413 => "PAYLOAD_TOO_LARGE",
        429 => "RATE_LIMITED",
        502 => "BAD_GATEWAY",
        503 => "SERVICE_UNAVAILABLE",
        504 => "GATEWAY_TIMEOUT",
        _ => "UNEXPECTED_ERROR",
    }
}

fn error_body(status: StatusCode, error_code: &str, detail: &str) -> Value {
    json!({
        "detail": detail,
        "error": status.as_u16(),
        "errorCode": error_code,
        "parameters": [],
        "reason": status.canonical_reason().unwrap_or("Error"),
    })
}

fn token_endpoint(shared: &Shared, parts: &Parts, body: &[u8]) -> Response {
    if let Some(status) = shared.lock().token_faults.pop_front() {
        let status = StatusCode::from_u16(status).expect("checked by push_fault");
        let error = match status.as_u16() {
            400 => "invalid_request",
            401 => "invalid_client",
            _ => "temporarily_unavailable",
        };
        let mut response = oauth_error(status, error);
        if matches!(status.as_u16(), 429 | 503) {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(1u64));
        }
        return response;
    }
    let AuthMode::ServiceAccount {
        client_id,
        client_secret,
        token_ttl,
    } = &shared.config.auth
    else {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client");
    };
    if parts.method != Method::POST {
        return oauth_error(StatusCode::METHOD_NOT_ALLOWED, "invalid_request");
    }
    if basic_credentials(&parts.headers).as_ref()
        != Some(&(client_id.clone(), client_secret.clone()))
    {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client");
    }
    if !has_media_type(
        &parts.headers,
        header::CONTENT_TYPE,
        "application/x-www-form-urlencoded",
    ) {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_request");
    }
    let grant_types: Vec<_> = form_urlencoded::parse(body)
        .filter(|(name, _)| name == "grant_type")
        .map(|(_, value)| value.into_owned())
        .collect();
    if grant_types != ["client_credentials"] {
        return oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type");
    }
    let token = random_string(48, ALNUM);
    shared
        .lock()
        .tokens
        .insert(token.clone(), Instant::now() + *token_ttl);
    let body = json!({
        "access_token": token,
        "expires_in": token_ttl.as_secs(),
        "token_type": "Bearer",
    });
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CACHE_CONTROL, "no-store")
        .body(Body::from(body.to_string()))
        .expect("valid response")
}

fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("Basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let (id, secret) = std::str::from_utf8(&decoded).ok()?.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

fn oauth_error(status: StatusCode, error: &str) -> Response {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(json!({ "error": error }).to_string()))
        .expect("valid response")
}

/// Whether one of the values of header `name` is the media type `expected`,
/// parameters aside.
fn has_media_type(headers: &HeaderMap, name: header::HeaderName, expected: &str) -> bool {
    headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|media| {
            let essence = media.split(';').next().unwrap_or("").trim();
            essence.eq_ignore_ascii_case(expected)
        })
}

struct Query(Vec<(String, String)>);

impl Query {
    fn parse(query: Option<&str>) -> Self {
        let pairs = form_urlencoded::parse(query.unwrap_or("").as_bytes());
        Self(
            pairs
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn flag(&self, name: &str) -> bool {
        self.get(name) == Some("true")
    }

    /// A positive integer parameter, `default` when absent.
    fn bounded(&self, name: &str, default: u64, max: u64) -> Result<u64, Reply> {
        let Some(value) = self.get(name) else {
            return Ok(default);
        };
        value
            .parse::<u64>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| {
                Reply::error(
                    StatusCode::BAD_REQUEST,
                    format!(
                        "Query parameter {name} must be an integer in 1..={max}, got {value:?}."
                    ),
                )
            })
    }
}

/// The outcome of an operation, before envelope, pretty-printing and faults.
struct Reply {
    status: StatusCode,
    body: Option<Value>,
    /// Lists get `status` added at their top level by `envelope=true`;
    /// everything else is wrapped.
    is_list: bool,
    /// Media type of a success body: the version's.
    media_type: &'static str,
}

impl Reply {
    fn ok(status: StatusCode, body: Value) -> Self {
        Self {
            status,
            body: Some(body),
            is_list: false,
            media_type: PREVIEW_MEDIA_TYPE,
        }
    }

    fn list(body: Value) -> Self {
        Self {
            status: StatusCode::OK,
            body: Some(body),
            is_list: true,
            media_type: PREVIEW_MEDIA_TYPE,
        }
    }

    fn no_content() -> Self {
        Self {
            status: StatusCode::NO_CONTENT,
            body: None,
            is_list: false,
            media_type: PREVIEW_MEDIA_TYPE,
        }
    }

    fn error(status: StatusCode, detail: impl AsRef<str>) -> Self {
        Self::error_with_code(status, default_error_code(status), detail)
    }

    fn error_with_code(status: StatusCode, code: &str, detail: impl AsRef<str>) -> Self {
        Self::ok(status, error_body(status, code, detail.as_ref()))
    }

    fn not_found(detail: impl AsRef<str>) -> Self {
        Self::error(StatusCode::NOT_FOUND, detail)
    }

    fn is_error(&self) -> bool {
        self.status.is_client_error() || self.status.is_server_error()
    }

    /// Status, content type and body bytes.
    fn render(self, envelope: bool, pretty: bool) -> (StatusCode, Option<&'static str>, Vec<u8>) {
        let content_type = if self.is_error() {
            ERROR_MEDIA_TYPE
        } else {
            self.media_type
        };
        let (status, body) = if envelope {
            let code = self.status.as_u16();
            let body = match self.body {
                Some(Value::Object(mut list)) if self.is_list => {
                    list.insert("status".to_owned(), json!(code));
                    Value::Object(list)
                }
                Some(body) => json!({ "status": code, "content": body }),
                None => json!({ "status": code, "content": {} }),
            };
            (StatusCode::OK, Some(body))
        } else {
            (self.status, self.body)
        };
        match body {
            None => (status, None, Vec::new()),
            Some(body) => {
                let bytes = if pretty {
                    serde_json::to_vec_pretty(&body)
                } else {
                    serde_json::to_vec(&body)
                };
                (
                    status,
                    Some(content_type),
                    bytes.expect("JSON values serialize"),
                )
            }
        }
    }
}

fn route(shared: &Shared, parts: &Parts, body: &[u8], query: &Query, caller: &str) -> Reply {
    let accepts =
        |version: ApiVersion| has_media_type(&parts.headers, header::ACCEPT, version.media_type());
    let Some(version) = [ApiVersion::Stable, ApiVersion::Preview]
        .into_iter()
        .find(|version| accepts(*version))
    else {
        return Reply::error(
            StatusCode::NOT_ACCEPTABLE,
            format!("The request must accept {STABLE_MEDIA_TYPE} or {PREVIEW_MEDIA_TYPE}."),
        );
    };
    if shared.config.retired_versions.contains(&version) {
        return Reply::error_with_code(
            StatusCode::GONE,
            "VERSION_GONE",
            format!("The API version {} has been retired.", version.media_type()),
        );
    }
    let mut reply = route_version(shared, parts, body, query, caller, version);
    reply.media_type = version.media_type();
    reply
}

fn route_version(
    shared: &Shared,
    parts: &Parts,
    body: &[u8],
    query: &Query,
    caller: &str,
    version: ApiVersion,
) -> Reply {
    let path = parts.uri.path();
    let Some(rest) = path.strip_prefix(API_PREFIX) else {
        return Reply::not_found(format!("No resource at {path}."));
    };
    let segments: Vec<&str> = rest.split('/').collect();
    let method = &parts.method;
    let ops = Ops {
        shared,
        version,
        self_href: format!(
            "{}{}",
            shared.base_url,
            parts.uri.path_and_query().map_or(path, |pq| pq.as_str())
        ),
    };
    match segments.as_slice() {
        ["groups", group, "aiModelApiKeys"] => match *method {
            Method::GET => ops.list(&[*group], group, query, false),
            Method::POST => ops.create(group, parts, body, caller),
            _ => method_not_allowed(method, path),
        },
        ["groups", group, "aiModelApiKeys", key] => match *method {
            Method::GET => ops.get(&[*group], group, key, false),
            Method::PATCH => ops.update(group, key, parts, body),
            Method::DELETE => ops.delete(group, key),
            _ => method_not_allowed(method, path),
        },
        ["orgs", org, "aiModelApiKeys"] => match *method {
            Method::GET => match shared.org_groups(org) {
                Ok(groups) => ops.list(&groups, org, query, true),
                Err(reply) => reply,
            },
            _ => method_not_allowed(method, path),
        },
        ["orgs", org, "aiModelApiKeys", key] => match *method {
            Method::GET => match shared.org_groups(org) {
                Ok(groups) => ops.get(&groups, org, key, true),
                Err(reply) => reply,
            },
            _ => method_not_allowed(method, path),
        },
        _ => Reply::not_found(format!("No resource at {path}.")),
    }
}

fn method_not_allowed(method: &Method, path: &str) -> Reply {
    Reply::error(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("{method} is not allowed on {path}."),
    )
}

impl Shared {
    /// The groups of a configured organization.
    fn org_groups(&self, org: &str) -> Result<Vec<&str>, Reply> {
        check_object_id("orgId", org)?;
        self.config
            .orgs
            .iter()
            .find(|(id, _)| id == org)
            .map(|(_, groups)| groups.iter().map(String::as_str).collect())
            .ok_or_else(|| Reply::not_found(format!("No organization with id {org}.")))
    }
}

struct Ops<'a> {
    shared: &'a Shared,
    version: ApiVersion,
    self_href: String,
}

impl Ops<'_> {
    fn list(&self, groups: &[&str], owner: &str, query: &Query, org: bool) -> Reply {
        if !org {
            if let Err(reply) = check_object_id("groupId", owner) {
                return reply;
            }
        }
        let (items_per_page, page_num) = match (
            query.bounded("itemsPerPage", DEFAULT_ITEMS_PER_PAGE, MAX_ITEMS_PER_PAGE),
            query.bounded("pageNum", 1, i32::MAX as u64),
        ) {
            (Ok(items), Ok(page)) => (items as usize, page as usize),
            (Err(reply), _) | (_, Err(reply)) => return reply,
        };
        let state = self.shared.lock();
        let keys: Vec<&StoredKey> = state
            .keys
            .iter()
            .filter(|k| groups.contains(&k.group_id.as_str()))
            .collect();
        let results: Vec<Value> = keys
            .iter()
            .skip((page_num - 1).saturating_mul(items_per_page))
            .take(items_per_page)
            .map(|k| k.json(false, self.version))
            .collect();
        Reply::list(json!({
            "links": [{ "href": self.self_href, "rel": "self" }],
            "results": results,
            "totalCount": keys.len(),
        }))
    }

    fn get(&self, groups: &[&str], owner: &str, key_id: &str, org: bool) -> Reply {
        if !org {
            if let Err(reply) = check_object_id("groupId", owner) {
                return reply;
            }
        }
        let state = self.shared.lock();
        match state
            .keys
            .iter()
            .find(|k| k.id == key_id && groups.contains(&k.group_id.as_str()))
        {
            Some(key) => Reply::ok(StatusCode::OK, key.json(false, self.version)),
            None => key_not_found(key_id),
        }
    }

    fn create(&self, group: &str, parts: &Parts, body: &[u8], caller: &str) -> Reply {
        let scoped = self.version == ApiVersion::Stable;
        let name = match check_object_id("groupId", group)
            .and_then(|()| name_of(parts, body, self.version, scoped))
        {
            Ok(name) => name,
            Err(reply) => return reply,
        };
        let mut state = self.shared.lock();
        Reply::ok(
            StatusCode::CREATED,
            state
                .insert_key(group, &name, caller)
                .json(true, self.version),
        )
    }

    fn update(&self, group: &str, key_id: &str, parts: &Parts, body: &[u8]) -> Reply {
        let name = match check_object_id("groupId", group)
            .and_then(|()| name_of(parts, body, self.version, false))
        {
            Ok(name) => name,
            Err(reply) => return reply,
        };
        let mut state = self.shared.lock();
        match state
            .keys
            .iter_mut()
            .find(|k| k.id == key_id && k.group_id == group)
        {
            Some(key) => {
                key.name = name;
                Reply::ok(StatusCode::OK, key.json(false, self.version))
            }
            None => key_not_found(key_id),
        }
    }

    fn delete(&self, group: &str, key_id: &str) -> Reply {
        if let Err(reply) = check_object_id("groupId", group) {
            return reply;
        }
        let mut state = self.shared.lock();
        let before = state.keys.len();
        state
            .keys
            .retain(|k| !(k.id == key_id && k.group_id == group));
        if state.keys.len() == before {
            key_not_found(key_id)
        } else {
            Reply::no_content()
        }
    }
}

fn key_not_found(key_id: &str) -> Reply {
    Reply::not_found(format!("Cannot find resource AI model API key {key_id}."))
}

fn is_object_id(id: &str) -> bool {
    id.len() == 24 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn check_object_id(parameter: &str, id: &str) -> Result<(), Reply> {
    if is_object_id(id) {
        Ok(())
    } else {
        Err(Reply::error(
            StatusCode::BAD_REQUEST,
            format!("{parameter} must be 24 lowercase hexadecimal digits, got {id:?}."),
        ))
    }
}

/// The `name` of a create or update request, checked as Atlas checks it:
/// the version's media type, a JSON object with a `name` of 1..=250
/// characters and, when `scoped` (a stable create), `cloud` and `geography`
/// of `ANY`; nothing else.
fn name_of(parts: &Parts, body: &[u8], version: ApiVersion, scoped: bool) -> Result<String, Reply> {
    let media_type = version.media_type();
    if !has_media_type(&parts.headers, header::CONTENT_TYPE, media_type) {
        return Err(Reply::error(
            StatusCode::BAD_REQUEST,
            format!("The request body must have Content-Type {media_type}."),
        ));
    }
    let invalid_field = |field: &str, description: &str| {
        let mut reply = Reply::error(StatusCode::BAD_REQUEST, description);
        if let Some(body) = &mut reply.body {
            body["badRequestDetail"] = json!({
                "fields": [{ "field": field, "description": description }]
            });
        }
        reply
    };
    let invalid = |description: &str| invalid_field("name", description);
    let fields: Map<String, Value> = match serde_json::from_slice(body) {
        Ok(Value::Object(fields)) => fields,
        Ok(_) => return Err(invalid("The request body must be a JSON object.")),
        Err(_) => return Err(invalid("The request body is not valid JSON.")),
    };
    let allowed: &[&str] = if scoped {
        &["name", "cloud", "geography"]
    } else {
        &["name"]
    };
    if let Some(unknown) = fields.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(invalid(&format!("Unknown attribute {unknown:?}.")));
    }
    for scope in &allowed[1..] {
        match fields.get(*scope) {
            Some(Value::String(value)) if value == "ANY" => {}
            Some(_) => return Err(invalid_field(scope, &format!("{scope} must be \"ANY\"."))),
            None => return Err(invalid_field(scope, &format!("{scope} is required."))),
        }
    }
    match fields.get("name") {
        Some(Value::String(name)) if (1..=MAX_NAME_CHARS).contains(&name.chars().count()) => {
            Ok(name.clone())
        }
        Some(Value::String(_)) => Err(invalid("name must have 1 to 250 characters.")),
        Some(_) => Err(invalid("name must be a string.")),
        None => Err(invalid("name is required.")),
    }
}

fn add_extra_fields(body: &mut Value) {
    let Value::Object(fields) = body else {
        return;
    };
    if let Some(Value::Array(keys)) = fields.get_mut("results") {
        keys.iter_mut().for_each(add_key_extra_field);
    }
    if fields.contains_key("apiKeyId") {
        add_key_extra_field(body);
    }
    body[EXTRA_TOP_LEVEL_FIELD] = json!({ "nested": [1, 2, 3], "flag": true });
}

fn add_key_extra_field(key: &mut Value) {
    if let Value::Object(fields) = key {
        fields.insert(EXTRA_KEY_FIELD.to_owned(), json!("surprise"));
    }
}

fn random_string(len: usize, alphabet: &[u8]) -> String {
    (0..len)
        .map(|_| char::from(alphabet[fastrand::usize(..alphabet.len())]))
        .collect()
}

/// Formatted like the API description's examples,
/// `2026-01-15T16:47:49.855000+00:00`.
fn now_rfc3339() -> String {
    DateTime::<Utc>::from(SystemTime::now()).to_rfc3339_opts(SecondsFormat::Micros, false)
}
