//! Every operation of the generated `atlas_ai_model_api_keys` client against
//! a loopback `wiremock` server.
//!
//! The wire table ([`wire_rows`]) has a row per way of calling an
//! operation: each of the seven in the default (stable `2025-03-12`)
//! version, pinned to it and pinned to the preview, and the optional
//! parameters each one takes. One driver checks every row: the request on
//! the wire (method, path, the whole query, headers, JSON body) and the
//! decoding of the API description's example answer in the version's
//! types. Another runs each operation against the description's example
//! error bodies. The rest cover what does not come from the description:
//! answers that differ from the examples, proxy pages, truncated bodies,
//! hostile path parameters, secrets in `Debug`, and versions a server no
//! longer serves.

use atlas_ai_model_api_keys::types::{
    AiModelApiKey, AiModelApiKeyCloud, AiModelApiKeyCreateRequest, AiModelApiKeyGeography,
    AiModelApiKeyResponse, ApiError, PaginatedAiModelApiKeys, PaginatedAtlasAiModelApiKeysResponse,
};
use atlas_ai_model_api_keys::{Auth, Client, Error, ExposeSecret, RetryPolicy};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Value, json};
use wiremock::matchers::{any, body_json, header, method, path};
use wiremock::{Mock, MockBuilder, MockServer, Request, ResponseTemplate};

use crate::support::operations::{
    API_KEY_ID, Answer, Body, Call, GROUP_ID, ORG_ID, Op, PREVIEW, Params, STABLE, Version,
};

const TOKEN: &str = "test-service-account-token";
const SECRET: &str = "al-jZsluhPMzPM9CFXepRWwMwvpZDDra6tZMgoAZKdodu2";

// ---------------------------------------------------------------------------
// The wire table
// ---------------------------------------------------------------------------

/// A row per way of calling an operation: every operation in every version
/// with no optional parameter, then the optional parameters each operation
/// takes, some of them alone (a parameter that is not set must not be sent).
fn wire_rows() -> Vec<Call> {
    use Op::*;
    use Version::*;
    const NONE: Params = Params {
        items_per_page: None,
        page_num: None,
        envelope: None,
        pretty: None,
    };
    let every_version = Op::ALL
        .into_iter()
        .flat_map(|op| [Default, Pinned, Preview].map(|version| Call::new(op, version)));
    #[rustfmt::skip]
    let with_parameters = [
        Call::new(ListGroupKeys, Default).with(Params { items_per_page: Some(10), page_num: Some(2), pretty: Some(true), envelope: Some(false) }),
        Call::new(ListGroupKeys, Default).sent_explicitly(),
        Call::new(CreateGroupKey, Default).with(Params { pretty: Some(true), envelope: Some(false), ..NONE }),
        Call::new(CreateGroupKey, Default).with(Params { envelope: Some(true), ..NONE }).named("Staging key"),
        Call::new(GetGroupKey, Default).with(Params { envelope: Some(false), ..NONE }),
        Call::new(UpdateGroupKey, Default).with(Params { pretty: Some(true), ..NONE }).sent_explicitly(),
        Call::new(DeleteGroupKey, Default).with(Params { envelope: Some(false), pretty: Some(true), ..NONE }),
        Call::new(ListOrgKeys, Default).with(Params { items_per_page: Some(10), page_num: Some(2), envelope: Some(true), pretty: Some(false) }),
        Call::new(ListOrgKeys, Default).with(Params { items_per_page: Some(500), ..NONE }),
        Call::new(GetOrgKey, Default).with(Params { pretty: Some(true), envelope: Some(false), ..NONE }),
    ];
    every_version.chain(with_parameters).collect()
}

#[tokio::test]
async fn every_row_sends_exactly_its_request_and_decodes_the_example_answer() {
    let rows = wire_rows();
    assert_eq!(rows.len(), 31);
    for call in rows {
        // Shown with the failure, to name the row.
        println!("row: {call:?}");
        check_wire(&call).await;
    }
}

/// Sends `call` to a server that answers only a request with the version's
/// `Accept` and the bearer token, with the example answer; checks the
/// request it received, whole, and what the client decoded.
async fn check_wire(call: &Call) {
    let (op, media_type) = (call.op, call.version.media_type());
    let server = MockServer::start().await;
    expect_request(op, media_type)
        .respond_with(example_answer(call))
        .expect(1)
        .mount(&server)
        .await;

    let decoded = call
        .send(&client(&server))
        .await
        .unwrap_or_else(|error| panic!("{call:?} failed: {error}"));

    server.verify().await;
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), op.method());
    assert_eq!(request.url.path(), op.path());
    assert_query(&request, &call.params.query());
    assert_versioned_headers(&request, media_type);
    match call.body() {
        Some(body) => assert_json_body(&request, media_type, &body),
        None => assert_no_body(&request),
    }
    assert_eq!(decoded.status, op.success());
    assert_eq!(
        decoded
            .headers
            .get("ratelimit-remaining")
            .and_then(|value| value.to_str().ok()),
        Some("99"),
        "response headers are kept"
    );
    match &decoded.body {
        Body::Page(page) => assert_example_page(page),
        Body::Key(key) => assert_example_key(key),
        Body::PreviewPage(page) => assert_example_preview_page(page),
        Body::PreviewKey(key) => assert_example_preview_key(key),
        Body::Deleted => {}
    }
}

/// The description's example success answer to `call`, in its version's
/// shape and media type, with a rate-limit header.
fn example_answer(call: &Call) -> ResponseTemplate {
    let preview = call.version == Version::Preview;
    let body = match call.op.answer() {
        Answer::Nothing => {
            return ResponseTemplate::new(204).insert_header("RateLimit-Remaining", "99");
        }
        Answer::Page if preview => preview_list_json(),
        Answer::Page => list_json(),
        Answer::Key if preview => preview_key_json(),
        Answer::Key => key_json(),
    };
    versioned_response(call.op.success(), &body, call.version.media_type())
        .insert_header("RateLimit-Remaining", "99")
}

/// Pinning `2025-03-12` explicitly sends what `Client`'s own method sends,
/// byte for byte, and decodes the same answer the same way.
#[tokio::test]
async fn pinning_the_stable_version_matches_the_default() {
    for op in Op::ALL {
        let server = MockServer::start().await;
        let default = Call::new(op, Version::Default);
        expect_request(op, STABLE)
            .respond_with(example_answer(&default))
            .expect(2)
            .mount(&server)
            .await;

        let client = client(&server);
        let by_default = default.send(&client).await.unwrap();
        let pinned = Call::new(op, Version::Pinned).send(&client).await.unwrap();

        server.verify().await;
        assert_eq!(pinned.status, by_default.status, "{op:?}");
        assert_eq!(pinned.json(), by_default.json(), "{op:?}");
        let requests = server.received_requests().await.unwrap();
        let [first, second] = &requests[..] else {
            panic!("{op:?}: expected two requests: {requests:?}");
        };
        assert_eq!(first.method, second.method, "{op:?}");
        assert_eq!(first.url, second.url, "{op:?}");
        assert_eq!(first.headers, second.headers, "{op:?}");
        assert_eq!(first.body, second.body, "{op:?}");
    }
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// A client that sends each call once: these tests count requests exactly,
/// and retries have tests of their own.
fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .auth(Auth::new().service_accounts_token(TOKEN))
        .retry(RetryPolicy::none())
        .build()
        .expect("the mock server's URI is a valid base URL")
}

/// The single-key example of the API description, version 2025-03-12.
fn key_json() -> Value {
    let mut key = preview_key_json();
    key["cloud"] = json!("ANY");
    key["endpoint"] = json!("ai.mongodb.com");
    key["geography"] = json!("ANY");
    key
}

/// The single-key example of the API description, preview version.
fn preview_key_json() -> Value {
    json!({
        "apiKeyId": "a86r5kwrfsk5r5ku5tgvhmpj",
        "createdAt": "2026-01-15T16:47:49.855000+00:00",
        "createdBy": "John Doe",
        "groupId": "69681d39c9e8cfd375386316",
        "lastUsedAt": "2026-01-15T16:47:49.855000+00:00",
        "maskedSecret": "al-****odu2",
        "name": "Production key",
        "secret": SECRET,
        "status": "ACTIVE"
    })
}

/// The list example of the API description, version 2025-03-12.
fn list_json() -> Value {
    page_json(key_json())
}

/// The list example of the API description, preview version.
fn preview_list_json() -> Value {
    page_json(preview_key_json())
}

fn page_json(key: Value) -> Value {
    json!({
        "links": [{ "href": "https://cloud.mongodb.com/api/atlas", "rel": "self" }],
        "results": [key],
        "totalCount": 42
    })
}

/// The API description's example error body for `status`.
fn error_json(status: u16) -> Value {
    const PREFIX: &str =
        "(This is just an example, the exception may not be related to this endpoint)";
    let (detail, reason, code) = match status {
        400 => (
            format!("{PREFIX} No provider AWS exists."),
            "Bad Request",
            "VALIDATION_ERROR",
        ),
        401 => (PREFIX.to_owned(), "Unauthorized", "NOT_ORG_GROUP_CREATOR"),
        403 => (PREFIX.to_owned(), "Forbidden", "CANNOT_CHANGE_GROUP_NAME"),
        404 => (
            format!("{PREFIX} Cannot find resource AWS"),
            "Not Found",
            "RESOURCE_NOT_FOUND",
        ),
        429 => (PREFIX.to_owned(), "Too Many Requests", "RATE_LIMITED"),
        500 => (
            PREFIX.to_owned(),
            "Internal Server Error",
            "UNEXPECTED_ERROR",
        ),
        other => panic!("the API description has no example error body for {other}"),
    };
    json!({ "error": status, "detail": detail, "reason": reason, "errorCode": code })
}

/// A success response carrying `body` with the stable media type, as Atlas
/// serves it.
fn stable_response(status: u16, body: &Value) -> ResponseTemplate {
    versioned_response(status, body, STABLE)
}

fn versioned_response(status: u16, body: &Value, media_type: &str) -> ResponseTemplate {
    let bytes = serde_json::to_vec(body).expect("JSON values serialise");
    ResponseTemplate::new(status).set_body_raw(bytes, media_type)
}

/// An error response as Atlas serves it. Pretty-printed so that `raw` can only
/// equal it if the client keeps the bytes rather than re-serialising.
fn error_response(status: u16) -> (ResponseTemplate, Vec<u8>) {
    let bytes = serde_json::to_vec_pretty(&error_json(status)).expect("JSON values serialise");
    let template = ResponseTemplate::new(status).set_body_raw(bytes.clone(), "application/json");
    (template, bytes)
}

/// 2026-01-15T16:47:49.855Z, built independently of any parser.
fn example_instant() -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(2026, 1, 15)
        .and_then(|date| date.and_hms_milli_opt(16, 47, 49, 855))
        .expect("a valid date and time")
        .and_utc()
}

fn assert_example_key(key: &AiModelApiKeyResponse) {
    assert_eq!(key.cloud.as_deref(), Some("ANY"));
    assert_eq!(key.endpoint.as_deref(), Some("ai.mongodb.com"));
    assert_eq!(key.geography.as_deref(), Some("ANY"));
    assert_eq!(key.api_key_id.as_deref(), Some(API_KEY_ID));
    assert_eq!(key.created_at, Some(example_instant()));
    assert_eq!(key.created_by.as_deref(), Some("John Doe"));
    assert_eq!(key.group_id.as_deref(), Some("69681d39c9e8cfd375386316"));
    assert_eq!(key.last_used_at, Some(example_instant()));
    assert_eq!(key.masked_secret.as_deref(), Some("al-****odu2"));
    assert_eq!(key.name.as_deref(), Some("Production key"));
    let secret = key.secret.as_ref().expect("the example carries the secret");
    assert_eq!(secret.expose_secret(), SECRET);
    assert_eq!(key.status.as_deref(), Some("ACTIVE"));
}

fn assert_example_preview_key(key: &AiModelApiKey) {
    assert_eq!(key.api_key_id.as_deref(), Some(API_KEY_ID));
    assert_eq!(key.created_at, Some(example_instant()));
    assert_eq!(key.created_by.as_deref(), Some("John Doe"));
    assert_eq!(key.group_id.as_deref(), Some("69681d39c9e8cfd375386316"));
    assert_eq!(key.last_used_at, Some(example_instant()));
    assert_eq!(key.masked_secret.as_deref(), Some("al-****odu2"));
    assert_eq!(key.name.as_deref(), Some("Production key"));
    let secret = key.secret.as_ref().expect("the example carries the secret");
    assert_eq!(secret.expose_secret(), SECRET);
    assert_eq!(key.status.as_deref(), Some("ACTIVE"));
}

fn assert_example_page(page: &PaginatedAtlasAiModelApiKeysResponse) {
    let links = page.links.as_ref().expect("the example has links");
    assert_eq!(links.len(), 1);
    assert_eq!(
        links[0].href.as_deref(),
        Some("https://cloud.mongodb.com/api/atlas")
    );
    assert_eq!(links[0].rel.as_deref(), Some("self"));
    assert_eq!(page.results.len(), 1);
    assert_example_key(&page.results[0]);
    assert_eq!(page.total_count, Some(42));
}

fn assert_example_preview_page(page: &PaginatedAiModelApiKeys) {
    let links = page.links.as_ref().expect("the example has links");
    assert_eq!(links.len(), 1);
    assert_eq!(
        links[0].href.as_deref(),
        Some("https://cloud.mongodb.com/api/atlas")
    );
    assert_eq!(links[0].rel.as_deref(), Some("self"));
    assert_eq!(page.results.len(), 1);
    assert_example_preview_key(&page.results[0]);
    assert_eq!(page.total_count, Some(42));
}

/// Routes only requests for `op` that carry the headers every call pinned
/// to the version of `media_type` must send, so a request without them is
/// answered 404 by wiremock and fails the call.
fn expect_request(op: Op, media_type: &str) -> MockBuilder {
    expect_at(op.method(), &op.path(), media_type)
}

/// Like [`expect_request`], for any method and path.
fn expect_at(http_method: &str, request_path: &str, media_type: &str) -> MockBuilder {
    Mock::given(method(http_method))
        .and(path(request_path))
        .and(header("accept", media_type))
        .and(header("authorization", format!("Bearer {TOKEN}")))
}

/// The one request the server received; more or fewer is a failure.
async fn only_request(server: &MockServer) -> Request {
    let mut requests = server
        .received_requests()
        .await
        .expect("wiremock records requests by default");
    assert_eq!(
        requests.len(),
        1,
        "expected exactly one request: {requests:?}"
    );
    requests.remove(0)
}

/// The value of a header that must appear exactly once.
fn single_header<'r>(request: &'r Request, name: &str) -> &'r str {
    let values: Vec<_> = request.headers.get_all(name).iter().collect();
    assert_eq!(
        values.len(),
        1,
        "header {name} must be sent once: {values:?}"
    );
    values[0].to_str().expect("header values are ASCII")
}

/// The headers every call pinned to the version of `media_type` sends.
fn assert_versioned_headers(request: &Request, media_type: &str) {
    assert_eq!(single_header(request, "accept"), media_type);
    assert_eq!(
        single_header(request, "authorization"),
        format!("Bearer {TOKEN}")
    );
    let user_agent = single_header(request, "user-agent");
    let version = user_agent
        .strip_prefix("atlas-ai-model-api-keys/")
        .unwrap_or_else(|| panic!("unexpected User-Agent {user_agent:?}"));
    assert!(
        !version.is_empty(),
        "User-Agent lacks a version: {user_agent:?}"
    );
}

/// Compares the whole query, so a parameter that was not set fails the test
/// if it is sent anyway (even with its default value).
fn assert_query(request: &Request, expected: &[(&str, String)]) {
    if expected.is_empty() {
        assert_eq!(request.url.query(), None, "no query string expected");
        return;
    }
    let mut actual: Vec<(String, String)> = request
        .url
        .query_pairs()
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    actual.sort();
    let mut expected: Vec<(String, String)> = expected
        .iter()
        .map(|(name, value)| ((*name).to_owned(), value.clone()))
        .collect();
    expected.sort();
    assert_eq!(actual, expected);
}

fn assert_json_body(request: &Request, media_type: &str, expected: &Value) {
    assert_eq!(single_header(request, "content-type"), media_type);
    let sent: Value = serde_json::from_slice(&request.body).expect("the body is JSON");
    assert_eq!(&sent, expected);
}

fn assert_no_body(request: &Request) {
    assert!(
        request.headers.get("content-type").is_none(),
        "a request without a body must not declare a Content-Type"
    );
    assert!(
        request.body.is_empty(),
        "unexpected body {:?}",
        request.body
    );
}

/// Takes the parts of an `Error::Api`, failing on any other outcome.
fn into_api_error<T: std::fmt::Debug>(
    result: Result<T, Error<ApiError>>,
) -> (u16, ApiError, Vec<u8>, wiremock::http::HeaderMap) {
    match result {
        Err(Error::Api {
            status,
            body,
            headers,
            raw,
        }) => (status.as_u16(), body, raw.to_vec(), headers),
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

fn assert_example_error(status: u16, error: &ApiError) {
    let expected = error_json(status);
    assert_eq!(error.error, i32::from(status));
    assert_eq!(error.error_code, expected["errorCode"].as_str().unwrap());
    assert_eq!(error.reason.as_deref(), expected["reason"].as_str());
    assert_eq!(error.detail.as_deref(), expected["detail"].as_str());
    assert_eq!(error.parameters, None);
    assert_eq!(error.bad_request_detail, None);
}

/// The seven operations, for checks that hold for each of them.
// ---------------------------------------------------------------------------
// Response bodies that differ from the examples
// ---------------------------------------------------------------------------

#[tokio::test]
async fn null_last_used_at_and_absent_or_null_secret_decode_as_none() {
    // Only the create response carries the secret; a never-used key has a
    // null `lastUsedAt`.
    let mut without_secret = key_json();
    let object = without_secret.as_object_mut().unwrap();
    object.remove("secret");
    object.insert("lastUsedAt".to_owned(), Value::Null);
    let mut null_secret = without_secret.clone();
    null_secret["secret"] = Value::Null;

    for body in [without_secret, null_secret] {
        let server = MockServer::start().await;
        expect_request(Op::GetGroupKey, STABLE)
            .respond_with(stable_response(200, &body))
            .expect(1)
            .mount(&server)
            .await;

        let key = client(&server)
            .get_group_ai_model_api_key(GROUP_ID, API_KEY_ID)
            .await
            .unwrap_or_else(|error| panic!("{body} should decode: {error}"))
            .into_inner();

        server.verify().await;
        assert!(key.secret.is_none(), "secret should be None for {body}");
        assert_eq!(key.last_used_at, None);
        assert_eq!(key.created_at, Some(example_instant()));
        assert_eq!(key.api_key_id.as_deref(), Some(API_KEY_ID));
        assert_eq!(key.masked_secret.as_deref(), Some("al-****odu2"));
        assert_eq!(key.name.as_deref(), Some("Production key"));
    }
}

#[tokio::test]
async fn unknown_response_fields_are_ignored() {
    // Atlas adds fields to preview resources without notice; old clients must
    // keep decoding.
    let mut key = key_json();
    key["embeddingModels"] = json!(["voyage-3"]);
    key["quota"] = json!({ "requestsPerMinute": 300 });
    let mut page = list_json();
    page["results"] = json!([key]);
    page["nextCursor"] = json!("abc");
    page["links"][0]["title"] = json!("Self");

    let server = MockServer::start().await;
    expect_request(Op::ListOrgKeys, STABLE)
        .respond_with(stable_response(200, &page))
        .expect(1)
        .mount(&server)
        .await;
    expect_request(Op::GetOrgKey, STABLE)
        .respond_with(stable_response(200, &key))
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    let listed = client
        .list_org_ai_model_api_keys(ORG_ID)
        .await
        .expect("extra fields are accepted in a page");
    let fetched = client
        .get_org_ai_model_api_key(ORG_ID, API_KEY_ID)
        .await
        .expect("extra fields are accepted in a key");

    server.verify().await;
    assert_example_page(&listed);
    assert_example_key(&fetched);
}

#[tokio::test]
async fn page_without_required_results_is_a_decode_error() {
    let server = MockServer::start().await;
    let body = json!({ "links": [], "totalCount": 0 });
    expect_request(Op::ListOrgKeys, STABLE)
        .respond_with(stable_response(200, &body))
        .expect(1)
        .mount(&server)
        .await;

    let result = client(&server).list_org_ai_model_api_keys(ORG_ID).await;

    server.verify().await;
    match result {
        Err(Error::Decode {
            status,
            source,
            snippet,
        }) => {
            assert_eq!(status, 200);
            assert!(
                source.is_data(),
                "a shape mismatch, not a syntax error: {source}"
            );
            assert!(source.to_string().contains("results"), "{source}");
            assert_eq!(snippet, body.to_string());
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn truncated_json_success_body_is_a_decode_error_quoting_the_body() {
    const TRUNCATED: &str = r#"{"apiKeyId":"a86r5kwrfsk5r5ku5tgvhmpj","createdAt":"2026-01-15T16:47:49.855000+00:00","createdBy":"Jo"#;
    let server = MockServer::start().await;
    expect_request(Op::GetGroupKey, STABLE)
        .respond_with(ResponseTemplate::new(200).set_body_raw(TRUNCATED, STABLE))
        .expect(1)
        .mount(&server)
        .await;

    let error = client(&server)
        .get_group_ai_model_api_key(GROUP_ID, API_KEY_ID)
        .await
        .expect_err("a truncated body cannot decode");

    server.verify().await;
    assert_eq!(error.status().map(|status| status.as_u16()), Some(200));
    assert!(error.api_error().is_none());
    let message = error.to_string();
    assert!(
        message.contains(TRUNCATED),
        "the message should quote the body: {message}"
    );
    match error {
        Error::Decode {
            status,
            source,
            snippet,
        } => {
            assert_eq!(status, 200);
            assert!(source.is_eof(), "the body ends early: {source}");
            assert_eq!(snippet, TRUNCATED);
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// Error responses
// ---------------------------------------------------------------------------

#[tokio::test]
async fn documented_error_bodies_decode_into_api_error_for_every_operation() {
    for op in Op::ALL {
        for &status in documented_error_statuses(op) {
            let call = Call::new(op, Version::Default);
            let server = MockServer::start().await;
            let (response, sent) = error_response(status);
            expect_request(op, STABLE)
                .respond_with(response)
                .expect(1)
                .mount(&server)
                .await;

            let result = call.send(&client(&server)).await;

            server.verify().await;
            let request = only_request(&server).await;
            assert_query(&request, &[]);
            assert_versioned_headers(&request, STABLE);
            if let Some(body) = call.body() {
                assert_json_body(&request, STABLE, &body);
            }

            let context = format!("{op:?} answered {status}");
            let (got_status, error, raw, headers) = into_api_error(result);
            assert_eq!(got_status, status, "{context}");
            assert_example_error(status, &error);
            assert_eq!(raw, sent, "{context}: raw must be the bytes sent");
            assert_eq!(
                headers.get("content-type").map(|value| value.as_bytes()),
                Some(&b"application/json"[..]),
                "{context}"
            );
        }
    }
}

/// The error statuses the description documents with an example body, per
/// operation; 429 has a test of its own because it also carries
/// `Retry-After`.
fn documented_error_statuses(op: Op) -> &'static [u16] {
    match op {
        Op::CreateGroupKey | Op::UpdateGroupKey | Op::DeleteGroupKey => &[400, 401, 403, 404, 500],
        _ => &[401, 403, 404, 500],
    }
}

#[tokio::test]
async fn create_validation_error_decodes_field_violations() {
    let mut body = error_json(400);
    body["parameters"] = json!([{ "name": "name" }]);
    body["badRequestDetail"] = json!({
        "fields": [{ "field": "name", "description": "must not be blank" }]
    });
    let sent = serde_json::to_vec(&body).unwrap();
    let server = MockServer::start().await;
    expect_request(Op::CreateGroupKey, STABLE)
        .and(body_json(
            json!({ "cloud": "ANY", "geography": "ANY", "name": "   " }),
        ))
        .respond_with(ResponseTemplate::new(400).set_body_raw(sent.clone(), "application/json"))
        .expect(1)
        .mount(&server)
        .await;

    // Long enough for the client's length check; only the server knows
    // blank names are refused.
    let blank = AiModelApiKeyCreateRequest::new(
        AiModelApiKeyCloud::Any,
        AiModelApiKeyGeography::Any,
        "   ",
    );
    let result = client(&server)
        .create_group_ai_model_api_key(GROUP_ID, &blank)
        .await;

    server.verify().await;
    let (status, error, raw, _) = into_api_error(result);
    assert_eq!(status, 400);
    assert_eq!(raw, sent);
    assert_eq!(error.error, 400);
    assert_eq!(error.error_code, "VALIDATION_ERROR");
    assert_eq!(error.reason.as_deref(), Some("Bad Request"));
    assert_eq!(
        error.detail.as_deref(),
        Some(
            "(This is just an example, the exception may not be related to this endpoint) No provider AWS exists."
        )
    );
    let parameters = error.parameters.expect("parameters are decoded");
    assert_eq!(parameters.len(), 1);
    assert_eq!(parameters[0].get("name"), Some(&json!("name")));
    let fields = error
        .bad_request_detail
        .and_then(|detail| detail.fields)
        .expect("field violations are decoded");
    assert_eq!(fields.len(), 1);
    assert_eq!(fields[0].field, "name");
    assert_eq!(fields[0].description, "must not be blank");
}

#[tokio::test]
async fn rate_limited_429_keeps_the_retry_after_header() {
    let server = MockServer::start().await;
    let (response, sent) = error_response(429);
    expect_request(Op::ListOrgKeys, STABLE)
        .respond_with(response.insert_header("Retry-After", "30"))
        .expect(1)
        .mount(&server)
        .await;

    let result = client(&server).list_org_ai_model_api_keys(ORG_ID).await;

    server.verify().await;
    let (status, error, raw, headers) = into_api_error(result);
    assert_eq!(status, 429);
    assert_example_error(429, &error);
    assert_eq!(raw, sent);
    assert_eq!(
        headers.get("retry-after").map(|value| value.as_bytes()),
        Some(&b"30"[..])
    );
}

#[tokio::test]
async fn html_502_from_a_proxy_is_an_unexpected_response_keeping_the_body() {
    const HTML: &str = "<html><head><title>502 Bad Gateway</title></head>\
                        <body><h1>502 Bad Gateway</h1></body></html>";
    let server = MockServer::start().await;
    expect_request(Op::GetOrgKey, STABLE)
        .respond_with(ResponseTemplate::new(502).set_body_raw(HTML, "text/html"))
        .expect(1)
        .mount(&server)
        .await;

    let error = client(&server)
        .get_org_ai_model_api_key(ORG_ID, API_KEY_ID)
        .await
        .expect_err("a 502 is an error");

    server.verify().await;
    assert!(error.api_error().is_none());
    assert!(error.to_string().contains("502 Bad Gateway"), "{error}");
    match error {
        Error::UnexpectedResponse {
            status,
            headers,
            raw,
        } => {
            assert_eq!(status, 502);
            assert_eq!(&raw[..], HTML.as_bytes());
            assert_eq!(
                headers.get("content-type").map(|value| value.as_bytes()),
                Some(&b"text/html"[..])
            );
        }
        other => panic!("expected Error::UnexpectedResponse, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// Path parameters
// ---------------------------------------------------------------------------

#[tokio::test]
async fn reserved_characters_in_a_path_parameter_stay_in_one_segment() {
    let encoded_group_key = format!("{}/a%2Fb%20c%3Fd", Op::ListGroupKeys.path());
    let encoded_org_key = format!("{}/a%2Fb%20c%3Fd", Op::ListOrgKeys.path());
    let server = MockServer::start().await;
    for path in [&encoded_group_key, &encoded_org_key] {
        expect_at("GET", path, STABLE)
            .respond_with(stable_response(200, &key_json()))
            .expect(1)
            .mount(&server)
            .await;
    }

    let client = client(&server);
    client
        .get_group_ai_model_api_key(GROUP_ID, "a/b c?d")
        .await
        .expect("the encoded path is routed");
    client
        .get_org_ai_model_api_key(ORG_ID, "a/b c?d")
        .await
        .expect("the encoded path is routed");

    server.verify().await;
    let requests = server.received_requests().await.unwrap();
    let paths: Vec<&str> = requests.iter().map(|request| request.url.path()).collect();
    assert_eq!(
        paths,
        [encoded_group_key.as_str(), encoded_org_key.as_str()]
    );
    // The `?` must not have started a query string.
    for request in &requests {
        assert_eq!(request.url.query(), None);
    }
}

#[tokio::test]
async fn dot_segment_key_ids_are_refused_before_sending() {
    // `.` and `..` are made only of unreserved characters, so percent-encoding
    // leaves them as they are, and URL parsing then resolves them away: a
    // DELETE of key `..` would reach the project itself. An empty id would
    // address the collection. The client refuses all three.
    for key_id in ["", ".", ".."] {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(204))
            .mount(&server)
            .await;

        let result = client(&server)
            .delete_group_ai_model_api_key(GROUP_ID, key_id)
            .await;

        match result {
            Err(Error::InvalidInput { field, .. }) => assert_eq!(field, "apiKeyId"),
            other => panic!("key id {key_id:?} was not refused: {other:?}"),
        }
        let requests = server.received_requests().await.unwrap();
        assert!(
            requests.is_empty(),
            "a refused request was sent: {requests:?}"
        );
    }
}

#[tokio::test]
async fn debug_output_of_a_created_key_and_the_client_hides_secrets() {
    let server = MockServer::start().await;
    expect_request(Op::CreateGroupKey, STABLE)
        .respond_with(stable_response(201, &key_json()))
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    let body = AiModelApiKeyCreateRequest::new(
        AiModelApiKeyCloud::Any,
        AiModelApiKeyGeography::Any,
        "Production key",
    );
    let created = client
        .create_group_ai_model_api_key(GROUP_ID, &body)
        .await
        .expect("the example key decodes");

    server.verify().await;
    // The secret really is there, so its absence below is redaction.
    assert_eq!(
        created.secret.as_ref().map(|secret| secret.expose_secret()),
        Some(SECRET)
    );
    for debug in [
        format!("{created:?}"),
        format!("{created:#?}"),
        format!("{:?}", created.body()),
    ] {
        assert!(!debug.contains(SECRET), "secret leaked: {debug}");
        assert!(
            debug.contains("al-****odu2"),
            "other fields still show: {debug}"
        );
    }
    let client_debug = format!("{client:?}");
    assert!(
        !client_debug.contains(TOKEN),
        "token leaked: {client_debug}"
    );
}

// ---------------------------------------------------------------------------
// Versions a server no longer serves
// ---------------------------------------------------------------------------

/// A version past its sunset answers 410 `VERSION_GONE`, and a media type
/// the server does not know 406: both are `Error::VersionUnavailable`,
/// naming the version asked for, tried once.
#[tokio::test]
async fn gone_and_unacceptable_versions_are_their_own_error() {
    let server = MockServer::start().await;
    let gone = json!({
        "error": 410,
        "errorCode": "VERSION_GONE",
        "reason": "Gone",
        "detail": "The API version 2025-03-12 has been retired."
    });
    expect_request(Op::GetGroupKey, STABLE)
        .respond_with(
            ResponseTemplate::new(410)
                .set_body_raw(serde_json::to_vec(&gone).unwrap(), "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;
    expect_request(Op::GetGroupKey, PREVIEW)
        .respond_with(ResponseTemplate::new(406).set_body_raw("Not Acceptable", "text/plain"))
        .expect(1)
        .mount(&server)
        .await;

    let client = Client::builder()
        .base_url(server.uri())
        .auth(Auth::new().service_accounts_token(TOKEN))
        .build()
        .unwrap();
    let error = client
        .get_group_ai_model_api_key(GROUP_ID, API_KEY_ID)
        .await
        .unwrap_err();
    match &error {
        Error::VersionUnavailable {
            status,
            version,
            media_type,
            body,
            ..
        } => {
            assert_eq!(*status, 410);
            assert_eq!(*version, Some("2025-03-12"));
            assert_eq!(*media_type, STABLE);
            let body = body.as_ref().expect("the Atlas error decodes");
            assert_eq!(body.error_code, "VERSION_GONE");
        }
        other => panic!("expected VersionUnavailable, got {other:?}"),
    }
    assert!(
        error.to_string().contains("API version 2025-03-12"),
        "{error}"
    );
    assert_eq!(
        error.api_error().map(|e| e.error_code.as_str()),
        Some("VERSION_GONE")
    );

    let error = client
        .preview()
        .get_group_ai_model_api_key(GROUP_ID, API_KEY_ID)
        .await
        .unwrap_err();
    match error {
        Error::VersionUnavailable {
            status,
            version,
            body,
            ..
        } => {
            assert_eq!(status, 406);
            assert_eq!(version, Some("preview"));
            assert!(body.is_none(), "a text body is not an Atlas error");
        }
        other => panic!("expected VersionUnavailable, got {other:?}"),
    }
    // The default retry policy does not retry either: a version does not come back.
    server.verify().await;
}
