//! What a fake remembers between requests: its keys, queued faults, issued
//! tokens and nonces, and every request it received.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Instant, SystemTime};

use axum::body::Bytes;
use axum::http::{HeaderMap, Method};
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

use super::{ApiVersion, FakeConfig, Fault, TOKEN_PATH};

const LOWER_ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
pub(super) const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

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

pub(super) struct Shared {
    pub(super) config: FakeConfig,
    pub(super) base_url: String,
    pub(super) state: Mutex<ServerState>,
}

impl Shared {
    /// A test that panicked while holding the lock must not turn every later
    /// request of the same fake into a second, confusing panic.
    pub(super) fn lock(&self) -> MutexGuard<'_, ServerState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn take_fault(&self, before_auth: bool) -> Option<Fault> {
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
pub(super) struct ServerState {
    pub(super) keys: Vec<StoredKey>,
    pub(super) faults: VecDeque<Fault>,
    pub(super) token_faults: VecDeque<u16>,
    /// Issued OAuth tokens and when they expire.
    pub(super) tokens: HashMap<String, Instant>,
    /// Issued digest nonces and how many more requests each may serve.
    pub(super) nonces: HashMap<String, u32>,
    pub(super) requests: Vec<RecordedRequest>,
    pub(super) api_requests: usize,
    pub(super) token_requests: usize,
}

impl ServerState {
    pub(super) fn insert_key(
        &mut self,
        group_id: &str,
        name: &str,
        created_by: &str,
    ) -> &StoredKey {
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

    pub(super) fn expire_nonces(&mut self) {
        self.nonces
            .values_mut()
            .for_each(|uses_left| *uses_left = 0);
    }
}

pub(super) struct StoredKey {
    pub(super) id: String,
    pub(super) group_id: String,
    pub(super) name: String,
    pub(super) secret: String,
    pub(super) created_at: String,
    pub(super) created_by: String,
    pub(super) last_used_at: Option<String>,
    pub(super) cloud: String,
    pub(super) geography: String,
}

impl StoredKey {
    pub(super) fn json(&self, with_secret: bool, version: ApiVersion) -> Value {
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
        version.add_version_fields(&mut key, self);
        key
    }
}

pub(super) fn random_string(len: usize, alphabet: &[u8]) -> String {
    (0..len)
        .map(|_| char::from(alphabet[fastrand::usize(..alphabet.len())]))
        .collect()
}

/// Formatted like the API description's examples,
/// `2026-01-15T16:47:49.855000+00:00`.
fn now_rfc3339() -> String {
    DateTime::<Utc>::from(SystemTime::now()).to_rfc3339_opts(SecondsFormat::Micros, false)
}
