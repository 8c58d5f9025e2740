//! Each request is a `tracing` span naming the operation, method, path
//! template, attempt and status, with no credentials in it.
//!
//! A file of its own: `tracing` caches per call site whether anyone listens,
//! and a test running beside this one without a subscriber could make that
//! cache say no.

use std::sync::{Arc, Mutex};

use atlas_ai_model_api_keys::{Auth, Client, RetryPolicy};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const GROUP_ID: &str = "32b6e34b3d91647abb20e7b8";
const TOKEN: &str = "bearer-token-never-printed";

fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .auth(Auth::new().service_accounts_token(TOKEN))
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

/// A `tracing` writer into a shared buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn each_request_is_a_span_with_operation_path_status_and_attempt() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "results": [] })))
        .mount(&server)
        .await;
    client_for(&server)
        .list_group_ai_model_api_keys(GROUP_ID)
        .await
        .unwrap();

    let output = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    for expected in [
        "operation=\"listGroupAiModelApiKeys\"",
        "method=GET",
        "path=\"/api/atlas/v2/groups/{groupId}/aiModelApiKeys\"",
        "attempt=1",
        "status=200",
    ] {
        assert!(
            output.contains(expected),
            "{expected} missing from:\n{output}"
        );
    }
    assert!(!output.contains(TOKEN), "{output}");
}
