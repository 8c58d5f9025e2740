//! readOnly and writeOnly in the `access` fixture's generated crate, over
//! its own mock server: compiled and run by
//! `tests/tests/generator/fixtures_build.rs`.

use fixture_access::mock::MockServer;
use fixture_access::types::User;

#[tokio::test]
async fn read_only_fields_stay_out_of_requests_and_come_back_in_answers() {
    let server = MockServer::start().await;
    let answer = User::new("u-1", "ann", "", Vec::new());
    server.create_user().times(1).respond(201, &answer).await;

    let request = User::new("ignored", "ann", "s3cret", vec!["ops".to_owned()]);
    let created = server.client().create_user(&request).await.unwrap();

    assert_eq!(created.body().id, "u-1");
    let sent: serde_json::Value =
        serde_json::from_slice(&server.received_requests().await[0].body).unwrap();
    assert_eq!(
        sent,
        serde_json::json!({"name": "ann", "password": "s3cret", "tags": ["ops"]})
    );
    // Outside a request, read-only fields are data like any other.
    assert_eq!(serde_json::to_value(&request).unwrap()["id"], "ignored");
}

#[test]
fn write_only_fields_are_not_required_back() {
    let user: User = serde_json::from_str(r#"{"id":"u-1","name":"ann"}"#).unwrap();
    assert_eq!((user.password.as_str(), user.tags.len()), ("", 0));
    assert_eq!(user.mfa_code, None);
}
