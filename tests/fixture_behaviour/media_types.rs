//! Non-JSON bodies (bytes sent, text and bytes received) and several media
//! types in the `media_types` fixture's generated crate, over its own mock
//! server: compiled and run by
//! `tests/tests/generator/fixtures_build.rs`.

use bytes::Bytes;
use fixture_media_types::mock::MockServer;
use fixture_media_types::types::Invoice;

#[tokio::test]
async fn non_json_bodies_are_bytes_both_ways() {
    let server = MockServer::start().await;
    server.upload().times(1).respond_raw(201, "stored").await;
    server
        .download_log("app")
        .respond_raw(200, &[0x1f, 0x8b, 0x08][..])
        .await;
    let client = server.client();

    let stored = client
        .upload(Bytes::from_static(b"\x00\x01raw"))
        .await
        .unwrap();
    assert_eq!(stored.status(), 201);
    assert_eq!(stored.body(), "stored");
    let log = client.download_log("app").await.unwrap();
    assert_eq!(&log.into_inner().bytes().await.unwrap()[..], [0x1f, 0x8b, 0x08]);

    let upload = &server.received_requests().await[0];
    assert_eq!(&upload.body[..], b"\x00\x01raw");
    assert_eq!(upload.headers["content-type"], "application/octet-stream");
    assert_eq!(upload.headers["accept"], "text/plain");
}

#[tokio::test]
async fn json_is_preferred_among_media_types_of_one_version() {
    let server = MockServer::start().await;
    let mut invoice = Invoice::default();
    invoice.amount_cents = Some(1250);
    server.get_invoice("inv-1").respond(200, &invoice).await;

    let got = server.client().get_invoice("inv-1").await.unwrap();

    assert_eq!(got.body(), &invoice);
    let request = &server.received_requests().await[0];
    assert_eq!(request.headers["accept"], "application/vnd.x.2023-01-01+json");
}

#[tokio::test]
async fn each_version_has_its_own_media_type_and_success_status() {
    let server = MockServer::start().await;
    let invoice = Invoice::default();
    server
        .create_deployment()
        .respond(201, &invoice)
        .await;
    server
        .v2023_01_01()
        .create_deployment()
        .respond(200, &invoice)
        .await;
    let client = server.client();

    let newest = client.create_deployment().body(&invoice).await.unwrap();
    let pinned = client
        .v2023_01_01()
        .create_deployment()
        .body(&invoice)
        .await
        .unwrap();

    assert_eq!((newest.status().as_u16(), pinned.status().as_u16()), (201, 200));
    let sent: Vec<String> = server
        .received_requests()
        .await
        .iter()
        .map(|request| request.headers["content-type"].to_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        sent,
        [
            "application/vnd.x.2024-05-30+json",
            "application/vnd.x.2023-01-01+json"
        ]
    );
}
