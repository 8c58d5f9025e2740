//! Self-test of the fake Atlas server of this module, driven with
//! plain `reqwest` (and `digest_auth` for the client side of Digest) so that
//! the fake is checked independently of the generated client that other
//! tests run against it: its key store, its validation, the enforcement of
//! each authentication mode, and every fault.

use std::time::{Duration, Instant};

use super::{
    ApiVersion, DigestAlgorithm, ERROR_MEDIA_TYPE, EXTRA_KEY_FIELD, EXTRA_TOP_LEVEL_FIELD,
    FakeAtlas, FakeConfig, Fault, HTML_502_BODY, PREVIEW_MEDIA_TYPE, STABLE_MEDIA_TYPE, TOKEN_PATH,
};
use digest_auth::{AuthContext, HttpMethod, WwwAuthenticateHeader};
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER, WWW_AUTHENTICATE};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::{Value, json};

const GROUP: &str = "32b6e34b3d91647abb20e7b8";
const OTHER_GROUP: &str = "5e3f2a1b0c9d8e7f6a5b4c3d";
const ORG: &str = "4888442a3354817a7320eb61";
const TOKEN: &str = "test-bearer-token";

fn group_keys(group: &str) -> String {
    format!("/api/atlas/v2/groups/{group}/aiModelApiKeys")
}

/// A well-formed API request with the bearer token.
fn call(fake: &FakeAtlas, method: Method, path: &str) -> RequestBuilder {
    unauthenticated(fake, method, path).bearer_auth(TOKEN)
}

fn unauthenticated(fake: &FakeAtlas, method: Method, path: &str) -> RequestBuilder {
    reqwest::Client::new()
        .request(method, format!("{}{path}", fake.base_url()))
        .header(ACCEPT, PREVIEW_MEDIA_TYPE)
}

fn named(request: RequestBuilder, name: &str) -> RequestBuilder {
    request
        .header(CONTENT_TYPE, PREVIEW_MEDIA_TYPE)
        .body(json!({ "name": name }).to_string())
}

fn header(response: &Response, name: impl reqwest::header::AsHeaderName) -> &str {
    response
        .headers()
        .get(name)
        .map_or("", |v| v.to_str().unwrap())
}

async fn send(request: RequestBuilder) -> (StatusCode, Value) {
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn key_lifecycle_with_bearer_token() {
    let fake = FakeAtlas::start(FakeConfig::bearer(TOKEN)).await;
    let keys = group_keys(GROUP);

    let created = named(call(&fake, Method::POST, &keys), "Production key")
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    assert_eq!(header(&created, CONTENT_TYPE), PREVIEW_MEDIA_TYPE);
    assert_eq!(header(&created, "RateLimit-Limit"), "100");
    assert_eq!(header(&created, "RateLimit-Remaining"), "99");
    let mut key: Value = created.json().await.unwrap();
    let id = key["apiKeyId"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 24);
    assert!(
        id.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    );
    let secret = key["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("al-") && secret.len() == 46, "{secret}");
    assert_eq!(key["maskedSecret"], format!("al-****{}", &secret[42..]));
    assert_eq!(key["groupId"], GROUP);
    assert_eq!(key["name"], "Production key");
    assert_eq!(key["status"], "ACTIVE");
    assert_eq!(key["lastUsedAt"], Value::Null);
    chrono::DateTime::parse_from_rfc3339(key["createdAt"].as_str().unwrap()).unwrap();

    // The secret is shown once, at creation.
    key.as_object_mut().unwrap().remove("secret");
    let key_path = format!("{keys}/{id}");
    let got = call(&fake, Method::GET, &key_path).send().await.unwrap();
    assert_eq!(got.status(), StatusCode::OK);
    assert_eq!(header(&got, "RateLimit-Remaining"), "98");
    assert_eq!(got.json::<Value>().await.unwrap(), key);

    let (status, list) = send(call(&fake, Method::GET, &keys)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        list,
        json!({
            "links": [{ "href": format!("{}{keys}", fake.base_url()), "rel": "self" }],
            "results": [key],
            "totalCount": 1,
        })
    );

    let (status, renamed) = send(named(call(&fake, Method::PATCH, &key_path), "Renamed")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(renamed["name"], "Renamed");
    assert_eq!(renamed["apiKeyId"], id.as_str());
    assert!(renamed.get("secret").is_none());

    let deleted = call(&fake, Method::DELETE, &key_path).send().await.unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_eq!(header(&deleted, CONTENT_TYPE), "");
    assert!(deleted.bytes().await.unwrap().is_empty());

    let gone = call(&fake, Method::GET, &key_path).send().await.unwrap();
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    assert_eq!(header(&gone, CONTENT_TYPE), ERROR_MEDIA_TYPE);
    let error: Value = gone.json().await.unwrap();
    assert_eq!(error["error"], 404);
    assert_eq!(error["errorCode"], "RESOURCE_NOT_FOUND");
    assert_eq!(error["reason"], "Not Found");
    assert!(error["detail"].is_string());
    assert_eq!(fake.request_count(), 6);
    assert!(fake.keys(GROUP).is_empty());
}

#[tokio::test]
async fn credentials_media_types_and_parameters_are_enforced() {
    let fake = FakeAtlas::start(FakeConfig::bearer(TOKEN)).await;
    let keys = group_keys(GROUP);
    let code = |(status, body): (StatusCode, Value)| (status.as_u16(), body["errorCode"].clone());

    let anonymous = unauthenticated(&fake, Method::GET, &keys)
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(header(&anonymous, CONTENT_TYPE), ERROR_MEDIA_TYPE);
    assert_eq!(header(&anonymous, WWW_AUTHENTICATE), "");
    let wrong = unauthenticated(&fake, Method::GET, &keys).bearer_auth("wrong");
    assert_eq!(code(send(wrong).await), (401, json!("UNAUTHORIZED")));

    let not_acceptable = (406, json!("INVALID_VERSION_OR_MEDIA_TYPE"));
    for accept in [None, Some("application/json"), Some("*/*")] {
        let mut request = reqwest::Client::new()
            .get(format!("{}{keys}", fake.base_url()))
            .bearer_auth(TOKEN);
        if let Some(accept) = accept {
            request = request.header(ACCEPT, accept);
        }
        assert_eq!(code(send(request).await), not_acceptable, "{accept:?}");
    }

    let invalid = (400, json!("VALIDATION_ERROR"));
    let plain_json = call(&fake, Method::POST, &keys)
        .header(CONTENT_TYPE, "application/json")
        .body(r#"{"name":"k"}"#);
    assert_eq!(code(send(plain_json).await), invalid);
    for body in [
        json!({ "name": "" }),
        json!({ "name": "x".repeat(251) }),
        json!({ "name": 7 }),
        json!({}),
        json!({ "name": "k", "secret": "al-x" }),
        json!(["k"]),
    ] {
        let request = call(&fake, Method::POST, &keys)
            .header(CONTENT_TYPE, PREVIEW_MEDIA_TYPE)
            .body(body.to_string());
        assert_eq!(code(send(request).await), invalid, "{body}");
    }
    let longest = named(call(&fake, Method::POST, &keys), &"é".repeat(250));
    assert_eq!(send(longest).await.0, StatusCode::CREATED);

    for bad_group in [
        "32B6E34B3D91647ABB20E7B8",
        "32b6e34b3d91647abb20e7b",
        "not-a-group",
    ] {
        let request = call(&fake, Method::GET, &group_keys(bad_group));
        assert_eq!(code(send(request).await), invalid, "{bad_group}");
    }
    for query in [
        "itemsPerPage=0",
        "itemsPerPage=501",
        "itemsPerPage=x",
        "pageNum=0",
        "pageNum=-1",
    ] {
        let request = call(&fake, Method::GET, &format!("{keys}?{query}"));
        assert_eq!(code(send(request).await), invalid, "{query}");
    }
    let unknown = call(
        &fake,
        Method::GET,
        &format!("{keys}/a86r5kwrfsk5r5ku5tgvhmpj"),
    );
    assert_eq!(
        code(send(unknown).await),
        (404, json!("RESOURCE_NOT_FOUND"))
    );
    let put = call(&fake, Method::PUT, &keys);
    assert_eq!(send(put).await.0, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(fake.keys(GROUP).len(), 1);
}

#[tokio::test]
async fn pages_and_organization_views() {
    let fake =
        FakeAtlas::start(FakeConfig::bearer(TOKEN).with_org(ORG, [GROUP, OTHER_GROUP])).await;
    let ids: Vec<Value> = (0..5)
        .map(|i| fake.insert_key(GROUP, &format!("key {i}"))["apiKeyId"].clone())
        .collect();
    let other = fake.insert_key(OTHER_GROUP, "other")["apiKeyId"].clone();
    let outside = fake.insert_key("aaaaaaaaaaaaaaaaaaaaaaaa", "outside")["apiKeyId"].clone();
    let page_ids = |list: &Value| -> Vec<Value> {
        let results = list["results"].as_array().unwrap();
        results.iter().map(|k| k["apiKeyId"].clone()).collect()
    };

    for (query, expected) in [
        ("", &ids[..]),
        ("?itemsPerPage=2", &ids[..2]),
        ("?itemsPerPage=2&pageNum=2", &ids[2..4]),
        ("?pageNum=3&itemsPerPage=2", &ids[4..]),
        ("?itemsPerPage=2&pageNum=4", &[]),
    ] {
        let path = format!("{}{query}", group_keys(GROUP));
        let (status, list) = send(call(&fake, Method::GET, &path)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(page_ids(&list), expected, "{query}");
        assert_eq!(list["totalCount"], 5);
        assert_eq!(
            list["links"][0]["href"],
            format!("{}{path}", fake.base_url())
        );
    }
    assert!(fake.keys(GROUP)[0].get("secret").is_none());

    let org_keys = format!("/api/atlas/v2/orgs/{ORG}/aiModelApiKeys");
    let (_, list) = send(call(
        &fake,
        Method::GET,
        &format!("{org_keys}?itemsPerPage=500"),
    ))
    .await;
    assert_eq!(list["totalCount"], 6);
    assert_eq!(page_ids(&list)[5], other);
    let org_key = format!("{org_keys}/{}", other.as_str().unwrap());
    let (status, key) = send(call(&fake, Method::GET, &org_key)).await;
    assert_eq!(
        (status, &key["groupId"]),
        (StatusCode::OK, &json!(OTHER_GROUP))
    );
    assert!(key.get("secret").is_none());

    let not_in_org = format!("{org_keys}/{}", outside.as_str().unwrap());
    let not_in_group = format!("{}/{}", group_keys(GROUP), other.as_str().unwrap());
    let unknown_org = "/api/atlas/v2/orgs/ffffffffffffffffffffffff/aiModelApiKeys";
    for path in [&not_in_org, &not_in_group, unknown_org] {
        assert_eq!(
            send(call(&fake, Method::GET, path)).await.0,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    // The organization view is read-only.
    let post = named(call(&fake, Method::POST, &org_keys), "k");
    assert_eq!(send(post).await.0, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn envelope_and_pretty() {
    let fake = FakeAtlas::start(FakeConfig::bearer(TOKEN)).await;
    let keys = group_keys(GROUP);

    let (status, created) = send(named(
        call(&fake, Method::POST, &format!("{keys}?envelope=true")),
        "k",
    ))
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(created["status"], 201);
    assert!(created["content"]["secret"].is_string());
    let id = created["content"]["apiKeyId"].as_str().unwrap();
    let key_path = format!("{keys}/{id}");

    let (status, got) = send(call(
        &fake,
        Method::GET,
        &format!("{key_path}?envelope=true"),
    ))
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        got,
        json!({ "status": 200, "content": fake.keys_in(GROUP, ApiVersion::Preview)[0] })
    );

    let (_, list) = send(call(&fake, Method::GET, &format!("{keys}?envelope=true"))).await;
    assert_eq!(list["status"], 200);
    assert_eq!(list["totalCount"], 1);
    assert!(list.get("content").is_none());

    let missing = format!("{keys}/a86r5kwrfsk5r5ku5tgvhmpj?envelope=true");
    let response = call(&fake, Method::GET, &missing).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, CONTENT_TYPE), ERROR_MEDIA_TYPE);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["status"], 404);
    assert_eq!(error["content"]["errorCode"], "RESOURCE_NOT_FOUND");

    let pretty = call(&fake, Method::GET, &format!("{key_path}?pretty=true"));
    let text = pretty.send().await.unwrap().text().await.unwrap();
    assert!(text.contains("{\n  \"apiKeyId\": "), "{text}");
    assert_eq!(
        serde_json::from_str::<Value>(&text).unwrap(),
        fake.keys_in(GROUP, ApiVersion::Preview)[0]
    );

    let (status, deleted) = send(call(
        &fake,
        Method::DELETE,
        &format!("{key_path}?envelope=true"),
    ))
    .await;
    assert_eq!(
        (status, deleted),
        (StatusCode::OK, json!({ "status": 204, "content": {} }))
    );
}

async fn request_token(fake: &FakeAtlas, secret: &str) -> Response {
    reqwest::Client::new()
        .post(format!("{}{TOKEN_PATH}", fake.base_url()))
        .basic_auth("client-id", Some(secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap()
}

async fn access_token(fake: &FakeAtlas) -> String {
    let response = request_token(fake, "client-secret").await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    body["access_token"].as_str().unwrap().to_owned()
}

async fn list_status(fake: &FakeAtlas, token: &str) -> StatusCode {
    let request = unauthenticated(fake, Method::GET, &group_keys(GROUP)).bearer_auth(token);
    request.send().await.unwrap().status()
}

#[tokio::test]
async fn service_account_tokens() {
    let ttl = Duration::from_secs(3600);
    let fake = FakeAtlas::start(FakeConfig::service_account(
        "client-id",
        "client-secret",
        ttl,
    ))
    .await;

    let refused = request_token(&fake, "wrong-secret").await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        refused.json::<Value>().await.unwrap(),
        json!({ "error": "invalid_client" })
    );
    let wrong_grant = reqwest::Client::new()
        .post(format!("{}{TOKEN_PATH}", fake.base_url()))
        .basic_auth("client-id", Some("client-secret"))
        .form(&[("grant_type", "password")]);
    assert_eq!(send(wrong_grant).await.1["error"], "unsupported_grant_type");

    let response = request_token(&fake, "client-secret").await;
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["expires_in"], 3600);
    let token = body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(list_status(&fake, &token).await, StatusCode::OK);
    assert_eq!(
        list_status(&fake, "never-issued").await,
        StatusCode::UNAUTHORIZED
    );

    let created = named(
        unauthenticated(&fake, Method::POST, &group_keys(GROUP)),
        "k",
    );
    assert_eq!(
        send(created.bearer_auth(&token)).await.1["createdBy"],
        "client-id"
    );

    fake.push_fault(Fault::ExpireTokens);
    assert_eq!(list_status(&fake, &token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(list_status(&fake, &token).await, StatusCode::UNAUTHORIZED);
    let fresh = access_token(&fake).await;
    assert_ne!(fresh, token);
    assert_eq!(list_status(&fake, &fresh).await, StatusCode::OK);

    fake.push_fault(Fault::TokenEndpointStatus(429));
    let limited = request_token(&fake, "client-secret").await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header(&limited, RETRY_AFTER), "1");
    // Token faults have their own queue: API requests do not consume them.
    fake.push_fault(Fault::TokenEndpointStatus(401));
    assert_eq!(list_status(&fake, &fresh).await, StatusCode::OK);
    assert_eq!(
        request_token(&fake, "client-secret").await.status(),
        StatusCode::UNAUTHORIZED
    );
    access_token(&fake).await;

    assert_eq!(fake.token_request_count(), 7);
    assert_eq!(fake.request_count(), 7);
    let token_requests: Vec<_> = fake
        .recorded_requests()
        .into_iter()
        .filter(|r| r.is_token_request())
        .collect();
    assert_eq!(token_requests.len(), 7);
    assert_eq!(token_requests[0].body, "grant_type=client_credentials");
    assert_eq!(
        token_requests[0].header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
}

#[tokio::test]
async fn service_account_tokens_expire() {
    let ttl = Duration::from_millis(300);
    let fake = FakeAtlas::start(FakeConfig::service_account(
        "client-id",
        "client-secret",
        ttl,
    ))
    .await;
    let token = access_token(&fake).await;
    assert_eq!(list_status(&fake, &token).await, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(list_status(&fake, &token).await, StatusCode::UNAUTHORIZED);
}

/// Signs `method path` with the challenge `prompt`, incrementing its `nc`.
fn sign(prompt: &mut WwwAuthenticateHeader, password: &str, method: &str, path: &str) -> String {
    let context = AuthContext::new_with_method(
        "public",
        password,
        path,
        None::<&[u8]>,
        HttpMethod::from(method),
    );
    prompt.respond(&context).unwrap().to_header_string()
}

async fn digest_get(fake: &FakeAtlas, path: &str, authorization: &str) -> Response {
    let request = unauthenticated(fake, Method::GET, path).header(AUTHORIZATION, authorization);
    request.send().await.unwrap()
}

fn challenge(
    response: &Response,
    stale: bool,
    algorithm: DigestAlgorithm,
) -> WwwAuthenticateHeader {
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let header = header(response, WWW_AUTHENTICATE);
    assert!(
        header.starts_with(r#"Digest realm="MMS Public API", domain="", nonce=""#),
        "{header}"
    );
    let tail = format!(
        r#", algorithm={}, qop="auth", stale={stale}"#,
        algorithm.name()
    );
    assert!(header.ends_with(&tail), "{header}");
    digest_auth::parse(header).unwrap()
}

async fn digest_flow(algorithm: DigestAlgorithm) {
    let fake = FakeAtlas::start(FakeConfig::digest("public", "private", algorithm)).await;
    let path = format!("{}?itemsPerPage=5", group_keys(GROUP));

    let first = unauthenticated(&fake, Method::GET, &path)
        .send()
        .await
        .unwrap();
    assert_eq!(header(&first, CONTENT_TYPE), ERROR_MEDIA_TYPE);
    let mut prompt = challenge(&first, false, algorithm);
    for _ in 0..2 {
        let authorization = sign(&mut prompt, "private", "GET", &path);
        assert_eq!(
            digest_get(&fake, &path, &authorization).await.status(),
            StatusCode::OK
        );
    }
    let keys = group_keys(GROUP);
    let authorization = sign(&mut prompt, "private", "POST", &keys);
    let create = named(unauthenticated(&fake, Method::POST, &keys), "k");
    let (status, key) = send(create.header(AUTHORIZATION, authorization)).await;
    assert_eq!(
        (status, &key["createdBy"]),
        (StatusCode::CREATED, &json!("public"))
    );

    let wrong_password = sign(&mut prompt, "wrong", "GET", &path);
    challenge(
        &digest_get(&fake, &path, &wrong_password).await,
        false,
        algorithm,
    );
    let wrong_uri = sign(&mut prompt, "private", "GET", &keys);
    challenge(
        &digest_get(&fake, &path, &wrong_uri).await,
        false,
        algorithm,
    );
    let wrong_method = sign(&mut prompt, "private", "DELETE", &path);
    challenge(
        &digest_get(&fake, &path, &wrong_method).await,
        false,
        algorithm,
    );

    fake.push_fault(Fault::StaleNonce);
    let authorization = sign(&mut prompt, "private", "GET", &path);
    let stale = digest_get(&fake, &path, &authorization).await;
    let mut fresh = challenge(&stale, true, algorithm);
    assert_ne!(fresh.nonce, prompt.nonce);
    // The old nonce stays expired.
    let authorization = sign(&mut prompt, "private", "GET", &path);
    challenge(
        &digest_get(&fake, &path, &authorization).await,
        true,
        algorithm,
    );
    let authorization = sign(&mut fresh, "private", "GET", &path);
    assert_eq!(
        digest_get(&fake, &path, &authorization).await.status(),
        StatusCode::OK
    );
    assert_eq!(fake.request_count(), 10);
}

#[tokio::test]
async fn digest_md5() {
    digest_flow(DigestAlgorithm::Md5).await;
}

#[tokio::test]
async fn digest_sha256() {
    digest_flow(DigestAlgorithm::Sha256).await;
}

#[tokio::test]
async fn digest_nonce_serves_a_limited_number_of_requests() {
    let config = FakeConfig::digest("public", "private", DigestAlgorithm::Sha256);
    let fake = FakeAtlas::start(config.with_nonce_max_uses(2)).await;
    let path = group_keys(GROUP);
    let first = unauthenticated(&fake, Method::GET, &path)
        .send()
        .await
        .unwrap();
    let mut prompt = challenge(&first, false, DigestAlgorithm::Sha256);
    for _ in 0..2 {
        let authorization = sign(&mut prompt, "private", "GET", &path);
        assert_eq!(
            digest_get(&fake, &path, &authorization).await.status(),
            StatusCode::OK
        );
    }
    let authorization = sign(&mut prompt, "private", "GET", &path);
    challenge(
        &digest_get(&fake, &path, &authorization).await,
        true,
        DigestAlgorithm::Sha256,
    );
}

#[tokio::test]
async fn faults() {
    let fake = FakeAtlas::start(FakeConfig::bearer(TOKEN)).await;
    let keys = group_keys(GROUP);
    let id = fake.insert_key(GROUP, "seeded")["apiKeyId"]
        .as_str()
        .unwrap()
        .to_owned();
    let key_path = format!("{keys}/{id}");
    let get = || call(&fake, Method::GET, &key_path).send();

    let whole = get().await.unwrap().bytes().await.unwrap();
    fake.push_fault(Fault::DropConnectionMidBody);
    let mut dropped = get().await.unwrap();
    assert_eq!(dropped.status(), StatusCode::OK);
    assert_eq!(header(&dropped, CONTENT_TYPE), PREVIEW_MEDIA_TYPE);
    assert_eq!(dropped.content_length(), Some(whole.len() as u64));
    let mut received = Vec::new();
    let error = loop {
        match dropped.chunk().await {
            Ok(Some(chunk)) => received.extend_from_slice(&chunk),
            Ok(None) => panic!("the body completed"),
            Err(error) => break error,
        }
    };
    assert!(error.is_body() || error.is_decode(), "{error:?}");
    assert_eq!(received, whole[..whole.len() / 2]);

    fake.push_fault(Fault::Html502);
    let proxy = get().await.unwrap();
    assert_eq!(proxy.status(), StatusCode::BAD_GATEWAY);
    assert_eq!(header(&proxy, CONTENT_TYPE), "text/html");
    assert_eq!(proxy.text().await.unwrap(), HTML_502_BODY);

    fake.push_fault(Fault::TruncatedJson);
    let truncated = get().await.unwrap().bytes().await.unwrap();
    assert_eq!(truncated, whole[..whole.len() / 2]);
    assert!(serde_json::from_slice::<Value>(&truncated).is_err());

    fake.push_fault(Fault::ExtraFields);
    let (_, list) = send(call(&fake, Method::GET, &keys)).await;
    assert_eq!(list[EXTRA_TOP_LEVEL_FIELD]["flag"], true);
    assert_eq!(list["results"][0][EXTRA_KEY_FIELD], "surprise");
    assert_eq!(list["results"][0]["apiKeyId"], id.as_str());
    fake.push_fault(Fault::ExtraFields);
    let (_, key) = send(call(&fake, Method::GET, &key_path)).await;
    assert!(key.get(EXTRA_KEY_FIELD).is_some() && key.get(EXTRA_TOP_LEVEL_FIELD).is_some());

    for (status, retry_after, code) in [
        (429, Some(7), "RATE_LIMITED"),
        (503, None, "SERVICE_UNAVAILABLE"),
        (500, None, "UNEXPECTED_ERROR"),
    ] {
        fake.push_fault(Fault::Status(status, retry_after));
        let response = named(call(&fake, Method::POST, &keys), "not created")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), status);
        assert_eq!(header(&response, CONTENT_TYPE), ERROR_MEDIA_TYPE);
        assert_eq!(
            header(&response, RETRY_AFTER),
            retry_after.map_or(String::new(), |s| s.to_string())
        );
        assert_eq!(header(&response, "RateLimit-Limit"), "100");
        let error: Value = response.json().await.unwrap();
        assert_eq!(
            (&error["error"], &error["errorCode"]),
            (&json!(status), &json!(code))
        );
    }
    assert_eq!(fake.keys(GROUP).len(), 1, "faulted creates must not create");

    fake.push_fault(Fault::Delay(Duration::from_millis(300)));
    let started = Instant::now();
    assert_eq!(get().await.unwrap().status(), StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(300));

    // Faults wait for a request that authenticates.
    fake.push_fault(Fault::Html502);
    let anonymous = unauthenticated(&fake, Method::GET, &key_path)
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(fake.pending_faults(), 1);
    assert_eq!(get().await.unwrap().status(), StatusCode::BAD_GATEWAY);
    assert_eq!(fake.pending_faults(), 0);

    assert_eq!(fake.request_count(), 12);
    let recorded = fake.recorded_requests();
    assert_eq!(recorded.len(), 12);
    let post = recorded.iter().find(|r| r.method == Method::POST).unwrap();
    assert_eq!(post.path, keys);
    assert_eq!(post.query, None);
    assert_eq!(post.header("accept"), Some(PREVIEW_MEDIA_TYPE));
    assert_eq!(
        post.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(post.body_json(), Some(json!({ "name": "not created" })));
}

/// Each version has its own body shape, and a retired version is gone.
#[tokio::test]
async fn versions_are_chosen_by_media_type_and_can_be_retired() {
    let fake =
        FakeAtlas::start(FakeConfig::bearer(TOKEN).with_retired_version(ApiVersion::Preview)).await;
    let keys = group_keys(GROUP);
    let stable = |method: Method, body: Value| {
        call(&fake, method, &keys)
            .header(ACCEPT, STABLE_MEDIA_TYPE)
            .header(CONTENT_TYPE, STABLE_MEDIA_TYPE)
            .body(body.to_string())
    };
    let code = |(status, body): (StatusCode, Value)| (status.as_u16(), body["errorCode"].clone());

    // A stable create without its scope, or with the preview's media type, is refused.
    let unscoped = stable(Method::POST, json!({ "name": "k" }));
    assert_eq!(code(send(unscoped).await), (400, json!("VALIDATION_ERROR")));
    let mismatched = call(&fake, Method::POST, &keys)
        .header(ACCEPT, STABLE_MEDIA_TYPE)
        .header(CONTENT_TYPE, PREVIEW_MEDIA_TYPE)
        .body(json!({ "name": "k", "cloud": "ANY", "geography": "ANY" }).to_string());
    assert_eq!(code(send(mismatched).await).0, 400);
    let wrong_scope = stable(
        Method::POST,
        json!({ "name": "k", "cloud": "AWS", "geography": "ANY" }),
    );
    assert_eq!(
        code(send(wrong_scope).await),
        (400, json!("VALIDATION_ERROR"))
    );

    let response = stable(
        Method::POST,
        json!({ "name": "k", "cloud": "ANY", "geography": "ANY" }),
    )
    .send()
    .await
    .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(header(&response, CONTENT_TYPE), STABLE_MEDIA_TYPE);
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["cloud"], "ANY");
    assert_eq!(created["geography"], "ANY");
    assert_eq!(created["endpoint"], "ai.mongodb.com");

    // The preview is retired here: 410 VERSION_GONE, nothing created.
    let preview = named(call(&fake, Method::POST, &keys), "p");
    assert_eq!(code(send(preview).await), (410, json!("VERSION_GONE")));
    assert_eq!(fake.keys(GROUP).len(), 1);
    assert!(
        fake.keys_in(GROUP, ApiVersion::Preview)[0]
            .get("endpoint")
            .is_none()
    );
}
