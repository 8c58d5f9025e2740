//! How requests prove who sends them, in every way an OpenAPI security
//! scheme can declare: HTTP Basic, Bearer and Digest, an API key in a
//! header, query parameter or cookie, and OAuth 2.0 or OpenID Connect
//! (client credentials exchanged for tokens here, other flows' tokens
//! obtained elsewhere and sent as bearer tokens).
//!
//! The generated crate's `Auth` sets one [`Credential`] per scheme of its
//! description; each operation names the schemes it accepts
//! ([`Requirements`]) and the client sends the first alternative whose
//! credentials are all set.

use std::sync::{Arc, Mutex as SyncMutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, WWW_AUTHENTICATE};
use tokio::sync::Mutex;

use super::error::Error;
use super::retry::{self, Failure, RetryPolicy};
use super::secret::{ExposeSecret, Secret};

/// The security an operation accepts, as its description states it: a list
/// of alternatives, each naming the schemes that must all be sent together.
/// No alternative means the operation sends no credentials; an empty one
/// means it may also be called without them.
pub type Requirements = &'static [&'static [&'static str]];

/// The credentials a client sends, each under the name of the security
/// scheme it answers.
#[derive(Clone, Debug, Default)]
pub struct Credentials {
    schemes: Vec<(&'static str, Credential)>,
}

impl Credentials {
    /// Sets the credential of `scheme`, replacing any it had.
    pub fn with(mut self, scheme: &'static str, credential: Credential) -> Self {
        self.schemes.retain(|(name, _)| *name != scheme);
        self.schemes.push((scheme, credential));
        self
    }

    /// Whether no scheme has a credential.
    pub fn is_empty(&self) -> bool {
        self.schemes.is_empty()
    }

    /// The credential of `scheme`, if set.
    pub fn get(&self, scheme: &str) -> Option<&Credential> {
        self.schemes
            .iter()
            .find(|(name, _)| *name == scheme)
            .map(|(_, credential)| credential)
    }

    /// The alternative of `requirements` to send: the first whose schemes
    /// all have credentials, an alternative naming no scheme only when no
    /// other can be sent. `None` sends no credentials.
    pub(super) fn choose(&self, requirements: Requirements) -> Option<&'static [&'static str]> {
        requirements.iter().copied().find(|schemes| {
            !schemes.is_empty() && schemes.iter().all(|scheme| self.get(scheme).is_some())
        })
    }
}

/// No credentials in the environment: `Auth::from_env` found none of the
/// variable sets it reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MissingCredentials {
    /// Each set of variables that would have been enough.
    pub variables: &'static [&'static [&'static str]],
}

impl std::fmt::Display for MissingCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("no credentials in the environment: set ")?;
        for (index, set) in self.variables.iter().enumerate() {
            if index > 0 {
                f.write_str(", or ")?;
            }
            f.write_str(&set.join(" and "))?;
        }
        Ok(())
    }
}

impl std::error::Error for MissingCredentials {}

/// The value of the environment variable `name`, unless unset or empty.
pub fn variable(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.is_empty())
}

/// The credential of one security scheme.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Credential {
    /// HTTP Basic: a user name and password, sent with every request.
    Basic {
        /// The user name.
        username: String,
        /// The password.
        password: Secret,
    },
    /// `Authorization: Bearer <token>` with a token obtained elsewhere.
    Bearer(Secret),
    /// HTTP Digest: answers the server's challenge.
    Digest(DigestKey),
    /// An API key sent as the scheme says.
    ApiKey {
        /// Where the key goes.
        location: KeyLocation,
        /// The header, query parameter or cookie it goes under.
        name: &'static str,
        /// The key.
        key: Secret,
    },
    /// OAuth 2.0 client credentials, exchanged at `endpoint` for access
    /// tokens that are sent as bearer tokens.
    ClientCredentials {
        /// The token endpoint and scopes the description declares.
        endpoint: TokenEndpoint,
        /// The client's id and secret, and its cached token.
        credentials: ClientCredentials,
    },
}

/// Where an API key is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

/// An OAuth 2.0 token endpoint, as a security scheme's flow declares it.
#[derive(Clone, Copy, Debug)]
pub struct TokenEndpoint {
    /// Where tokens are asked for.
    pub url: TokenUrl,
    /// The scopes asked for, unless the credentials name their own.
    pub scopes: &'static [&'static str],
}

/// A token endpoint's URL.
#[derive(Clone, Copy, Debug)]
pub enum TokenUrl {
    /// A path on the API's own server: it follows the client's base URL,
    /// so a test server or proxy serves tokens too.
    OnServer(&'static str),
    /// A URL of its own.
    Absolute(&'static str),
}

impl TokenUrl {
    fn resolve(self, base_url: &str) -> String {
        match self {
            Self::OnServer(path) => format!("{base_url}{path}"),
            Self::Absolute(url) => url.to_owned(),
        }
    }
}

/// An OAuth 2.0 client's id and secret, and its cached access token.
///
/// Clones share the cache, so every clone of a client asks for one token
/// at a time.
#[derive(Clone, Debug)]
pub struct ClientCredentials {
    client_id: String,
    client_secret: Secret,
    token_url: Option<String>,
    scopes: Option<Vec<String>>,
    refresh_margin: Duration,
    token: Arc<Mutex<Option<AccessToken>>>,
}

#[derive(Debug)]
struct AccessToken {
    value: Secret,
    /// When to fetch a new one: the refresh margin before it expires.
    refresh_at: Option<Instant>,
}

/// The token endpoint's answer, by RFC 6749 section 5.1.
#[derive(serde::Deserialize)]
struct TokenResponse {
    access_token: Secret,
    expires_in: Option<u64>,
}

/// Why one token request failed.
enum TokenFailure {
    Status(StatusCode, Option<Duration>, Bytes),
    Transport(reqwest::Error),
}

impl ClientCredentials {
    /// How long before expiry a token is replaced, unless set otherwise.
    /// A token that lives less than twice as long is replaced at half its
    /// lifetime instead.
    pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(60);

    /// A client with the given id and secret.
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<Secret>) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            token_url: None,
            scopes: None,
            refresh_margin: Self::DEFAULT_REFRESH_MARGIN,
            token: Arc::new(Mutex::new(None)),
        }
    }

    /// Asks for tokens at `url` instead of the description's token URL.
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }

    /// Asks for these scopes instead of those the description's operations
    /// require.
    pub fn scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.scopes = Some(scopes.into_iter().map(Into::into).collect());
        self
    }

    /// Replaces a token this long before it expires (at most half its lifetime).
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = margin;
        self
    }

    /// A token not due for refresh, fetching one if needed. The lock is
    /// held across the fetch, so concurrent requests wait for one refresh
    /// instead of each starting their own.
    pub(super) async fn access_token<E>(
        &self,
        endpoint: &TokenEndpoint,
        http: &reqwest::Client,
        base_url: &str,
        retry: &RetryPolicy,
    ) -> Result<Secret, Error<E>> {
        let mut cached = self.token.lock().await;
        if let Some(token) = cached.as_ref()
            && token
                .refresh_at
                .is_none_or(|refresh_at| Instant::now() < refresh_at)
        {
            return Ok(token.value.clone());
        }
        let token = self.fetch(endpoint, http, base_url, retry).await?;
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

    /// Asks for a token, retrying as `retry` allows: asking again is
    /// harmless, so every method's rules are those of an idempotent one.
    async fn fetch<E>(
        &self,
        endpoint: &TokenEndpoint,
        http: &reqwest::Client,
        base_url: &str,
        retry: &RetryPolicy,
    ) -> Result<AccessToken, Error<E>> {
        let url = match &self.token_url {
            Some(url) => url.clone(),
            None => endpoint.url.resolve(base_url),
        };
        let body = self.token_request_body(endpoint);
        let mut attempts = retry.start();
        loop {
            let requested_at = Instant::now();
            let failure = match self.request_token(http, &url, body.clone()).await {
                Ok(raw) => {
                    let token: TokenResponse = serde_json::from_slice(&raw)
                        .map_err(|source| Error::decode(StatusCode::OK, source, &raw))?;
                    let refresh_at = token.expires_in.map(|seconds| {
                        let lifetime = Duration::from_secs(seconds);
                        requested_at + lifetime - self.refresh_margin.min(lifetime / 2)
                    });
                    return Ok(AccessToken {
                        value: token.access_token,
                        refresh_at,
                    });
                }
                Err(failure) => failure,
            };
            let delay = match &failure {
                TokenFailure::Status(status, retry_after, _) => {
                    attempts.next_delay(true, Failure::Status(*status, *retry_after))
                }
                TokenFailure::Transport(_) => attempts.next_delay(
                    true,
                    Failure::Connection {
                        may_have_reached_server: true,
                    },
                ),
            };
            match (delay, failure) {
                (Some(delay), _) => tokio::time::sleep(delay).await,
                (None, TokenFailure::Transport(error)) => return Err(Error::transport(error)),
                (None, TokenFailure::Status(StatusCode::TOO_MANY_REQUESTS, retry_after, _)) => {
                    return Err(Error::TokenRateLimited { retry_after });
                }
                (None, TokenFailure::Status(status, _, raw)) => {
                    return Err(Error::TokenRejected {
                        status,
                        raw: redact_token_body(raw),
                    });
                }
            }
        }
    }

    /// `grant_type=client_credentials`, and the scopes if any.
    fn token_request_body(&self, endpoint: &TokenEndpoint) -> String {
        let scopes: Vec<&str> = match &self.scopes {
            Some(scopes) => scopes.iter().map(String::as_str).collect(),
            None => endpoint.scopes.to_vec(),
        };
        let mut body = "grant_type=client_credentials".to_owned();
        if !scopes.is_empty() {
            body.push_str("&scope=");
            body.extend(utf8_percent_encode(&scopes.join(" "), NON_ALPHANUMERIC));
        }
        body
    }

    /// One token request: the body of a success, or why it failed.
    async fn request_token(
        &self,
        http: &reqwest::Client,
        url: &str,
        body: String,
    ) -> Result<Bytes, TokenFailure> {
        let response = http
            .post(url)
            .basic_auth(&self.client_id, Some(self.client_secret.expose_secret()))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(ACCEPT, "application/json")
            .body(body)
            .send()
            .await
            .map_err(TokenFailure::Transport)?;
        let status = response.status();
        let retry_after = retry::retry_after(response.headers());
        let raw = response.bytes().await.map_err(TokenFailure::Transport)?;
        if status.is_success() {
            Ok(raw)
        } else {
            Err(TokenFailure::Status(status, retry_after, raw))
        }
    }
}

/// A token endpoint's error body never holds a token, but keep it short.
fn redact_token_body(raw: Bytes) -> Bytes {
    raw.slice(..raw.len().min(1024))
}

/// A Digest user name and password, and the last challenge they answered.
///
/// Remembering the challenge lets later requests authenticate at once
/// instead of each first drawing a 401.
#[derive(Clone)]
pub struct DigestKey {
    username: String,
    password: Secret,
    challenge: Arc<SyncMutex<Option<digest_auth::WwwAuthenticateHeader>>>,
}

impl std::fmt::Debug for DigestKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DigestKey")
            .field("username", &self.username)
            .field("password", &self.password)
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
    /// A user name and password.
    pub fn new(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self {
            username: username.into(),
            password: password.into(),
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
            self.username.as_str(),
            self.password.expose_secret(),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn credentials() -> Credentials {
        Credentials::default()
            .with("basic", Credential::Bearer(Secret::new("b")))
            .with("key", Credential::Bearer(Secret::new("k")))
    }

    #[test]
    fn the_first_alternative_with_every_credential_is_chosen() {
        let credentials = credentials();
        assert_eq!(
            credentials.choose(&[&["oauth"], &["basic", "key"], &["key"]]),
            Some(&["basic", "key"][..])
        );
        assert_eq!(credentials.choose(&[&["oauth"]]), None);
        assert_eq!(credentials.choose(&[]), None);
    }

    #[test]
    fn an_empty_alternative_sends_nothing_even_when_first() {
        let credentials = credentials();
        assert_eq!(credentials.choose(&[&[], &["key"]]), Some(&["key"][..]));
        assert_eq!(Credentials::default().choose(&[&[], &["key"]]), None);
    }

    #[test]
    fn setting_a_scheme_again_replaces_its_credential() {
        let credentials = credentials().with("key", Credential::Bearer(Secret::new("new")));
        match credentials.get("key") {
            Some(Credential::Bearer(token)) => assert_eq!(token.expose_secret(), "new"),
            other => panic!("{other:?}"),
        }
        assert_eq!(credentials.schemes.len(), 2);
    }

    #[test]
    fn token_requests_ask_for_the_scopes_given_or_declared() {
        let endpoint = TokenEndpoint {
            url: TokenUrl::OnServer("/auth/token"),
            scopes: &["read:keys", "write:keys"],
        };
        let declared = ClientCredentials::new("id", "secret");
        assert_eq!(
            declared.token_request_body(&endpoint),
            "grant_type=client_credentials&scope=read%3Akeys%20write%3Akeys"
        );
        let chosen = ClientCredentials::new("id", "secret").scopes(["admin"]);
        assert_eq!(
            chosen.token_request_body(&endpoint),
            "grant_type=client_credentials&scope=admin"
        );
        let none = TokenEndpoint {
            scopes: &[],
            ..endpoint
        };
        assert_eq!(
            declared.token_request_body(&none),
            "grant_type=client_credentials"
        );
    }

    #[test]
    fn missing_credentials_name_every_set_of_variables() {
        let missing = MissingCredentials {
            variables: &[&["ID", "SECRET"], &["TOKEN"]],
        };
        assert_eq!(
            missing.to_string(),
            "no credentials in the environment: set ID and SECRET, or TOKEN"
        );
    }

    #[test]
    fn token_urls_on_the_server_follow_the_base_url() {
        assert_eq!(
            TokenUrl::OnServer("/api/auth/token").resolve("http://127.0.0.1:9"),
            "http://127.0.0.1:9/api/auth/token"
        );
        assert_eq!(
            TokenUrl::Absolute("https://auth.example/token").resolve("http://127.0.0.1:9"),
            "https://auth.example/token"
        );
    }
}
