//! Every way a call can fail, kept apart so callers can match on them.

use std::fmt;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

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
    /// A success response whose body does not match the documented schema.
    Decode {
        /// The HTTP status.
        status: StatusCode,
        /// What did not match.
        source: serde_json::Error,
        /// The start of the body, for the message.
        snippet: String,
    },
    /// No complete response arrived in the configured time.
    Timeout(reqwest::Error),
    /// The connection failed, or the request could not be sent.
    Transport(reqwest::Error),
    /// The request could not be built from the arguments given; nothing was sent.
    InvalidRequest(String),
}

impl<E> Error<E> {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api { status, .. }
            | Self::UnexpectedResponse { status, .. }
            | Self::Decode { status, .. } => Some(*status),
            Self::Timeout(_) | Self::Transport(_) | Self::InvalidRequest(_) => None,
        }
    }

    /// The decoded error body, for [`Error::Api`].
    pub fn api_error(&self) -> Option<&E> {
        match self {
            Self::Api { body, .. } => Some(body),
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
        if error.is_timeout() {
            Self::Timeout(error)
        } else {
            Self::Transport(error)
        }
    }
}

/// The start of a body as text, cut at a character boundary.
fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
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
            Self::Decode {
                status,
                source,
                snippet,
            } => write!(
                f,
                "cannot decode the {status} response ({source}): {snippet}"
            ),
            Self::Timeout(_) => f.write_str("the request timed out"),
            Self::Transport(_) => f.write_str("the request could not be sent"),
            Self::InvalidRequest(message) => write!(f, "invalid request: {message}"),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Decode { source, .. } => Some(source),
            Self::Timeout(source) | Self::Transport(source) => Some(source),
            _ => None,
        }
    }
}
