//! The generated crate's test doubles (`mock` feature), used the way a
//! user's tests would: code that depends on `Client` is tested against a
//! `MockServer` answering in the client's own types.

use atlas_ai_model_api_keys::mock::MockServer;
use atlas_ai_model_api_keys::types::{
    AiModelApiKey, AiModelApiKeyCloud, AiModelApiKeyCreateRequest, AiModelApiKeyGeography,
    AiModelApiKeyPreviewCreateRequest, AiModelApiKeyResponse, ApiError,
};
use atlas_ai_model_api_keys::{Client, Error, ExposeSecret, Secret};

const GROUP: &str = "32b6e34b3d91647abb20e7b8";

/// Code under test, as a user might write it: replaces a key with a new
/// one of the same name and returns the new key's secret.
async fn replace_key(
    client: &Client,
    group: &str,
    old_key_id: &str,
    name: &str,
) -> Result<Secret, Error<ApiError>> {
    let request =
        AiModelApiKeyCreateRequest::new(AiModelApiKeyCloud::Any, AiModelApiKeyGeography::Any, name);
    let created = client
        .create_group_ai_model_api_key(group, &request)
        .await?
        .into_inner();
    client
        .delete_group_ai_model_api_key(group, old_key_id)
        .await?;
    Ok(created.secret.expect("a created key has its secret"))
}

fn key(id: &str, name: &str, secret: Option<&str>) -> AiModelApiKeyResponse {
    let mut key = AiModelApiKeyResponse::default();
    key.api_key_id = Some(id.to_owned());
    key.name = Some(name.to_owned());
    key.secret = secret.map(Secret::new);
    key
}

#[tokio::test]
async fn a_replaced_key_is_created_before_the_old_one_is_deleted() {
    let server = MockServer::start().await;
    let request = AiModelApiKeyCreateRequest::new(
        AiModelApiKeyCloud::Any,
        AiModelApiKeyGeography::Any,
        "ingest",
    );
    server
        .create_group_ai_model_api_key(GROUP)
        .with_body(&request)
        .times(1)
        .respond(201, &key("new-key", "ingest", Some("al-new-secret")))
        .await;
    server
        .delete_group_ai_model_api_key(GROUP, "old-key")
        .times(1)
        .respond_empty(204)
        .await;

    let secret = replace_key(&server.client(), GROUP, "old-key", "ingest")
        .await
        .unwrap();

    assert_eq!(secret.expose_secret(), "al-new-secret");
    let order: Vec<String> = server
        .received_requests()
        .await
        .iter()
        .map(|request| format!("{} {}", request.method, request.url.path()))
        .collect();
    assert_eq!(
        order,
        [
            format!("POST /api/atlas/v2/groups/{GROUP}/aiModelApiKeys"),
            format!("DELETE /api/atlas/v2/groups/{GROUP}/aiModelApiKeys/old-key"),
        ]
    );
}

#[tokio::test]
async fn an_api_error_reaches_the_caller_typed() {
    let server = MockServer::start().await;
    server
        .create_group_ai_model_api_key(GROUP)
        .respond(201, &key("new-key", "ingest", Some("al-new-secret")))
        .await;
    let mut not_found = ApiError::new(404, "API_KEY_NOT_FOUND");
    not_found.reason = Some("Not Found".to_owned());
    server
        .delete_group_ai_model_api_key(GROUP, "old-key")
        .fail(404, &not_found)
        .await;

    let error = replace_key(&server.client(), GROUP, "old-key", "ingest")
        .await
        .unwrap_err();

    assert_eq!(error.status().map(|status| status.as_u16()), Some(404));
    assert_eq!(error.api_error(), Some(&not_found));
}

#[tokio::test]
async fn a_mock_of_one_version_does_not_answer_another() {
    let server = MockServer::start().await;
    let mut preview_key = AiModelApiKey::default();
    preview_key.name = Some("preview key".to_owned());
    server
        .preview()
        .create_group_ai_model_api_key(GROUP)
        .respond(201, &preview_key)
        .await;
    let client = server.client();

    let created = client
        .preview()
        .create_group_ai_model_api_key(GROUP, &AiModelApiKeyPreviewCreateRequest::new("x"))
        .await
        .unwrap();
    assert_eq!(created.body(), &preview_key);

    // The stable create sends another media type, which this mock does not match.
    let stable =
        AiModelApiKeyCreateRequest::new(AiModelApiKeyCloud::Any, AiModelApiKeyGeography::Any, "x");
    let unmatched = client
        .create_group_ai_model_api_key(GROUP, &stable)
        .await
        .unwrap_err();
    assert_eq!(unmatched.status().map(|status| status.as_u16()), Some(404));
}
