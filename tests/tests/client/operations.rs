//! End-to-end tests of every operation of the generated
//! `atlas_ai_model_api_keys` client against a loopback `wiremock` server.
//!
//! For each of the seven operations, in the default (stable `2025-03-12`)
//! version and pinned to the preview, they check the request on the wire
//! (method, path, query, headers, JSON body), the decoding of the API
//! description's example success bodies, and the decoding of its example
//! error bodies into `Error::Api`. They also cover the failure modes that do
//! not come from the description: proxy pages, truncated bodies, hostile path
//! parameters and secrets leaking through `Debug`.

use atlas_ai_model_api_keys::types::{
    AiModelApiKey, AiModelApiKeyCloud, AiModelApiKeyCreateRequest, AiModelApiKeyGeography,
    AiModelApiKeyPreviewCreateRequest, AiModelApiKeyResponse, AiModelApiKeyUpdateRequest, ApiError,
    PaginatedAiModelApiKeys, PaginatedAtlasAiModelApiKeysResponse,
};
use atlas_ai_model_api_keys::{Auth, Client, Error, ExposeSecret, RetryPolicy};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Value, json};
use wiremock::matchers::{
    any, body_json, header, method, path, query_param, query_param_is_missing,
};
use wiremock::{Mock, MockBuilder, MockServer, Request, ResponseTemplate};

/// The spec's example project id; differs from the `groupId` in the example
/// key, so a decoded `groupId` cannot be an echo of the request.
const GROUP_ID: &str = "32b6e34b3d91647abb20e7b8";
const ORG_ID: &str = "4888442a3354817a7320eb61";
const API_KEY_ID: &str = "a86r5kwrfsk5r5ku5tgvhmpj";
const TOKEN: &str = "test-service-account-token";
const PREVIEW: &str = "application/vnd.atlas.preview+json";
const STABLE: &str = "application/vnd.atlas.2025-03-12+json";
const SECRET: &str = "al-jZsluhPMzPM9CFXepRWwMwvpZDDra6tZMgoAZKdodu2";

const GROUP_KEYS_PATH: &str = "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/aiModelApiKeys";
const GROUP_KEY_PATH: &str =
    "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/aiModelApiKeys/a86r5kwrfsk5r5ku5tgvhmpj";
const ORG_KEYS_PATH: &str = "/api/atlas/v2/orgs/4888442a3354817a7320eb61/aiModelApiKeys";
const ORG_KEY_PATH: &str =
    "/api/atlas/v2/orgs/4888442a3354817a7320eb61/aiModelApiKeys/a86r5kwrfsk5r5ku5tgvhmpj";

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// A client that sends each call once: these tests count requests exactly,
/// and retries have tests of their own.
fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .auth(Auth::bearer(TOKEN))
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

/// A success response carrying `body` with the preview media type.
fn preview_response(status: u16, body: &Value) -> ResponseTemplate {
    versioned_response(status, body, PREVIEW)
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

/// Routes only requests that carry the headers every operation must send, so
/// a request without them is answered 404 by wiremock and fails the call.
fn expect_request(http_method: &str, request_path: &str) -> MockBuilder {
    expect_versioned_request(http_method, request_path, STABLE)
}

/// Like [`expect_request`], for a call pinned to the version of `media_type`.
fn expect_versioned_request(
    http_method: &str,
    request_path: &str,
    media_type: &str,
) -> MockBuilder {
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

fn assert_standard_headers(request: &Request) {
    assert_versioned_headers(request, STABLE);
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
fn assert_query(request: &Request, expected: &[(&str, &str)]) {
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
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect();
    expected.sort();
    assert_eq!(actual, expected);
}

fn assert_json_body(request: &Request, expected: &Value) {
    assert_eq!(single_header(request, "content-type"), STABLE);
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
#[derive(Clone, Copy, Debug)]
enum Operation {
    ListGroupKeys,
    CreateGroupKey,
    GetGroupKey,
    UpdateGroupKey,
    DeleteGroupKey,
    ListOrgKeys,
    GetOrgKey,
}

impl Operation {
    const ALL: [Self; 7] = [
        Self::ListGroupKeys,
        Self::CreateGroupKey,
        Self::GetGroupKey,
        Self::UpdateGroupKey,
        Self::DeleteGroupKey,
        Self::ListOrgKeys,
        Self::GetOrgKey,
    ];

    fn http_method(self) -> &'static str {
        match self {
            Self::ListGroupKeys | Self::GetGroupKey | Self::ListOrgKeys | Self::GetOrgKey => "GET",
            Self::CreateGroupKey => "POST",
            Self::UpdateGroupKey => "PATCH",
            Self::DeleteGroupKey => "DELETE",
        }
    }

    fn path(self) -> &'static str {
        match self {
            Self::ListGroupKeys | Self::CreateGroupKey => GROUP_KEYS_PATH,
            Self::GetGroupKey | Self::UpdateGroupKey | Self::DeleteGroupKey => GROUP_KEY_PATH,
            Self::ListOrgKeys => ORG_KEYS_PATH,
            Self::GetOrgKey => ORG_KEY_PATH,
        }
    }

    fn request_body(self) -> Option<Value> {
        match self {
            Self::CreateGroupKey => {
                Some(json!({ "cloud": "ANY", "geography": "ANY", "name": "Production key" }))
            }
            Self::UpdateGroupKey => Some(json!({ "name": "Renamed key" })),
            _ => None,
        }
    }

    /// The error statuses the description documents with an example body;
    /// 429 is covered by its own test because it also carries `Retry-After`.
    fn documented_error_statuses(self) -> &'static [u16] {
        match self {
            Self::CreateGroupKey | Self::UpdateGroupKey | Self::DeleteGroupKey => {
                &[400, 401, 403, 404, 500]
            }
            _ => &[401, 403, 404, 500],
        }
    }

    /// Sends the operation with no optional parameter set; returns the
    /// success status.
    async fn send(self, client: &Client) -> Result<u16, Error<ApiError>> {
        let create = AiModelApiKeyCreateRequest::new(
            AiModelApiKeyCloud::Any,
            AiModelApiKeyGeography::Any,
            "Production key",
        );
        let update = AiModelApiKeyUpdateRequest::new("Renamed key");
        let status = match self {
            Self::ListGroupKeys => client
                .list_group_ai_model_api_keys(GROUP_ID)
                .await?
                .status(),
            Self::CreateGroupKey => client
                .create_group_ai_model_api_key(GROUP_ID, &create)
                .await?
                .status(),
            Self::GetGroupKey => client
                .get_group_ai_model_api_key(GROUP_ID, API_KEY_ID)
                .await?
                .status(),
            Self::UpdateGroupKey => client
                .update_group_ai_model_api_key(GROUP_ID, API_KEY_ID, &update)
                .await?
                .status(),
            Self::DeleteGroupKey => client
                .delete_group_ai_model_api_key(GROUP_ID, API_KEY_ID)
                .await?
                .status(),
            Self::ListOrgKeys => client.list_org_ai_model_api_keys(ORG_ID).await?.status(),
            Self::GetOrgKey => client
                .get_org_ai_model_api_key(ORG_ID, API_KEY_ID)
                .await?
                .status(),
        };
        Ok(status.as_u16())
    }
}

// ---------------------------------------------------------------------------
// Requests on the wire and example success bodies, one operation at a time
// ---------------------------------------------------------------------------

#[tokio::test]
async fn list_group_keys_sends_every_paging_param_and_decodes_the_example_page() {
    let server = MockServer::start().await;
    expect_request("GET", GROUP_KEYS_PATH)
        .and(query_param("itemsPerPage", "10"))
        .and(query_param("pageNum", "2"))
        .and(query_param("pretty", "true"))
        .and(query_param("envelope", "false"))
        .respond_with(stable_response(200, &list_json()).insert_header("RateLimit-Remaining", "99"))
        .expect(1)
        .mount(&server)
        .await;

    let page = client(&server)
        .list_group_ai_model_api_keys(GROUP_ID)
        .items_per_page(10)
        .page_num(2)
        .pretty(true)
        .envelope(false)
        .await
        .expect("the example page decodes");

    server.verify().await;
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), GROUP_KEYS_PATH);
    assert_query(
        &request,
        &[
            ("itemsPerPage", "10"),
            ("pageNum", "2"),
            ("pretty", "true"),
            ("envelope", "false"),
        ],
    );
    assert_standard_headers(&request);
    assert_no_body(&request);

    assert_eq!(page.status(), 200);
    assert_eq!(
        page.headers()
            .get("ratelimit-remaining")
            .and_then(|value| value.to_str().ok()),
        Some("99"),
        "response headers are kept"
    );
    assert_example_page(&page);
}

#[tokio::test]
async fn list_group_keys_without_options_sends_no_query_string() {
    let server = MockServer::start().await;
    expect_request("GET", GROUP_KEYS_PATH)
        .respond_with(stable_response(200, &list_json()))
        .expect(1)
        .mount(&server)
        .await;

    let page = client(&server)
        .list_group_ai_model_api_keys(GROUP_ID)
        .send()
        .await
        .expect("the example page decodes")
        .into_inner();

    server.verify().await;
    let request = only_request(&server).await;
    assert_query(&request, &[]);
    assert_standard_headers(&request);
    assert_example_page(&page);
}

#[tokio::test]
async fn create_group_key_posts_name_and_scope_as_stable_json_and_decodes_the_201_key() {
    let server = MockServer::start().await;
    expect_request("POST", GROUP_KEYS_PATH)
        .and(header("content-type", STABLE))
        .and(body_json(
            json!({ "cloud": "ANY", "geography": "ANY", "name": "Production key" }),
        ))
        .and(query_param("pretty", "true"))
        .and(query_param("envelope", "false"))
        .respond_with(stable_response(201, &key_json()))
        .expect(1)
        .mount(&server)
        .await;

    let body = AiModelApiKeyCreateRequest::new(
        AiModelApiKeyCloud::Any,
        AiModelApiKeyGeography::Any,
        "Production key",
    );
    let created = client(&server)
        .create_group_ai_model_api_key(GROUP_ID, &body)
        .pretty(true)
        .envelope(false)
        .await
        .expect("the example key decodes");

    server.verify().await;
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), GROUP_KEYS_PATH);
    assert_query(&request, &[("pretty", "true"), ("envelope", "false")]);
    assert_standard_headers(&request);
    assert_json_body(
        &request,
        &json!({ "cloud": "ANY", "geography": "ANY", "name": "Production key" }),
    );

    assert_eq!(created.status(), 201);
    assert_example_key(&created);
}

#[tokio::test]
async fn create_group_key_with_one_flag_leaves_the_other_out_of_the_query() {
    let server = MockServer::start().await;
    expect_request("POST", GROUP_KEYS_PATH)
        .and(query_param("envelope", "true"))
        .and(query_param_is_missing("pretty"))
        .respond_with(stable_response(201, &key_json()))
        .expect(1)
        .mount(&server)
        .await;

    let body = AiModelApiKeyCreateRequest::new(
        AiModelApiKeyCloud::Any,
        AiModelApiKeyGeography::Any,
        "Staging key",
    );
    let created = client(&server)
        .create_group_ai_model_api_key(GROUP_ID, &body)
        .envelope(true)
        .await
        .expect("the example key decodes");

    server.verify().await;
    let request = only_request(&server).await;
    assert_query(&request, &[("envelope", "true")]);
    assert_json_body(
        &request,
        &json!({ "cloud": "ANY", "geography": "ANY", "name": "Staging key" }),
    );
    assert_eq!(created.status(), 201);
}

#[tokio::test]
async fn get_group_key_puts_both_ids_in_the_path_and_decodes_the_example_key() {
    let server = MockServer::start().await;
    expect_request("GET", GROUP_KEY_PATH)
        .and(query_param("envelope", "false"))
        .and(query_param_is_missing("pretty"))
        .respond_with(stable_response(200, &key_json()))
        .expect(1)
        .mount(&server)
        .await;

    let key = client(&server)
        .get_group_ai_model_api_key(GROUP_ID, API_KEY_ID)
        .envelope(false)
        .await
        .expect("the example key decodes");

    server.verify().await;
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), GROUP_KEY_PATH);
    assert_query(&request, &[("envelope", "false")]);
    assert_standard_headers(&request);
    assert_no_body(&request);

    assert_eq!(key.status(), 200);
    assert_example_key(&key);
}

#[tokio::test]
async fn update_group_key_patches_the_new_name_and_decodes_the_example_key() {
    let server = MockServer::start().await;
    expect_request("PATCH", GROUP_KEY_PATH)
        .and(header("content-type", STABLE))
        .and(body_json(json!({ "name": "Renamed key" })))
        .and(query_param("pretty", "true"))
        .and(query_param_is_missing("envelope"))
        .respond_with(stable_response(200, &key_json()))
        .expect(1)
        .mount(&server)
        .await;

    let body = AiModelApiKeyUpdateRequest::new("Renamed key");
    let updated = client(&server)
        .update_group_ai_model_api_key(GROUP_ID, API_KEY_ID, &body)
        .pretty(true)
        .send()
        .await
        .expect("the example key decodes");

    server.verify().await;
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "PATCH");
    assert_eq!(request.url.path(), GROUP_KEY_PATH);
    assert_query(&request, &[("pretty", "true")]);
    assert_standard_headers(&request);
    assert_json_body(&request, &json!({ "name": "Renamed key" }));

    assert_eq!(updated.status(), 200);
    assert_example_key(&updated);
}

#[tokio::test]
async fn delete_group_key_sends_delete_and_returns_unit_on_204() {
    let server = MockServer::start().await;
    expect_request("DELETE", GROUP_KEY_PATH)
        .and(query_param("envelope", "false"))
        .and(query_param("pretty", "true"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let response = client(&server)
        .delete_group_ai_model_api_key(GROUP_ID, API_KEY_ID)
        .envelope(false)
        .pretty(true)
        .await
        .expect("an empty 204 is a success");

    server.verify().await;
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "DELETE");
    assert_eq!(request.url.path(), GROUP_KEY_PATH);
    assert_query(&request, &[("envelope", "false"), ("pretty", "true")]);
    assert_standard_headers(&request);
    assert_no_body(&request);

    assert_eq!(response.status(), 204);
    let () = response.into_inner();
}

#[tokio::test]
async fn list_org_keys_sends_every_paging_param_and_decodes_the_example_page() {
    let server = MockServer::start().await;
    expect_request("GET", ORG_KEYS_PATH)
        .and(query_param("itemsPerPage", "10"))
        .and(query_param("pageNum", "2"))
        .and(query_param("envelope", "true"))
        .and(query_param("pretty", "false"))
        .respond_with(stable_response(200, &list_json()))
        .expect(1)
        .mount(&server)
        .await;

    let page = client(&server)
        .list_org_ai_model_api_keys(ORG_ID)
        .items_per_page(10)
        .page_num(2)
        .envelope(true)
        .pretty(false)
        .await
        .expect("the example page decodes");

    server.verify().await;
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), ORG_KEYS_PATH);
    assert_query(
        &request,
        &[
            ("itemsPerPage", "10"),
            ("pageNum", "2"),
            ("envelope", "true"),
            ("pretty", "false"),
        ],
    );
    assert_standard_headers(&request);
    assert_no_body(&request);

    assert_eq!(page.status(), 200);
    assert_example_page(&page);
}

#[tokio::test]
async fn list_org_keys_with_only_a_page_size_sends_only_that_param() {
    let server = MockServer::start().await;
    expect_request("GET", ORG_KEYS_PATH)
        .and(query_param("itemsPerPage", "500"))
        .and(query_param_is_missing("pageNum"))
        .and(query_param_is_missing("envelope"))
        .and(query_param_is_missing("pretty"))
        .respond_with(stable_response(200, &list_json()))
        .expect(1)
        .mount(&server)
        .await;

    let page = client(&server)
        .list_org_ai_model_api_keys(ORG_ID)
        .items_per_page(500)
        .await
        .expect("the example page decodes");

    server.verify().await;
    assert_query(&only_request(&server).await, &[("itemsPerPage", "500")]);
    assert_eq!(page.total_count, Some(42));
}

#[tokio::test]
async fn get_org_key_puts_both_ids_in_the_path_and_decodes_the_example_key() {
    let server = MockServer::start().await;
    expect_request("GET", ORG_KEY_PATH)
        .and(query_param("pretty", "true"))
        .and(query_param("envelope", "false"))
        .respond_with(stable_response(200, &key_json()))
        .expect(1)
        .mount(&server)
        .await;

    let key = client(&server)
        .get_org_ai_model_api_key(ORG_ID, API_KEY_ID)
        .pretty(true)
        .envelope(false)
        .await
        .expect("the example key decodes");

    server.verify().await;
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), ORG_KEY_PATH);
    assert_query(&request, &[("pretty", "true"), ("envelope", "false")]);
    assert_standard_headers(&request);
    assert_no_body(&request);

    assert_eq!(key.status(), 200);
    assert_example_key(&key);
}

#[tokio::test]
async fn every_operation_without_options_sends_exactly_method_path_and_headers() {
    for operation in Operation::ALL {
        let server = MockServer::start().await;
        let success = match operation {
            Operation::ListGroupKeys | Operation::ListOrgKeys => stable_response(200, &list_json()),
            Operation::CreateGroupKey => stable_response(201, &key_json()),
            Operation::DeleteGroupKey => ResponseTemplate::new(204),
            _ => stable_response(200, &key_json()),
        };
        expect_request(operation.http_method(), operation.path())
            .respond_with(success)
            .expect(1)
            .mount(&server)
            .await;

        let status = operation
            .send(&client(&server))
            .await
            .unwrap_or_else(|error| panic!("{operation:?} failed: {error}"));

        server.verify().await;
        let request = only_request(&server).await;
        assert_eq!(
            request.method.as_str(),
            operation.http_method(),
            "{operation:?}"
        );
        assert_eq!(request.url.path(), operation.path(), "{operation:?}");
        assert_query(&request, &[]);
        assert_standard_headers(&request);
        match operation.request_body() {
            Some(body) => assert_json_body(&request, &body),
            None => assert_no_body(&request),
        }
        let expected_status = match operation {
            Operation::CreateGroupKey => 201,
            Operation::DeleteGroupKey => 204,
            _ => 200,
        };
        assert_eq!(status, expected_status, "{operation:?}");
    }
}

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
        expect_request("GET", GROUP_KEY_PATH)
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
    expect_request("GET", ORG_KEYS_PATH)
        .respond_with(stable_response(200, &page))
        .expect(1)
        .mount(&server)
        .await;
    expect_request("GET", ORG_KEY_PATH)
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
    expect_request("GET", ORG_KEYS_PATH)
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
    expect_request("GET", GROUP_KEY_PATH)
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
    for operation in Operation::ALL {
        for &status in operation.documented_error_statuses() {
            let server = MockServer::start().await;
            let (response, sent) = error_response(status);
            expect_request(operation.http_method(), operation.path())
                .respond_with(response)
                .expect(1)
                .mount(&server)
                .await;

            let result = operation.send(&client(&server)).await;

            server.verify().await;
            let request = only_request(&server).await;
            assert_query(&request, &[]);
            assert_standard_headers(&request);
            if let Some(body) = operation.request_body() {
                assert_json_body(&request, &body);
            }

            let context = format!("{operation:?} answered {status}");
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

#[tokio::test]
async fn create_validation_error_decodes_field_violations() {
    let mut body = error_json(400);
    body["parameters"] = json!([{ "name": "name" }]);
    body["badRequestDetail"] = json!({
        "fields": [{ "field": "name", "description": "must not be blank" }]
    });
    let sent = serde_json::to_vec(&body).unwrap();
    let server = MockServer::start().await;
    expect_request("POST", GROUP_KEYS_PATH)
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
    expect_request("GET", ORG_KEYS_PATH)
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
    expect_request("GET", ORG_KEY_PATH)
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
    let encoded_group_key = format!("{GROUP_KEYS_PATH}/a%2Fb%20c%3Fd");
    let encoded_org_key = format!("{ORG_KEYS_PATH}/a%2Fb%20c%3Fd");
    let server = MockServer::start().await;
    for path in [&encoded_group_key, &encoded_org_key] {
        expect_request("GET", path)
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
    expect_request("POST", GROUP_KEYS_PATH)
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
// Versions: the preview pinned, the stable version pinned, versions refused
// ---------------------------------------------------------------------------

/// Every operation pinned to the preview sends the preview media type (in
/// `Accept`, and as `Content-Type` of its body) and decodes the preview's
/// example bodies, which have no `cloud`, `geography` or `endpoint`.
#[tokio::test]
async fn every_preview_operation_sends_the_preview_media_type_and_decodes_its_shape() {
    let server = MockServer::start().await;
    let mount = |http_method: &str, request_path: &str, template: ResponseTemplate| {
        expect_versioned_request(http_method, request_path, PREVIEW)
            .respond_with(template)
            .expect(1)
    };
    mount(
        "GET",
        GROUP_KEYS_PATH,
        preview_response(200, &preview_list_json()),
    )
    .mount(&server)
    .await;
    expect_versioned_request("POST", GROUP_KEYS_PATH, PREVIEW)
        .and(header("content-type", PREVIEW))
        .and(body_json(json!({ "name": "Production key" })))
        .respond_with(preview_response(201, &preview_key_json()))
        .expect(1)
        .mount(&server)
        .await;
    mount(
        "GET",
        GROUP_KEY_PATH,
        preview_response(200, &preview_key_json()),
    )
    .mount(&server)
    .await;
    expect_versioned_request("PATCH", GROUP_KEY_PATH, PREVIEW)
        .and(header("content-type", PREVIEW))
        .and(body_json(json!({ "name": "Renamed key" })))
        .respond_with(preview_response(200, &preview_key_json()))
        .expect(1)
        .mount(&server)
        .await;
    mount("DELETE", GROUP_KEY_PATH, ResponseTemplate::new(204))
        .mount(&server)
        .await;
    mount(
        "GET",
        ORG_KEYS_PATH,
        preview_response(200, &preview_list_json()),
    )
    .mount(&server)
    .await;
    mount(
        "GET",
        ORG_KEY_PATH,
        preview_response(200, &preview_key_json()),
    )
    .mount(&server)
    .await;

    let client = client(&server);
    let preview = client.preview();
    assert_example_preview_page(
        &preview
            .list_group_ai_model_api_keys(GROUP_ID)
            .await
            .unwrap(),
    );
    let create = AiModelApiKeyPreviewCreateRequest::new("Production key");
    let created = preview
        .create_group_ai_model_api_key(GROUP_ID, &create)
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    assert_example_preview_key(&created);
    assert_example_preview_key(
        &preview
            .get_group_ai_model_api_key(GROUP_ID, API_KEY_ID)
            .await
            .unwrap(),
    );
    let rename = AiModelApiKeyUpdateRequest::new("Renamed key");
    assert_example_preview_key(
        &preview
            .update_group_ai_model_api_key(GROUP_ID, API_KEY_ID, &rename)
            .await
            .unwrap(),
    );
    let deleted = preview
        .delete_group_ai_model_api_key(GROUP_ID, API_KEY_ID)
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    assert_example_preview_page(&preview.list_org_ai_model_api_keys(ORG_ID).await.unwrap());
    assert_example_preview_key(
        &preview
            .get_org_ai_model_api_key(ORG_ID, API_KEY_ID)
            .await
            .unwrap(),
    );

    server.verify().await;
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 7);
    for request in &requests {
        assert_versioned_headers(request, PREVIEW);
    }
}

/// Pinning `2025-03-12` explicitly sends what `Client`'s own method sends.
#[tokio::test]
async fn pinning_the_stable_version_matches_the_default() {
    let server = MockServer::start().await;
    expect_request("GET", GROUP_KEY_PATH)
        .respond_with(stable_response(200, &key_json()))
        .expect(2)
        .mount(&server)
        .await;

    let client = client(&server);
    let pinned = client
        .v2025_03_12()
        .get_group_ai_model_api_key(GROUP_ID, API_KEY_ID)
        .await
        .unwrap();
    let default = client
        .get_group_ai_model_api_key(GROUP_ID, API_KEY_ID)
        .await
        .unwrap();

    server.verify().await;
    assert_example_key(&pinned);
    assert_eq!(*pinned, *default);
    for request in server.received_requests().await.unwrap() {
        assert_standard_headers(&request);
    }
}

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
    expect_request("GET", GROUP_KEY_PATH)
        .respond_with(
            ResponseTemplate::new(410)
                .set_body_raw(serde_json::to_vec(&gone).unwrap(), "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;
    expect_versioned_request("GET", GROUP_KEY_PATH, PREVIEW)
        .respond_with(ResponseTemplate::new(406).set_body_raw("Not Acceptable", "text/plain"))
        .expect(1)
        .mount(&server)
        .await;

    let client = Client::builder()
        .base_url(server.uri())
        .auth(Auth::bearer(TOKEN))
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
