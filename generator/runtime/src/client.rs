//! The HTTP client every operation sends through.

use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderValue, USER_AGENT};
use reqwest::{StatusCode, Url};
use serde::de::DeserializeOwned;

use super::auth::Auth;
use super::error::Error;
use super::request::Request;
use super::response::ApiResponse;

/// The `User-Agent` sent with every request: the client crate's name and version.
const USER_AGENT_VALUE: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// Sends the API's operations. Cheap to clone: clones share one connection pool.
#[derive(Clone, Debug)]
pub struct Client {
    base_url: String,
    auth: Auth,
    http: reqwest::Client,
}

/// Configures a [`Client`].
#[derive(Debug)]
#[must_use]
pub struct ClientBuilder {
    base_url: String,
    auth: Auth,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
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
    /// Starts a builder for a server at `base_url`.
    pub fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            auth: Auth::None,
            timeout: None,
            connect_timeout: None,
            http: None,
        }
    }

    /// Sends requests to `base_url` instead of the spec's server, e.g. a test server.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Authenticates every request with `auth`.
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self
    }

    /// Fails a request that has not completed within `timeout`, connection included.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Fails a request whose connection is not established within `timeout`.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Sends through a `reqwest::Client` the caller configured (proxies, TLS
    /// roots); the timeouts of this builder are then not applied.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Builds the client, checking the base URL.
    pub fn build(self) -> Result<Client, BuildError> {
        let base_url = self.base_url.trim_end_matches('/').to_owned();
        Url::parse(&base_url)
            .map_err(|error| BuildError(format!("base URL `{base_url}`: {error}")))?;
        let http = match self.http {
            Some(http) => http,
            None => {
                let mut http = reqwest::Client::builder();
                if let Some(timeout) = self.timeout {
                    http = http.timeout(timeout);
                }
                if let Some(timeout) = self.connect_timeout {
                    http = http.connect_timeout(timeout);
                }
                http.build()
                    .map_err(|error| BuildError(format!("HTTP client: {error}")))?
            }
        };
        Ok(Client {
            base_url,
            auth: self.auth,
            http,
        })
    }
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
        let (status, headers, body) = self.send(request).await?;
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
        let (status, headers, _) = self.send(request).await?;
        Ok(ApiResponse::new(status, headers, ()))
    }

    /// Sends `request` and reads the whole response; a non-success status
    /// becomes an error, its body decoded as `E` when it has that shape.
    async fn send<E>(&self, request: Request) -> Result<(StatusCode, HeaderMap, Bytes), Error<E>>
    where
        E: DeserializeOwned,
    {
        let path = request.path().map_err(Error::InvalidRequest)?;
        let mut url = Url::parse(&format!("{}{path}", self.base_url)).map_err(|error| {
            Error::InvalidRequest(format!("{}: path `{path}`: {error}", request.operation_id))
        })?;
        if !request.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&request.query);
        }
        let mut builder = self
            .http
            .request(request.method, url)
            .header(ACCEPT, HeaderValue::from_static(request.accept))
            .header(USER_AGENT, HeaderValue::from_static(USER_AGENT_VALUE));
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        if let Some(body) = request.body {
            builder = builder
                .header(CONTENT_TYPE, HeaderValue::from_static(body.content_type))
                .body(body.bytes);
        }
        let builder = self.auth.apply(builder);

        let response = builder.send().await.map_err(Error::transport)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(Error::transport)?;
        if status.is_success() {
            return Ok((status, headers, body));
        }
        Err(match serde_json::from_slice(&body) {
            Ok(decoded) => Error::Api {
                status,
                body: decoded,
                headers,
                raw: body,
            },
            Err(_) => Error::UnexpectedResponse {
                status,
                headers,
                raw: body,
            },
        })
    }
}
