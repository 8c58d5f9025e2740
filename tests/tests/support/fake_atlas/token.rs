//! The service-account token endpoint, `POST /api/oauth/token`: HTTP Basic
//! client credentials and the `client_credentials` grant, answered with a
//! bearer token that expires (or with a queued token-endpoint fault).

use std::time::Instant;

use axum::body::Body;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use base64::Engine as _;
use serde_json::json;

use super::AuthMode;
use super::reply::has_media_type;
use super::state::{ALNUM, Shared, random_string};

pub(super) fn token_endpoint(shared: &Shared, parts: &Parts, body: &[u8]) -> Response {
    if let Some(status) = shared.lock().token_faults.pop_front() {
        let status = StatusCode::from_u16(status).expect("checked by push_fault");
        let error = match status.as_u16() {
            400 => "invalid_request",
            401 => "invalid_client",
            _ => "temporarily_unavailable",
        };
        let mut response = oauth_error(status, error);
        if matches!(status.as_u16(), 429 | 503) {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(1u64));
        }
        return response;
    }
    let AuthMode::ServiceAccount {
        client_id,
        client_secret,
        token_ttl,
    } = &shared.config.auth
    else {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client");
    };
    if parts.method != Method::POST {
        return oauth_error(StatusCode::METHOD_NOT_ALLOWED, "invalid_request");
    }
    if basic_credentials(&parts.headers).as_ref()
        != Some(&(client_id.clone(), client_secret.clone()))
    {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client");
    }
    if !has_media_type(
        &parts.headers,
        header::CONTENT_TYPE,
        "application/x-www-form-urlencoded",
    ) {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_request");
    }
    let grant_types: Vec<_> = form_urlencoded::parse(body)
        .filter(|(name, _)| name == "grant_type")
        .map(|(_, value)| value.into_owned())
        .collect();
    if grant_types != ["client_credentials"] {
        return oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type");
    }
    let token = random_string(48, ALNUM);
    shared
        .lock()
        .tokens
        .insert(token.clone(), Instant::now() + *token_ttl);
    let body = json!({
        "access_token": token,
        "expires_in": token_ttl.as_secs(),
        "token_type": "Bearer",
    });
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CACHE_CONTROL, "no-store")
        .body(Body::from(body.to_string()))
        .expect("valid response")
}

fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("Basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let (id, secret) = std::str::from_utf8(&decoded).ok()?.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

fn oauth_error(status: StatusCode, error: &str) -> Response {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(json!({ "error": error }).to_string()))
        .expect("valid response")
}
