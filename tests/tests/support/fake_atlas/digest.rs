//! HTTP Digest (RFC 7616, `qop=auth`): checking a request's answer to a
//! challenge, nonces that serve a limited number of requests and are then
//! answered `stale=true`, and the challenge itself.

use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use digest_auth::{AuthContext, AuthorizationHeader, HttpMethod, Qop};

use super::auth::{AuthFailure, Caller};
use super::reply::unauthorized;
use super::state::{ALNUM, Shared, random_string};
use super::{DIGEST_REALM, DigestAlgorithm};

pub(super) fn check_digest(
    shared: &Shared,
    parts: &Parts,
    public_key: &str,
    private_key: &str,
    algorithm: DigestAlgorithm,
) -> Result<Caller, AuthFailure> {
    let reject = |stale| Err(AuthFailure::Digest { stale });
    let Some(credentials) = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("Digest"))
        .map(|(_, credentials)| credentials)
    else {
        return reject(false);
    };
    let Ok(given) = AuthorizationHeader::parse(credentials) else {
        return reject(false);
    };
    // The digest covers the request-target; one computed for another URI
    // (e.g. without the query) must fail as it would against Atlas.
    let uri = parts.uri.path_and_query().map_or("/", |pq| pq.as_str());
    if given.username != public_key
        || given.realm != DIGEST_REALM
        || given.algorithm != algorithm.as_digest_auth()
        || given.qop != Some(Qop::AUTH)
        || given.cnonce.is_none()
        || given.userhash
        || given.uri != uri
    {
        return reject(false);
    }
    let mut expected = given.clone();
    expected.digest(&AuthContext::new_with_method(
        public_key,
        private_key,
        uri,
        None::<&[u8]>,
        HttpMethod::from(parts.method.as_str()),
    ));
    if !expected.response.eq_ignore_ascii_case(&given.response) {
        return reject(false);
    }
    match shared.lock().nonces.get_mut(&given.nonce) {
        None => reject(false),
        Some(0) => reject(true),
        Some(uses_left) => {
            *uses_left -= 1;
            Ok(public_key.to_owned())
        }
    }
}

pub(super) fn digest_challenge(
    shared: &Shared,
    algorithm: DigestAlgorithm,
    stale: bool,
) -> Response {
    let nonce = random_string(32, ALNUM);
    shared
        .lock()
        .nonces
        .insert(nonce.clone(), shared.config.nonce_max_uses);
    let challenge = format!(
        r#"Digest realm="{DIGEST_REALM}", domain="", nonce="{nonce}", algorithm={}, qop="auth", stale={stale}"#,
        algorithm.name()
    );
    let mut response = unauthorized(if stale {
        "The digest nonce has expired."
    } else {
        "The request carries no valid digest credentials."
    });
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_str(&challenge).expect("challenge is ASCII"),
    );
    response
}
