//! The HTTP client every operation sends through: authentication, retries,
//! timeouts, decoding (or handing over a body unread) and tracing.

use std::time::Duration;

use base64::Engine as _;
use bytes::Bytes;
use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONNECTION, CONTENT_TYPE, COOKIE, HeaderMap, HeaderValue,
    SEC_WEBSOCKET_KEY, SEC_WEBSOCKET_VERSION, UPGRADE, USER_AGENT,
};
use reqwest::{StatusCode, Url};
use serde::de::DeserializeOwned;
use tracing::Instrument;

use super::auth::{Challenge, ClientCredentials, Credential, Credentials, KeyLocation};
use super::download::ByteStream;
use super::error::{Error, InvalidInput};
use super::events::EventStream;
use super::request::{Payload, Request};
use super::response::ApiResponse;
use super::retry::{self, Failure, RetryPolicy};
use super::secret::{ExposeSecret, Secret};

/// The `User-Agent` sent with every request unless the builder sets another:
/// the client crate's name and version.
const USER_AGENT_VALUE: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// Sends the API's operations. Cheap to clone: clones share one connection
/// pool and their OAuth 2.0 access tokens.
#[derive(Clone, Debug)]
pub struct Client {
    base_url: String,
    /// `base_url` parsed once; each request's URL starts as a copy of it.
    base: Url,
    auth: Credentials,
    retry: RetryPolicy,
    user_agent: HeaderValue,
    http: reqwest::Client,
    /// The whole-attempt timeout of buffered answers (`None` for a caller's
    /// own HTTP client, whose settings stand).
    timeout: Option<Duration>,
}

/// Configures a [`Client`].
#[derive(Debug)]
#[must_use]
pub struct ClientBuilder {
    base_url: String,
    auth: Credentials,
    retry: RetryPolicy,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent: Option<String>,
    http: Option<reqwest::Client>,
}

/// Why a [`ClientBuilder`] could not build a [`Client`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError(String);

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot build the client: {}", self.0)
    }
}

impl std::error::Error for BuildError {}

impl ClientBuilder {
    /// The whole-request timeout unless set otherwise.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
    /// The connection timeout unless set otherwise.
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

    /// Starts a builder for a server at `base_url`.
    pub fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            auth: Credentials::default(),
            retry: RetryPolicy::default(),
            timeout: Some(Self::DEFAULT_TIMEOUT),
            connect_timeout: Some(Self::DEFAULT_CONNECT_TIMEOUT),
            user_agent: None,
            http: None,
        }
    }

    /// Sends requests to `base_url` instead of the spec's server, e.g. a test server.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Authenticates requests with `auth`: each sends the credentials of
    /// the first security alternative its operation accepts that `auth`
    /// has every credential for, or none.
    pub fn auth(mut self, auth: impl Into<Credentials>) -> Self {
        self.auth = auth.into();
        self
    }

    /// Retries failed attempts as `policy` says; [`RetryPolicy::none`] disables retries.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Fails an attempt that has not completed within `timeout`, connection
    /// included; `None` waits for ever. A streamed answer (a download, an
    /// event stream) may take longer as a whole: it fails when nothing
    /// arrives for `timeout`, before its headers or between its chunks.
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// Fails an attempt whose connection is not established within `timeout`.
    pub fn connect_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sends `user_agent` as the `User-Agent` of every request, instead of
    /// the client crate's name and version.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Sends through a `reqwest::Client` the caller configured (proxies, TLS
    /// roots); the timeouts of this builder are then not applied.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Builds the client, checking the base URL and the `User-Agent`.
    pub fn build(self) -> Result<Client, BuildError> {
        let user_agent = match &self.user_agent {
            Some(user_agent) => HeaderValue::from_str(user_agent).map_err(|_| {
                BuildError(format!("User-Agent `{user_agent}`: not a header value"))
            })?,
            None => HeaderValue::from_static(USER_AGENT_VALUE),
        };
        let base_url = self.base_url.trim_end_matches('/').to_owned();
        let base = Url::parse(&base_url)
            .map_err(|error| BuildError(format!("base URL `{base_url}`: {error}")))?;
        if base.cannot_be_a_base() {
            return Err(BuildError(format!(
                "base URL `{base_url}`: not a URL that paths can be added to"
            )));
        }
        let (http, timeout) = match self.http {
            Some(http) => (http, None),
            None => {
                // The whole-attempt limit goes on each buffered request
                // (`Client::limited`); the client itself only bounds each
                // wait for bytes, which is all a long stream can promise.
                let mut http = reqwest::Client::builder();
                if let Some(timeout) = self.timeout {
                    http = http.read_timeout(timeout);
                }
                if let Some(timeout) = self.connect_timeout {
                    http = http.connect_timeout(timeout);
                }
                let http = http
                    .build()
                    .map_err(|error| BuildError(format!("HTTP client: {error}")))?;
                (http, self.timeout)
            }
        };
        Ok(Client {
            base_url,
            base,
            auth: self.auth,
            retry: self.retry,
            user_agent,
            http,
            timeout,
        })
    }
}

/// A fresh `Sec-WebSocket-Key`: 16 random bytes in base64, as RFC 6455
/// asks of a client (a nonce, not a secret: std's hasher keys suffice).
fn websocket_key() -> HeaderValue {
    use std::hash::{BuildHasher, Hasher};
    let random = || std::hash::RandomState::new().build_hasher().finish();
    let mut nonce = [0u8; 16];
    nonce[..8].copy_from_slice(&random().to_le_bytes());
    nonce[8..].copy_from_slice(&random().to_le_bytes());
    let key = base64::engine::general_purpose::STANDARD.encode(nonce);
    HeaderValue::from_str(&key).expect("base64 is a valid header value")
}

/// A complete response, before decoding.
struct Received {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

/// A success response whose body is left to the caller, unread.
struct Unread {
    status: StatusCode,
    headers: HeaderMap,
    response: reqwest::Response,
}

/// What the send loop hands back: a success, its body read or not.
enum Answer {
    Read(Received),
    Unread(Unread),
}

impl Answer {
    /// The answer with its whole body.
    async fn read<E>(self) -> Result<Received, Error<E>> {
        match self {
            Self::Read(received) => Ok(received),
            Self::Unread(unread) => Ok(Received {
                status: unread.status,
                headers: unread.headers,
                body: unread.response.bytes().await.map_err(Error::transport)?,
            }),
        }
    }

    /// The answer's status, headers and body as a stream of chunks.
    fn streamed(self) -> (StatusCode, HeaderMap, ByteStream) {
        match self {
            Self::Read(received) => (
                received.status,
                received.headers,
                ByteStream::of_bytes(received.body),
            ),
            Self::Unread(unread) => (
                unread.status,
                unread.headers,
                ByteStream::of_response(unread.response),
            ),
        }
    }
}

/// How much of a success body the send loop reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// All of it, inside the loop, so that a connection lost while it
    /// arrives is retried like any other failed attempt.
    Whole,
    /// None: once a success status is in, the body is handed over unread
    /// (but for an envelope, which must be read to be unwrapped).
    Streamed,
}

/// Re-authentications made for one request: a fresh Digest challenge and a
/// stale nonce are each answered once, an expired token is replaced once.
#[derive(Default)]
struct AuthRetries {
    challenged: bool,
    stale: bool,
    token_replaced: bool,
}

impl Client {
    /// The base URL requests are sent to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Sends `request` and decodes a JSON success body as `T`.
    pub async fn send_json<T, E>(&self, request: Request) -> Result<ApiResponse<T>, Error<E>>
    where
        T: DeserializeOwned,
        E: DeserializeOwned,
    {
        let Received {
            status,
            headers,
            body,
        } = self.send(&request, Reading::Whole).await?.read().await?;
        match serde_json::from_slice(&body) {
            Ok(decoded) => Ok(ApiResponse::new(status, headers, decoded)),
            Err(error) => Err(Error::decode(status, error, &body)),
        }
    }

    /// Sends `request` whose success response has no body.
    pub async fn send_empty<E>(&self, request: Request) -> Result<ApiResponse<()>, Error<E>>
    where
        E: DeserializeOwned,
    {
        let received = self.send(&request, Reading::Whole).await?.read().await?;
        Ok(ApiResponse::new(received.status, received.headers, ()))
    }

    /// Sends `request` and hands over a success body the client does not
    /// decode (XML, a redirect's target, …) as the bytes received.
    pub async fn send_bytes<E>(&self, request: Request) -> Result<ApiResponse<Bytes>, Error<E>>
    where
        E: DeserializeOwned,
    {
        let received = self.send(&request, Reading::Whole).await?.read().await?;
        Ok(ApiResponse::new(
            received.status,
            received.headers,
            received.body,
        ))
    }

    /// Sends `request` and decodes a text success body (`text/plain`,
    /// `text/csv`, …) from UTF-8; a body that is not UTF-8 is
    /// [`Error::Body`], which keeps the bytes.
    pub async fn send_text<E>(&self, request: Request) -> Result<ApiResponse<String>, Error<E>>
    where
        E: DeserializeOwned,
    {
        let received = self.send(&request, Reading::Whole).await?.read().await?;
        let text = super::download::text(received.body)?;
        Ok(ApiResponse::new(received.status, received.headers, text))
    }

    /// Sends `request` and hands over a binary success body unread, as a
    /// [`ByteStream`] to take whole or chunk by chunk. Retries and
    /// re-authentication happen before the success status arrives.
    pub async fn send_streamed<E>(
        &self,
        request: Request,
    ) -> Result<ApiResponse<ByteStream>, Error<E>>
    where
        E: DeserializeOwned,
    {
        let (status, headers, body) = self.send(&request, Reading::Streamed).await?.streamed();
        Ok(ApiResponse::new(status, headers, body))
    }

    /// Sends `request` and reads its `text/event-stream` success body as
    /// events whose data is JSON of type `T`, as they arrive; the stream
    /// ends at the body's end or at an event whose data is `end`.
    pub async fn send_events<T, E>(
        &self,
        request: Request,
        end: Option<&'static str>,
    ) -> Result<ApiResponse<EventStream<T>>, Error<E>>
    where
        T: DeserializeOwned,
        E: DeserializeOwned,
    {
        let (status, headers, body) = self.send(&request, Reading::Streamed).await?.streamed();
        Ok(ApiResponse::new(
            status,
            headers,
            EventStream::json(body, end),
        ))
    }

    /// [`send_events`](Self::send_events) for events whose data is text,
    /// taken as it is.
    pub async fn send_text_events<E>(
        &self,
        request: Request,
        end: Option<&'static str>,
    ) -> Result<ApiResponse<EventStream<String>>, Error<E>>
    where
        E: DeserializeOwned,
    {
        let (status, headers, body) = self.send(&request, Reading::Streamed).await?.streamed();
        Ok(ApiResponse::new(
            status,
            headers,
            EventStream::text(body, end),
        ))
    }

    /// Sends `request`, whose success is `101 Switching Protocols`, and
    /// hands over the upgraded connection in place of a body (a websocket
    /// crate takes it over from there). The request asks for a websocket
    /// unless it names its own `Upgrade`. It is sent once: an upgrade is
    /// neither retried nor re-authenticated.
    pub async fn send_upgrade<E>(
        &self,
        request: Request,
    ) -> Result<ApiResponse<reqwest::Upgraded>, Error<E>>
    where
        E: DeserializeOwned,
    {
        let url = self.url(&request)?;
        let (mut builder, _) = self.prepare(&request, &url).await?;
        builder = builder.header(CONNECTION, HeaderValue::from_static("upgrade"));
        if !request
            .headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("upgrade"))
        {
            builder = builder
                .header(UPGRADE, HeaderValue::from_static("websocket"))
                .header(SEC_WEBSOCKET_VERSION, HeaderValue::from_static("13"))
                .header(SEC_WEBSOCKET_KEY, websocket_key());
        }
        let mut response = self
            .limited(builder)
            .send()
            .await
            .map_err(Error::transport)?;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        if status != StatusCode::SWITCHING_PROTOCOLS {
            let body = response.bytes().await.map_err(Error::transport)?;
            let received = Received {
                status,
                headers,
                body,
            };
            return Err(api_error(&request, received));
        }
        let upgraded = response.upgrade().await.map_err(Error::transport)?;
        Ok(ApiResponse::new(status, headers, upgraded))
    }

    /// Sends `request`, retrying and re-authenticating as configured; a
    /// non-success answer becomes an error, its body decoded as `E` when it
    /// has that shape. A success body is read as `reading` says.
    async fn send<E>(&self, request: &Request, reading: Reading) -> Result<Answer, Error<E>>
    where
        E: DeserializeOwned,
    {
        let span = tracing::info_span!(
            "request",
            operation = request.operation_id,
            method = %request.method,
            path = request.path_template,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
        );
        async {
            let url = self.url(request)?;
            let mut attempts = self.retry.start();
            let mut reauthenticated = AuthRetries::default();
            // A streamed body is gone once sent: no second attempt can carry it.
            let replayable = !request.body.as_ref().is_some_and(Payload::is_streamed);
            loop {
                tracing::Span::current().record("attempt", attempts.made());
                let failure = match self.attempt(request, &url, reading).await {
                    Ok((Answer::Unread(unread), _)) => {
                        tracing::Span::current().record("status", unread.status.as_u16());
                        return Ok(Answer::Unread(unread));
                    }
                    Ok((Answer::Read(received), presented)) => {
                        tracing::Span::current().record("status", received.status.as_u16());
                        if received.status == StatusCode::UNAUTHORIZED
                            && replayable
                            && self
                                .reauthenticate(&received, presented, &mut reauthenticated)
                                .await
                        {
                            continue;
                        }
                        let received = unwrap_envelope(request, received);
                        if received.status.is_success() {
                            return Ok(Answer::Read(received));
                        }
                        let failure =
                            Failure::Status(received.status, retry::retry_after(&received.headers));
                        let delay = replayable
                            .then(|| {
                                attempts.next_delay(retry::idempotent(&request.method), failure)
                            })
                            .flatten();
                        match delay {
                            Some(delay) => {
                                tracing::debug!(
                                    status = received.status.as_u16(),
                                    ?delay,
                                    "retrying"
                                );
                                tokio::time::sleep(delay).await;
                                continue;
                            }
                            None => return Err(api_error(request, received)),
                        }
                    }
                    Err(error) => error,
                };
                let may_have_reached_server = match &failure {
                    Error::Transport {
                        may_have_reached_server,
                        ..
                    } => Some(*may_have_reached_server),
                    Error::Timeout(error) => Some(!error.is_connect()),
                    _ => None,
                };
                let may_have_reached_server = may_have_reached_server.filter(|_| replayable);
                let delay = may_have_reached_server.and_then(|may_have_reached_server| {
                    attempts.next_delay(
                        retry::idempotent(&request.method),
                        Failure::Connection {
                            may_have_reached_server,
                        },
                    )
                });
                match delay {
                    Some(delay) => {
                        tracing::debug!(error = %failure, ?delay, "retrying");
                        tokio::time::sleep(delay).await;
                    }
                    None => return Err(failure),
                }
            }
        }
        .instrument(span)
        .await
    }

    fn url(&self, request: &Request) -> Result<Url, InvalidInput> {
        // Also refuses a request whose values could not be written.
        let path = request.path()?;
        if let Some(url) = &request.url {
            return self.followed(url);
        }
        // Only the path is parsed per request; the scheme and host were
        // parsed once, when the client was built. A base URL's own path (a
        // proxy's prefix) comes first.
        let mut url = self.base.clone();
        url.set_path(&format!("{}{path}", self.base.path().trim_end_matches('/')));
        if !request.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&request.query);
        }
        Ok(url)
    }

    /// A URL a page linked to, resolved from the base URL; refused on
    /// another server (scheme, host or port), where the client's
    /// credentials must not go.
    fn followed(&self, url: &str) -> Result<Url, InvalidInput> {
        let refuse = |rule: String| InvalidInput::new("next page URL", rule);
        let url = self
            .base
            .join(url)
            .map_err(|error| refuse(format!("`{url}` is no URL: {error}")))?;
        if url.origin() != self.base.origin() {
            return Err(refuse(format!(
                "`{url}` is on another server than `{}`",
                self.base_url
            )));
        }
        Ok(url)
    }

    /// One attempt: credentials, headers and body, and the answer (its
    /// body read unless `reading` leaves a success's unread), with the
    /// credentials it went out with.
    async fn attempt<E>(
        &self,
        request: &Request,
        url: &Url,
        reading: Reading,
    ) -> Result<(Answer, Presented<'_>), Error<E>> {
        let (mut builder, presented) = self.prepare(request, url).await?;
        if reading != Reading::Streamed {
            builder = self.limited(builder);
        }
        let mut response = builder.send().await.map_err(Error::transport)?;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        if reading == Reading::Streamed && status.is_success() && !request.enveloped {
            let unread = Unread {
                status,
                headers,
                response,
            };
            return Ok((Answer::Unread(unread), presented));
        }
        let body = response.bytes().await.map_err(Error::transport)?;
        let received = Received {
            status,
            headers,
            body,
        };
        Ok((Answer::Read(received), presented))
    }

    /// `builder` failing when its whole attempt, body included, takes longer
    /// than the client's timeout.
    fn limited(&self, builder: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match self.timeout {
            Some(timeout) => builder.timeout(timeout),
            None => builder,
        }
    }

    /// The request for `request` at `url`, with its headers, body and
    /// credentials, and which credentials it carries.
    async fn prepare<E>(
        &self,
        request: &Request,
        url: &Url,
    ) -> Result<(reqwest::RequestBuilder, Presented<'_>), Error<E>> {
        let schemes = self.auth.choose(request.security).unwrap_or_default();
        let mut url = std::borrow::Cow::Borrowed(url);
        for scheme in schemes {
            if let Some(Credential::ApiKey {
                location: KeyLocation::Query,
                name,
                key,
            }) = self.auth.get(scheme)
            {
                url.to_mut()
                    .query_pairs_mut()
                    .append_pair(name, key.expose_secret());
            }
        }
        let mut builder = self
            .http
            .request(request.method.clone(), url.as_ref().clone())
            .header(ACCEPT, HeaderValue::from_static(request.accept))
            .header(USER_AGENT, self.user_agent.clone());
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        match &request.body {
            Some(Payload::Whole {
                content_type,
                content,
            }) => {
                builder = builder
                    .header(CONTENT_TYPE, HeaderValue::from_static(content_type))
                    .body(content.to_reqwest()?);
            }
            Some(Payload::Multipart(parts)) => builder = builder.multipart(parts.to_form()?),
            None => {}
        }
        let mut presented = Presented {
            schemes,
            token: None,
        };
        let mut cookies = Vec::new();
        for scheme in schemes {
            let Some(credential) = self.auth.get(scheme) else {
                continue;
            };
            builder = match credential {
                Credential::Basic { username, password } => {
                    builder.basic_auth(username, Some(password.expose_secret()))
                }
                Credential::Bearer(token) => builder.bearer_auth(token.expose_secret()),
                Credential::Digest(key) => {
                    let uri = match url.query() {
                        Some(query) => format!("{}?{query}", url.path()),
                        None => url.path().to_owned(),
                    };
                    match key.authorization(&request.method, &uri) {
                        Some(authorization) => builder.header(AUTHORIZATION, authorization),
                        None => builder,
                    }
                }
                Credential::ApiKey {
                    location: KeyLocation::Header,
                    name,
                    key,
                } => builder.header(*name, sensitive(scheme, key.expose_secret())?),
                // Already in `url`.
                Credential::ApiKey {
                    location: KeyLocation::Query,
                    ..
                } => builder,
                Credential::ApiKey {
                    location: KeyLocation::Cookie,
                    name,
                    key,
                } => {
                    cookies.push(format!("{name}={}", key.expose_secret()));
                    builder
                }
                Credential::ClientCredentials {
                    endpoint,
                    credentials,
                } => {
                    let token = credentials
                        .access_token(endpoint, &self.http, &self.base_url, &self.retry)
                        .await?;
                    let builder = builder.bearer_auth(token.expose_secret());
                    presented.token = Some((credentials, token));
                    builder
                }
            };
        }
        if !cookies.is_empty() {
            builder = builder.header(COOKIE, sensitive("cookie", &cookies.join("; "))?);
        }
        Ok((builder, presented))
    }

    /// Whether a 401 is worth one more attempt with new credentials: a
    /// Digest challenge not yet answered, a stale nonce, or an expired token.
    async fn reauthenticate(
        &self,
        received: &Received,
        presented: Presented<'_>,
        retries: &mut AuthRetries,
    ) -> bool {
        let digest = presented
            .schemes
            .iter()
            .find_map(|scheme| match self.auth.get(scheme) {
                Some(Credential::Digest(key)) => Some(key),
                _ => None,
            });
        if let Some(key) = digest {
            match key.challenged(&received.headers) {
                Some(Challenge::Stale) if !retries.stale => {
                    retries.stale = true;
                    return true;
                }
                Some(Challenge::Fresh) if !retries.challenged => {
                    retries.challenged = true;
                    return true;
                }
                _ => {}
            }
        }
        match presented.token {
            Some((credentials, token)) if !retries.token_replaced => {
                retries.token_replaced = true;
                credentials.forget(&token).await;
                true
            }
            _ => false,
        }
    }
}

/// The credentials one attempt sent: its security alternative, and the
/// OAuth 2.0 access token among them, if any.
struct Presented<'a> {
    schemes: &'static [&'static str],
    token: Option<(&'a ClientCredentials, Secret)>,
}

/// A credential as a header value that `Debug` output and HTTP/2 header
/// compression treat as secret.
fn sensitive(scheme: &str, value: &str) -> Result<HeaderValue, InvalidInput> {
    let mut value = HeaderValue::from_str(value)
        .map_err(|_| InvalidInput::new(scheme, "must be visible ASCII to be sent in a header"))?;
    value.set_sensitive(true);
    Ok(value)
}

/// With `envelope=true` the server answers 200 with `{"status": …,
/// "content": …}` (lists: the page with a `status` member); this restores
/// the real status and body.
fn unwrap_envelope(request: &Request, received: Received) -> Received {
    if !request.enveloped || !received.status.is_success() {
        return received;
    }
    let Ok(serde_json::Value::Object(mut members)) = serde_json::from_slice(&received.body) else {
        return received;
    };
    let status = members
        .get("status")
        .and_then(serde_json::Value::as_u64)
        .and_then(|status| u16::try_from(status).ok())
        .and_then(|status| StatusCode::from_u16(status).ok())
        .unwrap_or(received.status);
    let body = match members.remove("content") {
        Some(content) => serde_json::to_vec(&content)
            .map(Bytes::from)
            .unwrap_or_default(),
        None => received.body,
    };
    Received {
        status,
        headers: received.headers,
        body,
    }
}

fn api_error<E: DeserializeOwned>(request: &Request, received: Received) -> Error<E> {
    // 406: no representation of the version asked for; 410: the version's
    // sunset has passed.
    let version_refused = received.status == StatusCode::NOT_ACCEPTABLE
        || (received.status == StatusCode::GONE && request.api_version.is_some());
    if version_refused {
        return Error::VersionUnavailable {
            status: received.status,
            version: request.api_version,
            media_type: request.accept,
            body: serde_json::from_slice(&received.body).ok(),
            raw: received.body,
        };
    }
    match serde_json::from_slice(&received.body) {
        Ok(decoded) => Error::Api {
            status: received.status,
            body: decoded,
            headers: received.headers,
            raw: received.body,
        },
        Err(_) => Error::UnexpectedResponse {
            status: received.status,
            headers: received.headers,
            raw: received.body,
        },
    }
}
