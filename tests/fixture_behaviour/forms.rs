//! Form bodies in the `forms` fixture's generated crate, over its own mock
//! server: the exact bytes sent for each style, read-only fields left out,
//! checks before sending, and the mock matching fields in any order.
//! Compiled and run by `tests/tests/generator/fixtures_build.rs`.

use fixture_forms::Error;
use fixture_forms::mock::MockServer;
use fixture_forms::types::{
    Message, MessageForm, MessageFormFilter, MessageFormFilterWindow, UpdateMessageBody,
    UpdateMessageBodyStatus,
};

/// A message with every kind of field, and characters forms must escape.
fn message() -> MessageForm {
    let mut form = MessageForm::new(
        vec!["+1 555&1".to_owned(), "+1666".to_owned()],
        "Hi = ü & bye",
    );
    form.tags = Some(vec!["a b".to_owned(), "c,d".to_owned()]);
    form.channels = Some(vec!["sms".to_owned(), "mms".to_owned()]);
    let mut window = MessageFormFilterWindow::default();
    window.from = Some(1);
    window.to = Some(2);
    let mut filter = MessageFormFilter::default();
    filter.kind = Some("x".to_owned());
    filter.window = Some(window);
    form.filter = Some(filter);
    form.sid = Some("SM1".to_owned());
    form.validity_period = Some(60);
    form
}

#[tokio::test]
async fn a_form_body_is_sent_as_each_property_encoding_says() {
    let server = MockServer::start().await;
    server
        .create_message()
        .respond(201, &Message::default())
        .await;

    server.client().create_message(&message()).await.unwrap();

    let request = &server.received_requests().await[0];
    assert_eq!(
        request.headers["content-type"],
        "application/x-www-form-urlencoded"
    );
    // Name order; `To` exploded (the default), `Tags` joined by commas,
    // `Channels` by pipes, `Filter` as a deepObject, `Sid` (read-only) left out.
    let expected = [
        "Body=Hi+%3D+%C3%BC+%26+bye",
        "Channels=sms%7Cmms",
        "Filter%5Bkind%5D=x",
        "Filter%5Bwindow%5D%5Bfrom%5D=1",
        "Filter%5Bwindow%5D%5Bto%5D=2",
        "Tags=a+b%2Cc%2Cd",
        "To=%2B1+555%261",
        "To=%2B1666",
        "ValidityPeriod=60",
    ]
    .join("&");
    assert_eq!(String::from_utf8_lossy(&request.body), expected);
    let decoded: Vec<(String, String)> = form_urlencoded::parse(&request.body)
        .into_owned()
        .collect();
    assert_eq!(decoded[0], ("Body".to_owned(), "Hi = ü & bye".to_owned()));
    assert_eq!(decoded[6], ("To".to_owned(), "+1 555&1".to_owned()));
}

#[tokio::test]
async fn a_required_field_is_checked_before_anything_is_sent() {
    let server = MockServer::start().await;
    let empty = MessageForm::new(vec!["+1666".to_owned()], "");

    let refused = server.client().create_message(&empty).await;

    match refused {
        Err(Error::InvalidInput { field, .. }) => assert_eq!(field, "Body"),
        other => panic!("sent: {other:?}"),
    }
    assert!(server.received_requests().await.is_empty());
}

#[tokio::test]
async fn the_mock_matches_form_fields_in_any_order() {
    let server = MockServer::start().await;
    server
        .create_message()
        .with_form_body(&message())
        .times(1)
        .respond(201, &Message::default())
        .await;
    let client = server.client();

    assert!(client.create_message(&message()).await.is_ok());
    let mut other = message();
    other.tags = Some(vec!["a b".to_owned()]);
    let unmatched = client.create_message(&other).await.unwrap_err();
    assert_eq!(unmatched.status().map(|status| status.as_u16()), Some(404));
}

#[tokio::test]
async fn an_optional_form_body_is_sent_when_set() {
    let server = MockServer::start().await;
    server.update_message("SM1").respond_empty(204).await;
    let client = server.client();
    let mut body = UpdateMessageBody::default();
    body.body = Some("x+y".to_owned());
    body.status = Some(UpdateMessageBodyStatus::Canceled);

    client.update_message("SM1").body(&body).await.unwrap();
    client.update_message("SM1").await.unwrap();

    let received = server.received_requests().await;
    assert_eq!(&received[0].body[..], b"Body=x%2By&Status=canceled");
    assert!(received[1].body.is_empty());
    assert!(!received[1].headers.contains_key("content-type"));
}
