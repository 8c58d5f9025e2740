//! Authentication of API requests, per [`AuthMode`]: a static bearer token,
//! a service account's issued tokens, or HTTP Digest (in `digest.rs`).

use std::time::Instant;

use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::Response;

use super::AuthMode;
use super::digest::{check_digest, digest_challenge};
use super::reply::unauthorized;
use super::state::Shared;

/// Who made an authenticated request; becomes `createdBy` of new keys.
pub(super) type Caller = String;

/// Why a request did not authenticate.
pub(super) enum AuthFailure {
    /// A bearer or OAuth token missing or not valid.
    Token(&'static str),
    /// Digest credentials missing or not valid; answered with a fresh nonce.
    Digest { stale: bool },
}

impl AuthFailure {
    pub(super) fn into_response(self, shared: &Shared) -> Response {
        match (self, &shared.config.auth) {
            (Self::Digest { stale }, AuthMode::Digest { algorithm, .. }) => {
                digest_challenge(shared, *algorithm, stale)
            }
            (Self::Token(detail), _) => unauthorized(detail),
            (Self::Digest { .. }, _) => unreachable!("digest failures need digest auth"),
        }
    }
}

pub(super) fn authenticate(shared: &Shared, parts: &Parts) -> Result<Caller, AuthFailure> {
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
