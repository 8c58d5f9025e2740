//! How requests prove who sends them, in the three ways Atlas accepts:
//! service accounts (OAuth 2.0 client credentials), HTTP Digest with an API
//! key pair, and a ready bearer token.

use std::sync::{Arc, Mutex as SyncMutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, WWW_AUTHENTICATE};
use tokio::sync::Mutex;

use super::error::Error;
use super::retry::retry_after;
use super::secret::{ExposeSecret, Secret};

/// Credentials attached to every request a [`Client`](super::client::Client) sends.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub enum Auth {
    /// Send requests without credentials.
    #[default]
    None,
    /// Send `Authorization: Bearer <token>` with a token obtained elsewhere.
    Bearer(Secret),
    /// Exchange a service account's client id and secret for access tokens,
    /// cached and refreshed before they expire.
    ServiceAccount(ServiceAccount),
    /// Answer HTTP Digest challenges with an API key pair.
    Digest(DigestKey),
}

impl Auth {
    /// Authenticates with a ready bearer token, such as a service account's access token.
    pub fn bearer(token: impl Into<Secret>) -> Self {
        Self::Bearer(token.into())
    }

    /// Authenticates as a service account; see [`ServiceAccount`] to change
    /// its token URL or refresh margin.
    pub fn service_account(client_id: impl Into<String>, client_secret: impl Into<Secret>) -> Self {
        Self::ServiceAccount(ServiceAccount::new(client_id, client_secret))
    }

    /// Authenticates with HTTP Digest, using a programmatic API key's public
    /// key as the user name and its private key as the password.
    pub fn digest(public_key: impl Into<String>, private_key: impl Into<Secret>) -> Self {
        Self::Digest(DigestKey::new(public_key, private_key))
    }
}

/// A service account: client credentials and its cached access token.
///
/// Clones share the cache, so every clone of a client asks for one token
/// at a time.
#[derive(Clone, Debug)]
pub struct ServiceAccount {
    client_id: String,
    client_secret: Secret,
    token_url: Option<String>,
    refresh_margin: Duration,
    token: Arc<Mutex<Option<AccessToken>>>,
}

#[derive(Debug)]
struct AccessToken {
    value: Secret,
    expires_at: Instant,
}

/// The token endpoint's answer, by RFC 6749 section 5.1.
#[derive(serde::Deserialize)]
struct TokenResponse {
    access_token: Secret,
    expires_in: u64,
}

impl ServiceAccount {
    /// How long before expiry a token is replaced, unless set otherwise.
    pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(60);

    /// A service account with the given client id and secret.
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<Secret>) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            token_url: None,
            refresh_margin: Self::DEFAULT_REFRESH_MARGIN,
            token: Arc::new(Mutex::new(None)),
        }
    }

    /// Asks for tokens at `url` instead of `{base URL}/api/oauth/token`.
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }

    /// Replaces a token this long before it expires.
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = margin;
        self
    }

    /// A token valid for at least the refresh margin, fetching one if
    /// needed. The lock is held across the fetch, so concurrent requests
    /// wait for one refresh instead of each starting their own.
    pub(super) async fn access_token<E>(
        &self,
        http: &reqwest::Client,
        base_url: &str,
    ) -> Result<Secret, Error<E>> {
        let mut cached = self.token.lock().await;
        if let Some(token) = cached.as_ref()
            && Instant::now() + self.refresh_margin < token.expires_at
        {
            return Ok(token.value.clone());
        }
        let token = self.fetch(http, base_url).await?;
        let value = token.value.clone();
        *cached = Some(token);
        Ok(value)
    }

    /// Drops `rejected` from the cache, so the next request fetches anew;
    /// a token another request already replaced stays.
    pub(super) async fn forget(&self, rejected: &Secret) {
        let mut cached = self.token.lock().await;
        if cached
            .as_ref()
            .is_some_and(|token| token.value == *rejected)
        {
            *cached = None;
        }
    }

    async fn fetch<E>(
        &self,
        http: &reqwest::Client,
        base_url: &str,
    ) -> Result<AccessToken, Error<E>> {
        let url = match &self.token_url {
            Some(url) => url.clone(),
            None => format!("{base_url}/api/oauth/token"),
        };
        let requested_at = Instant::now();
        let response = http
            .post(url)
            .basic_auth(&self.client_id, Some(self.client_secret.expose_secret()))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(ACCEPT, "application/json")
            .body("grant_type=client_credentials")
            .send()
            .await
            .map_err(Error::transport)?;
        let status = response.status();
        let retry_after = retry_after(response.headers());
        let raw = response.bytes().await.map_err(Error::transport)?;
        match status {
            status if status.is_success() => {
                let token: TokenResponse = serde_json::from_slice(&raw)
                    .map_err(|source| Error::decode(status, source, &raw))?;
                Ok(AccessToken {
                    value: token.access_token,
                    expires_at: requested_at + Duration::from_secs(token.expires_in),
                })
            }
            StatusCode::TOO_MANY_REQUESTS => Err(Error::TokenRateLimited { retry_after }),
            status => Err(Error::TokenRejected {
                status,
                raw: redact_token_body(raw),
            }),
        }
    }
}

/// A token endpoint's error body never holds a token, but keep it short.
fn redact_token_body(raw: Bytes) -> Bytes {
    raw.slice(..raw.len().min(1024))
}

/// A programmatic API key pair and the last Digest challenge it answered.
///
/// Remembering the challenge lets later requests authenticate at once
/// instead of each first drawing a 401.
#[derive(Clone)]
pub struct DigestKey {
    public_key: String,
    private_key: Secret,
    challenge: Arc<SyncMutex<Option<digest_auth::WwwAuthenticateHeader>>>,
}

impl std::fmt::Debug for DigestKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DigestKey")
            .field("public_key", &self.public_key)
            .field("private_key", &self.private_key)
            .finish_non_exhaustive()
    }
}

/// What a 401 said about Digest authentication.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Challenge {
    /// A fresh challenge to answer.
    Fresh,
    /// The nonce we used expired; the credentials were right.
    Stale,
}

impl DigestKey {
    /// A key pair: the public key is the user name, the private key the password.
    pub fn new(public_key: impl Into<String>, private_key: impl Into<Secret>) -> Self {
        Self {
            public_key: public_key.into(),
            private_key: private_key.into(),
            challenge: Arc::new(SyncMutex::new(None)),
        }
    }

    /// The `Authorization` value for `method` on `uri` (path and query), if a
    /// challenge is known.
    pub(super) fn authorization(&self, method: &reqwest::Method, uri: &str) -> Option<String> {
        let mut challenge = self
            .challenge
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let prompt = challenge.as_mut()?;
        let context = digest_auth::AuthContext::new_with_method(
            self.public_key.as_str(),
            self.private_key.expose_secret(),
            uri,
            None::<&[u8]>,
            digest_auth::HttpMethod::from(method.as_str()),
        );
        prompt
            .respond(&context)
            .ok()
            .map(|header| header.to_header_string())
    }

    /// Remembers the Digest challenge of a 401, if it has one.
    pub(super) fn challenged(&self, headers: &HeaderMap) -> Option<Challenge> {
        let prompt = headers
            .get_all(WWW_AUTHENTICATE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .find(|value| value.trim_start().starts_with("Digest"))
            .and_then(|value| digest_auth::parse(value).ok())?;
        let kind = if prompt.stale {
            Challenge::Stale
        } else {
            Challenge::Fresh
        };
        *self
            .challenge
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(prompt);
        Some(kind)
    }
}
