//! The request handler: records each request, sends token requests to the
//! token endpoint, and takes API requests through authentication, faults
//! and routing to a response with rate-limit headers.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;

use super::auth::authenticate;
use super::faults::{add_extra_fields, dropping_body};
use super::reply::{Query, plain_error};
use super::routes::route;
use super::state::{RecordedRequest, Shared};
use super::token::token_endpoint;
use super::{Fault, HTML_502_BODY, RATE_LIMIT, TOKEN_PATH};

const MAX_BODY_BYTES: usize = 1 << 20;

pub(super) async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, MAX_BODY_BYTES).await.ok();
    shared.lock().requests.push(RecordedRequest {
        method: parts.method.clone(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts.headers.clone(),
        body: body.clone().unwrap_or_default(),
    });
    if parts.uri.path() == TOKEN_PATH {
        shared.lock().token_requests += 1;
        return token_endpoint(&shared, &parts, &body.unwrap_or_default());
    }

    let remaining = {
        let mut state = shared.lock();
        state.api_requests += 1;
        RATE_LIMIT - 1 - (state.api_requests as u64 - 1) % RATE_LIMIT
    };
    let mut response = match body {
        Some(body) => api_request(&shared, &parts, &body).await,
        None => plain_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "The request body is too large.",
        ),
    };
    let headers = response.headers_mut();
    headers.insert("ratelimit-limit", HeaderValue::from(RATE_LIMIT));
    headers.insert("ratelimit-remaining", HeaderValue::from(remaining));
    response
}

async fn api_request(shared: &Shared, parts: &Parts, body: &Bytes) -> Response {
    let early_fault = shared.take_fault(true);
    match early_fault {
        Some(Fault::ExpireTokens) => shared.lock().tokens.clear(),
        Some(Fault::StaleNonce) => shared.lock().expire_nonces(),
        _ => {}
    }
    let caller = match authenticate(shared, parts) {
        Ok(caller) => caller,
        Err(failure) => return failure.into_response(shared),
    };
    let fault = match early_fault {
        Some(_) => None,
        None => shared.take_fault(false),
    };
    match fault {
        Some(Fault::Html502) => {
            return Response::builder()
                .status(StatusCode::BAD_GATEWAY)
                .header(header::CONTENT_TYPE, "text/html")
                .body(Body::from(HTML_502_BODY))
                .expect("valid response");
        }
        Some(Fault::Status(status, retry_after)) => {
            let status = StatusCode::from_u16(status).expect("checked by push_fault");
            let mut response = plain_error(status, "Injected by Fault::Status.");
            if let Some(seconds) = retry_after {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            }
            return response;
        }
        Some(Fault::Delay(delay)) => tokio::time::sleep(delay).await,
        _ => {}
    }

    let query = Query::parse(parts.uri.query());
    let mut reply = route(shared, parts, body, &query, &caller);
    if fault == Some(Fault::ExtraFields) {
        if let Some(body) = &mut reply.body {
            add_extra_fields(body);
        }
    }
    let envelope = query.flag("envelope");
    let (status, content_type, mut bytes) = reply.render(envelope, query.flag("pretty"));
    if fault == Some(Fault::TruncatedJson) {
        bytes.truncate(bytes.len() / 2);
    }
    let builder = Response::builder().status(status);
    let builder = match content_type {
        Some(content_type) => builder.header(header::CONTENT_TYPE, content_type),
        None => builder,
    };
    if fault == Some(Fault::DropConnectionMidBody) {
        return builder
            .header(header::CONTENT_LENGTH, bytes.len())
            .body(dropping_body(bytes))
            .expect("valid response");
    }
    builder.body(Body::from(bytes)).expect("valid response")
}
