//! Contract test: the generated client against Stoplight Prism, an
//! independent mock server that serves `spec/openapi.yaml` and validates
//! every request against it (`--errors`).
//!
//! Prism checks our side of the contract (paths, parameters, media types,
//! bodies and auth as the spec describes them) for every operation of the
//! table in `support::operations`, in each version; the answers it makes
//! from the spec's examples, or from its schemas on `Prefer: dynamic=true`,
//! check that our types decode what the spec promises. A wrong request is
//! shown to be refused, so these checks can fail.

use atlas_ai_model_api_keys::types::ApiError;
use atlas_ai_model_api_keys::{Auth, Client, RetryPolicy};
use futures_util::TryStreamExt;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue};
use serde::Serialize;
use serde_json::Value;

use crate::support::operations::{API_KEY_ID, Call, GROUP_ID, ORG_ID, Op, STABLE, Version};
use crate::support::prism::Prism;

fn client_of(prism: &Prism, http: reqwest::Client) -> Client {
    Client::builder()
        .base_url(prism.base_url())
        .auth(Auth::new().service_accounts_token("contract-test-token"))
        .retry(RetryPolicy::none())
        .http_client(http)
        .build()
        .unwrap()
}

/// The example the spec gives for one response (or request) media type.
fn spec_example(path: &str, method: &str, status: &str, media_type: &str) -> Value {
    let spec = spec();
    let operation = &spec["paths"][path][method];
    let example = &operation["responses"][status]["content"][media_type]["example"];
    assert!(
        !example.is_null(),
        "the spec has no example for {method} {path} {status} {media_type}"
    );
    example.clone()
}

/// Asserts that what the client decoded, written back as JSON, is the
/// spec's example: no member lost or changed on the way through our types.
/// Timestamps compare as instants, since RFC 3339 has several spellings.
fn assert_is_example<T: Serialize>(decoded: &T, example: &Value) {
    let written = serde_json::to_value(decoded).unwrap();
    assert!(
        same_json(&written, example),
        "decoded value differs from the spec's example\n decoded: {written:#}\n example: {example:#}"
    );
}

fn same_json(left: &Value, right: &Value) -> bool {
    match (left, right) {
        (Value::Object(left), Value::Object(right)) => {
            left.len() == right.len()
                && left
                    .iter()
                    .all(|(key, value)| right.get(key).is_some_and(|other| same_json(value, other)))
        }
        (Value::Array(left), Value::Array(right)) => {
            left.len() == right.len() && left.iter().zip(right).all(|(l, r)| same_json(l, r))
        }
        (Value::String(left), Value::String(right)) => {
            left == right
                || matches!(
                    (
                        chrono::DateTime::parse_from_rfc3339(left),
                        chrono::DateTime::parse_from_rfc3339(right),
                    ),
                    (Ok(l), Ok(r)) if l == r
                )
        }
        _ => left == right,
    }
}
/// Sends every operation once in `version`: each must pass Prism's
/// validation and decode the spec's example answer without losing a member.
async fn every_operation_decodes_its_example(client: &Client, version: Version) {
    for op in Op::ALL {
        let decoded = Call::new(op, version)
            .send(client)
            .await
            .unwrap_or_else(|error| panic!("{op:?} in {version:?}: {error}"));
        assert_eq!(decoded.status, op.success(), "{op:?}");
        if let Some(body) = decoded.json() {
            let method = op.method().to_lowercase();
            let status = op.success().to_string();
            let media_type = version.media_type();
            assert_is_example(
                &body,
                &spec_example(op.template(), &method, &status, media_type),
            );
        }
    }
}

#[tokio::test]
async fn every_operation_of_the_stable_version_passes_validation_and_decodes_the_examples() {
    let prism = Prism::start_version("2025-03-12");
    let client = client_of(&prism, reqwest::Client::new());

    every_operation_decodes_its_example(&client, Version::Default).await;
    // Every optional parameter, and the pages of a stream.
    let page = client.list_group_ai_model_api_keys(GROUP_ID).await.unwrap();
    let paged = client
        .list_group_ai_model_api_keys(GROUP_ID)
        .items_per_page(500)
        .page_num(1)
        .envelope(false)
        .pretty(true)
        .await
        .unwrap();
    assert_eq!(paged.body(), page.body());
    let streamed: Vec<_> = client
        .list_group_ai_model_api_keys(GROUP_ID)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(streamed, page.body().results);

    assert_eq!(prism.violations(), Vec::<String>::new());
    assert_eq!(validated_requests(&prism), 10);
}

#[tokio::test]
async fn every_operation_of_the_preview_passes_validation_and_decodes_the_examples() {
    let prism = Prism::start_version("preview");
    let client = client_of(&prism, reqwest::Client::new());

    every_operation_decodes_its_example(&client, Version::Preview).await;

    assert_eq!(prism.violations(), Vec::<String>::new());
    assert_eq!(validated_requests(&prism), 7);
}

/// With `Prefer: dynamic=true` Prism makes each answer up from the schema:
/// optional members absent or present, nulls, strings outside the known
/// enum values. Every one must decode, in each version.
#[tokio::test]
async fn answers_generated_from_the_schemas_decode() {
    const ROUNDS: usize = 10;
    let dynamic = || {
        let mut headers = HeaderMap::new();
        headers.insert("prefer", HeaderValue::from_static("dynamic=true"));
        reqwest::Client::builder()
            .default_headers(headers)
            .build()
            .unwrap()
    };
    for (label, version) in [
        ("2025-03-12", Version::Default),
        ("preview", Version::Preview),
    ] {
        let prism = Prism::start_version(label);
        let client = client_of(&prism, dynamic());
        for _ in 0..ROUNDS {
            // A deletion has no body to make up.
            for op in Op::ALL.into_iter().filter(|op| *op != Op::DeleteGroupKey) {
                Call::new(op, version)
                    .send(&client)
                    .await
                    .unwrap_or_else(|error| panic!("{op:?} in {version:?}: {error}"));
            }
        }
        assert_eq!(prism.violations(), Vec::<String>::new());
        assert_eq!(validated_requests(&prism), 6 * ROUNDS);
    }
}

/// Every documented error answer of every operation, as the spec lists
/// them, decodes into [`ApiError`] and keeps all of its example.
/// Atlas sends errors as `application/json` whatever the `Accept`; Prism
/// negotiates strictly, so these requests accept `application/json`.
#[tokio::test]
async fn every_error_example_decodes_into_the_error_type() {
    let prism = Prism::start();
    let http = reqwest::Client::new();
    let spec = spec();
    let mut checked = 0;
    for (path, operations) in spec["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            for (status, response) in operation["responses"].as_object().unwrap() {
                if !status.starts_with('4') && !status.starts_with('5') {
                    continue;
                }
                let url = path
                    .replace("{groupId}", GROUP_ID)
                    .replace("{orgId}", ORG_ID)
                    .replace("{apiKeyId}", API_KEY_ID);
                let method_name = method.to_uppercase();
                let mut request = http
                    .request(
                        method_name.parse().unwrap(),
                        format!("{}{url}", prism.base_url()),
                    )
                    .header(ACCEPT, "application/json")
                    .header(AUTHORIZATION, "Bearer contract-test-token")
                    .header("prefer", format!("code={status}"));
                if let Some(example) = operation["requestBody"]["content"][STABLE].get("example") {
                    request = request
                        .header(CONTENT_TYPE, STABLE)
                        .body(example.to_string());
                }
                let response_sent = request.send().await.unwrap();
                assert_eq!(
                    response_sent.status().as_str(),
                    status,
                    "{method_name} {path}"
                );
                let body = response_sent.bytes().await.unwrap();
                let error: ApiError = serde_json::from_slice(&body).unwrap_or_else(|error| {
                    panic!(
                        "{method_name} {path} {status}: {error}: {}",
                        String::from_utf8_lossy(&body)
                    )
                });
                assert_eq!(error.error.to_string(), *status);
                assert_is_example(&error, &error_example(&spec, response));
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 38, "the spec documents 38 error answers");
    assert_eq!(prism.violations(), Vec::<String>::new());
}

/// Requests that break the spec are refused, each with the reason: the
/// checks above would catch a client that sent them.
#[tokio::test]
async fn prism_refuses_requests_that_break_the_spec() {
    let prism = Prism::start();
    let http = reqwest::Client::new();
    let keys_url = format!(
        "{}/api/atlas/v2/groups/{GROUP_ID}/aiModelApiKeys",
        prism.base_url()
    );
    let bearer = "Bearer contract-test-token";

    // An API version the spec does not offer.
    let response = http
        .get(&keys_url)
        .header(ACCEPT, "application/vnd.atlas.2099-01-01+json")
        .header(AUTHORIZATION, bearer)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 406);

    // A body in a media type the operation does not take.
    let response = http
        .post(&keys_url)
        .header(ACCEPT, STABLE)
        .header(CONTENT_TYPE, "text/plain")
        .header(AUTHORIZATION, bearer)
        .body(r#"{"cloud":"ANY","geography":"ANY","name":"Production key"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert!(
        violations_header(&response).contains("Supported content types"),
        "{:?}",
        response.headers()
    );

    // A preview body sent as the stable version, which requires a scope.
    let response = http
        .post(&keys_url)
        .header(ACCEPT, STABLE)
        .header(CONTENT_TYPE, STABLE)
        .header(AUTHORIZATION, bearer)
        .body(r#"{"name":"Production key"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert!(violations_header(&response).contains("required property 'cloud'"));

    // A group id that is not 24 hexadecimal digits.
    let response = http
        .get(format!(
            "{}/api/atlas/v2/groups/not-a-group/aiModelApiKeys",
            prism.base_url()
        ))
        .header(ACCEPT, STABLE)
        .header(AUTHORIZATION, bearer)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);

    // No credentials at all.
    let response = http
        .get(&keys_url)
        .header(ACCEPT, STABLE)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);

    let violations = prism.violations().join("\n");
    for reason in [
        "NOT_ACCEPTABLE",
        "Supported content types",
        "required property 'cloud'",
        "must match pattern",
        "Invalid security scheme",
    ] {
        assert!(
            violations.contains(reason),
            "{reason} not in:\n{violations}"
        );
    }
}

/// How many requests Prism's validator passed.
fn validated_requests(prism: &Prism) -> usize {
    prism
        .log()
        .iter()
        .filter(|line| line.contains("The request passed the validation rules"))
        .count()
}

fn violations_header(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("sl-violations")
        .map(|value| value.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// The spec, as JSON.
fn spec() -> Value {
    let text = std::fs::read_to_string(xtask::own_spec()).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

/// The example of an error answer, following the spec's `$ref` to its
/// shared responses.
fn error_example(spec: &Value, response: &Value) -> Value {
    let response = match response.get("$ref") {
        Some(Value::String(reference)) => {
            &spec["components"]["responses"][reference.rsplit('/').next().unwrap()]
        }
        _ => response,
    };
    let example = &response["content"]["application/json"]["example"];
    assert!(!example.is_null(), "no example for {response}");
    example.clone()
}
