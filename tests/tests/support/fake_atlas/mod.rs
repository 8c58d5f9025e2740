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
//!
//! A file per concern: `config.rs` (how a fake is set up), `versions.rs`
//! (what differs between the versions), `server.rs` (the handler: record,
//! authenticate, apply faults, route), `auth.rs` and `digest.rs`
//! (authentication), `token.rs` (the token endpoint), `routes.rs` (which
//! operation a request is), `keys.rs` (the operations on the key store),
//! `reply.rs` (answers and error bodies), `faults.rs` and `state.rs`;
//! `tests.rs` is the fake's self-test.

mod auth;
mod config;
mod digest;
mod faults;
mod keys;
mod reply;
mod routes;
mod server;
mod state;
mod tests;
mod token;
mod versions;

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::http::StatusCode;
use serde_json::Value;

pub use config::{AuthMode, DigestAlgorithm, FakeConfig};
pub use faults::Fault;
pub use state::RecordedRequest;
pub use versions::ApiVersion;

use keys::is_object_id;
use server::handle;
use state::Shared;

/// Media type of the preview version's request and success bodies.
pub const PREVIEW_MEDIA_TYPE: &str = "application/vnd.atlas.preview+json";
/// Media type of the stable version's request and success bodies.
pub const STABLE_MEDIA_TYPE: &str = "application/vnd.atlas.2025-03-12+json";
/// `endpoint` of every key in the stable version.
pub const KEY_ENDPOINT: &str = "ai.mongodb.com";
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
