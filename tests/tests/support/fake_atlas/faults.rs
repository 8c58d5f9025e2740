//! One-shot failures ([`Fault`]) and the pieces of a response they change:
//! a body that breaks off mid-way, unknown fields added to a body.

use std::time::Duration;

use axum::body::{Body, Bytes};
use futures_util::StreamExt as _;
use serde_json::{Value, json};

use super::{EXTRA_KEY_FIELD, EXTRA_TOP_LEVEL_FIELD};

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
    pub(super) fn applies_before_auth(&self) -> bool {
        matches!(self, Self::ExpireTokens | Self::StaleNonce)
    }
}

/// Yields the first half of `bytes`, then fails, which makes hyper abort the
/// connection. The pause lets the first half reach the client first, so it
/// sees a response cut mid-body rather than no response.
pub(super) fn dropping_body(bytes: Vec<u8>) -> Body {
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

pub(super) fn add_extra_fields(body: &mut Value) {
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
