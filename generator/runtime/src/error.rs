//! Every way a call can fail, kept apart so callers can match on them.

use std::fmt;
use std::sync::LazyLock;

use bytes::Bytes;
use regex::Regex;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::download::BodyError;

/// How many bytes of an undecodable body an error keeps for its message.
const SNIPPET_LEN: usize = 256;

/// The error of every generated operation; `E` is the operation's documented
/// error body.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The server answered with a non-success status and a body of the
    /// documented error shape.
    Api {
        /// The HTTP status.
        status: StatusCode,
        /// The decoded error body.
        body: E,
        /// The response headers.
        headers: HeaderMap,
        /// The body as received.
        raw: Bytes,
    },
    /// The server answered with a non-success status and a body that is not of
    /// the documented error shape, such as a proxy's HTML page.
    UnexpectedResponse {
        /// The HTTP status.
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// The body as received.
        raw: Bytes,
    },
    /// The server does not serve the API version asked for: 406 Not
    /// Acceptable, or 410 Gone for a versioned request (a version past its
    /// sunset). Pinning a newer version is the fix; retrying is not.
    VersionUnavailable {
        /// The HTTP status, 406 or 410.
        status: StatusCode,
        /// The API version asked for, when the API versions its media types.
        version: Option<&'static str>,
        /// The media type sent in `Accept`.
        media_type: &'static str,
        /// The error body, when it has the documented shape.
        body: Option<E>,
        /// The body as received.
        raw: Bytes,
    },
    /// A success response whose body does not match the documented schema.
    Decode {
        /// The HTTP status.
        status: StatusCode,
        /// What did not match.
        source: serde_json::Error,
        /// The start of the body, for the message.
        snippet: String,
    },
    /// A success body that could not be read as its media type says (text
    /// that is not UTF-8), or that failed while it was arriving.
    Body(BodyError),
    /// No complete response arrived in the configured time.
    Timeout(reqwest::Error),
    /// The connection failed, or the request could not be sent.
    Transport {
        /// What failed. Its URL is left out: a query may hold an API key.
        source: reqwest::Error,
        /// False when no connection was made, so the server cannot have
        /// seen the request; true when it may have (the connection dropped
        /// after sending began), so a `POST` may have taken effect.
        may_have_reached_server: bool,
    },
    /// An argument breaks a rule of the API description; nothing was sent.
    InvalidInput {
        /// The parameter or body field, as the API names it (`groupId`, `name`).
        field: String,
        /// The rule it breaks, e.g. "must be at least 1".
        rule: String,
    },
    /// The OAuth 2.0 token request was refused (a wrong client id or
    /// secret, a disabled client), or kept failing after every retry.
    TokenRejected {
        /// The token endpoint's status.
        status: StatusCode,
        /// The token endpoint's body.
        raw: Bytes,
    },
    /// The token endpoint kept rate-limiting this client after every retry.
    TokenRateLimited {
        /// How long the endpoint asked to wait, if it said.
        retry_after: Option<std::time::Duration>,
    },
}

/// An argument that breaks a rule of the API description.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidInput {
    /// The parameter or body field, as the API names it.
    pub field: String,
    /// The rule it breaks.
    pub rule: String,
}

impl InvalidInput {
    /// `field` breaks `rule`.
    pub fn new(field: impl Into<String>, rule: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            rule: rule.into(),
        }
    }

    /// The same failure, for a field inside `parent`: `parent.field`.
    pub fn within(self, parent: &str) -> Self {
        Self {
            field: format!("{parent}.{}", self.field),
            rule: self.rule,
        }
    }
}

impl<E> From<InvalidInput> for Error<E> {
    fn from(invalid: InvalidInput) -> Self {
        Self::InvalidInput {
            field: invalid.field,
            rule: invalid.rule,
        }
    }
}

impl<E> From<BodyError> for Error<E> {
    fn from(error: BodyError) -> Self {
        Self::Body(error)
    }
}

impl<E> Error<E> {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api { status, .. }
            | Self::UnexpectedResponse { status, .. }
            | Self::VersionUnavailable { status, .. }
            | Self::Decode { status, .. } => Some(*status),
            Self::TokenRejected { status, .. } => Some(*status),
            Self::TokenRateLimited { .. } => Some(StatusCode::TOO_MANY_REQUESTS),
            Self::Timeout(_)
            | Self::Transport { .. }
            | Self::InvalidInput { .. }
            | Self::Body(_) => None,
        }
    }

    /// The decoded error body, for [`Error::Api`] and
    /// [`Error::VersionUnavailable`].
    pub fn api_error(&self) -> Option<&E> {
        match self {
            Self::Api { body, .. } => Some(body),
            Self::VersionUnavailable { body, .. } => body.as_ref(),
            _ => None,
        }
    }

    pub(super) fn decode(status: StatusCode, source: serde_json::Error, body: &[u8]) -> Self {
        Self::Decode {
            status,
            source,
            snippet: snippet(body),
        }
    }

    pub(super) fn transport(error: reqwest::Error) -> Self {
        let error = error.without_url();
        if error.is_timeout() {
            Self::Timeout(error)
        } else {
            Self::Transport {
                may_have_reached_server: !error.is_connect(),
                source: error,
            }
        }
    }
}

/// Members whose values never go into a message: `secret`, `clientSecret`,
/// `password`, `access_token` and the like. The value may be cut short (a
/// truncated body), so it runs to the closing quote or the end.
static SENSITIVE_MEMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)("[^"]*(?:secret|password|token)[^"]*"\s*:\s*)"(?:[^"\\]|\\.)*(?:"|$)"#)
        .expect("the pattern is valid")
});

/// The start of a body as text, sensitive values masked, cut at a
/// character boundary.
fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = SENSITIVE_MEMBER.replace_all(&text, r#"${1}"[REDACTED]""#);
    match text.char_indices().nth(SNIPPET_LEN) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.into_owned(),
    }
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Api { status, raw, .. } => {
                write!(f, "the server answered {status}: {}", snippet(raw))
            }
            Self::UnexpectedResponse { status, raw, .. } => {
                write!(
                    f,
                    "the server answered {status} with an unexpected body: {}",
                    snippet(raw)
                )
            }
            Self::VersionUnavailable {
                status,
                version,
                media_type,
                raw,
                ..
            } => {
                match version {
                    Some(version) => write!(f, "API version {version} (`{media_type}`)")?,
                    None => write!(f, "the media type `{media_type}`")?,
                }
                write!(
                    f,
                    " is not served ({status}); pin a newer version: {}",
                    snippet(raw)
                )
            }
            Self::Decode {
                status,
                source,
                snippet,
            } => write!(
                f,
                "cannot decode the {status} response ({source}): {snippet}"
            ),
            Self::Body(error) => error.fmt(f),
            Self::Timeout(_) => f.write_str("the request timed out"),
            Self::Transport {
                may_have_reached_server: false,
                ..
            } => f.write_str("the request could not be sent: no connection was made"),
            Self::Transport { .. } => f.write_str(
                "the connection failed during the request, which may have reached the server",
            ),
            Self::InvalidInput { field, rule } => write!(f, "invalid `{field}`: {rule}"),
            Self::TokenRejected { status, .. } => {
                write!(f, "the token request was refused ({status})")
            }
            Self::TokenRateLimited {
                retry_after: Some(delay),
            } => write!(
                f,
                "the token endpoint is rate-limiting; retry after {}s",
                delay.as_secs()
            ),
            Self::TokenRateLimited { retry_after: None } => {
                f.write_str("the token endpoint is rate-limiting")
            }
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Decode { source, .. } => Some(source),
            Self::Timeout(source) | Self::Transport { source, .. } => Some(source),
            Self::Body(source) => Some(source),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::snippet;

    #[test]
    fn snippets_mask_secrets_even_when_cut() {
        let body = br#"{"name":"k","secret":"al-abc\"def","maskedSecret":"al-****"}"#;
        let text = snippet(body);
        assert!(!text.contains("al-abc"), "{text}");
        assert!(text.contains(r#""secret":"[REDACTED]""#), "{text}");
        assert!(text.contains(r#""name":"k""#), "{text}");

        let truncated = snippet(br#"{"access_token": "eyJhbGciOi"#);
        assert!(!truncated.contains("eyJ"), "{truncated}");
    }
}
