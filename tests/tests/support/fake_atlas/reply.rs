//! Answers before they become responses: [`Reply`] (status, body, whether
//! it is a list) rendered with or without `envelope=true` and `pretty`,
//! Atlas's error bodies, the query string, and media-type matching.

use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use serde_json::{Value, json};

use super::{ERROR_MEDIA_TYPE, PREVIEW_MEDIA_TYPE};

pub(super) fn unauthorized(detail: &str) -> Response {
    plain_error(StatusCode::UNAUTHORIZED, detail)
}

/// An error response outside any envelope (auth, faults).
pub(super) fn plain_error(status: StatusCode, detail: &str) -> Response {
    let body = error_body(status, default_error_code(status), detail);
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, ERROR_MEDIA_TYPE)
        .body(Body::from(body.to_string()))
        .expect("valid response")
}

fn default_error_code(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "VALIDATION_ERROR",
        401 => "UNAUTHORIZED",
        403 => "FORBIDDEN",
        404 => "RESOURCE_NOT_FOUND",
        405 => "METHOD_NOT_ALLOWED",
        406 => "INVALID_VERSION_OR_MEDIA_TYPE",
        409 => "CONFLICT",
        413 => "PAYLOAD_TOO_LARGE",
        429 => "RATE_LIMITED",
        502 => "BAD_GATEWAY",
        503 => "SERVICE_UNAVAILABLE",
        504 => "GATEWAY_TIMEOUT",
        _ => "UNEXPECTED_ERROR",
    }
}

fn error_body(status: StatusCode, error_code: &str, detail: &str) -> Value {
    json!({
        "detail": detail,
        "error": status.as_u16(),
        "errorCode": error_code,
        "parameters": [],
        "reason": status.canonical_reason().unwrap_or("Error"),
    })
}

/// Whether one of the values of header `name` is the media type `expected`,
/// parameters aside.
pub(super) fn has_media_type(
    headers: &HeaderMap,
    name: header::HeaderName,
    expected: &str,
) -> bool {
    headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|media| {
            let essence = media.split(';').next().unwrap_or("").trim();
            essence.eq_ignore_ascii_case(expected)
        })
}

pub(super) struct Query(Vec<(String, String)>);

impl Query {
    pub(super) fn parse(query: Option<&str>) -> Self {
        let pairs = form_urlencoded::parse(query.unwrap_or("").as_bytes());
        Self(
            pairs
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    pub(super) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub(super) fn flag(&self, name: &str) -> bool {
        self.get(name) == Some("true")
    }

    /// A positive integer parameter, `default` when absent.
    pub(super) fn bounded(&self, name: &str, default: u64, max: u64) -> Result<u64, Reply> {
        let Some(value) = self.get(name) else {
            return Ok(default);
        };
        value
            .parse::<u64>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| {
                Reply::error(
                    StatusCode::BAD_REQUEST,
                    format!(
                        "Query parameter {name} must be an integer in 1..={max}, got {value:?}."
                    ),
                )
            })
    }
}

/// The outcome of an operation, before envelope, pretty-printing and faults.
pub(super) struct Reply {
    pub(super) status: StatusCode,
    pub(super) body: Option<Value>,
    /// Lists get `status` added at their top level by `envelope=true`;
    /// everything else is wrapped.
    pub(super) is_list: bool,
    /// Media type of a success body: the version's.
    pub(super) media_type: &'static str,
}

impl Reply {
    pub(super) fn ok(status: StatusCode, body: Value) -> Self {
        Self {
            status,
            body: Some(body),
            is_list: false,
            media_type: PREVIEW_MEDIA_TYPE,
        }
    }

    pub(super) fn list(body: Value) -> Self {
        Self {
            status: StatusCode::OK,
            body: Some(body),
            is_list: true,
            media_type: PREVIEW_MEDIA_TYPE,
        }
    }

    pub(super) fn no_content() -> Self {
        Self {
            status: StatusCode::NO_CONTENT,
            body: None,
            is_list: false,
            media_type: PREVIEW_MEDIA_TYPE,
        }
    }

    pub(super) fn error(status: StatusCode, detail: impl AsRef<str>) -> Self {
        Self::error_with_code(status, default_error_code(status), detail)
    }

    pub(super) fn error_with_code(status: StatusCode, code: &str, detail: impl AsRef<str>) -> Self {
        Self::ok(status, error_body(status, code, detail.as_ref()))
    }

    pub(super) fn not_found(detail: impl AsRef<str>) -> Self {
        Self::error(StatusCode::NOT_FOUND, detail)
    }

    fn is_error(&self) -> bool {
        self.status.is_client_error() || self.status.is_server_error()
    }

    /// Status, content type and body bytes.
    pub(super) fn render(
        self,
        envelope: bool,
        pretty: bool,
    ) -> (StatusCode, Option<&'static str>, Vec<u8>) {
        let content_type = if self.is_error() {
            ERROR_MEDIA_TYPE
        } else {
            self.media_type
        };
        let (status, body) = if envelope {
            let code = self.status.as_u16();
            let body = match self.body {
                Some(Value::Object(mut list)) if self.is_list => {
                    list.insert("status".to_owned(), json!(code));
                    Value::Object(list)
                }
                Some(body) => json!({ "status": code, "content": body }),
                None => json!({ "status": code, "content": {} }),
            };
            (StatusCode::OK, Some(body))
        } else {
            (self.status, self.body)
        };
        match body {
            None => (status, None, Vec::new()),
            Some(body) => {
                let bytes = if pretty {
                    serde_json::to_vec_pretty(&body)
                } else {
                    serde_json::to_vec(&body)
                };
                (
                    status,
                    Some(content_type),
                    bytes.expect("JSON values serialize"),
                )
            }
        }
    }
}
