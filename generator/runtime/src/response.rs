//! A successful response: status, headers and the decoded body.

use std::ops::Deref;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// A decoded success response. Dereferences to the body, so fields read as
/// `response.name`; [`into_inner`](Self::into_inner) takes the body out.
#[derive(Clone, Debug)]
pub struct ApiResponse<T> {
    status: StatusCode,
    headers: HeaderMap,
    body: T,
}

impl<T> ApiResponse<T> {
    pub(super) fn new(status: StatusCode, headers: HeaderMap, body: T) -> Self {
        Self {
            status,
            headers,
            body,
        }
    }

    /// The HTTP status the server answered with.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The request quota of the current window (`RateLimit-Limit`), if sent.
    pub fn rate_limit_limit(&self) -> Option<u64> {
        self.header_number("RateLimit-Limit")
    }

    /// The requests left in the current window (`RateLimit-Remaining`), if sent.
    pub fn rate_limit_remaining(&self) -> Option<u64> {
        self.header_number("RateLimit-Remaining")
    }

    fn header_number(&self, name: &str) -> Option<u64> {
        self.headers.get(name)?.to_str().ok()?.trim().parse().ok()
    }

    /// Takes the decoded body, dropping status and headers.
    pub fn into_inner(self) -> T {
        self.body
    }
}

impl<T> Deref for ApiResponse<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.body
    }
}
