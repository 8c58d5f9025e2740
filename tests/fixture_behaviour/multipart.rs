//! Multipart bodies in the `multipart` fixture's generated crate, over its
//! own mock server: the body received is parsed as a server would (`multer`)
//! and every part checked (name, file name, content type, bytes).
//! Compiled and run by `tests/tests/generator/fixtures_build.rs`.

use bytes::Bytes;
use fixture_multipart::mock::MockServer;
use fixture_multipart::runtime::{Body, FilePart};
use fixture_multipart::types::{UploadFileBody, UploadFileBodyMetadata, UploadFileResponse};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00--boundary-like--";

/// A part as received: name, file name, content type, bytes.
type Part = (String, Option<String>, Option<String>, Vec<u8>);

/// The parts of a multipart request, parsed by `multer`.
async fn parts(request: &wiremock::Request) -> Vec<Part> {
    let content_type = request.headers["content-type"].to_str().unwrap();
    assert!(content_type.starts_with("multipart/form-data; boundary="));
    let boundary = multer::parse_boundary(content_type).unwrap();
    let body = Bytes::from(request.body.clone());
    let chunks = futures_util::stream::iter([Ok::<_, std::io::Error>(body)]);
    let mut multipart = multer::Multipart::new(chunks, boundary);
    let mut parts = Vec::new();
    while let Some(field) = multipart.next_field().await.unwrap() {
        let name = field.name().unwrap().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(ToString::to_string);
        let bytes = field.bytes().await.unwrap().to_vec();
        parts.push((name, file_name, content_type, bytes));
    }
    parts
}

fn part(name: &str, file_name: Option<&str>, content_type: Option<&str>, bytes: &[u8]) -> Part {
    (
        name.to_owned(),
        file_name.map(str::to_owned),
        content_type.map(str::to_owned),
        bytes.to_vec(),
    )
}

fn upload() -> UploadFileBody {
    let mut body = UploadFileBody::new(FilePart::new(PNG).file_name("cat.png"), "avatars");
    body.size = Some(42);
    let mut metadata = UploadFileBodyMetadata::default();
    metadata.owner = Some("ann".to_owned());
    metadata.public = Some(true);
    body.metadata = Some(metadata);
    body.tags = Some(vec!["a".to_owned(), "b c".to_owned()]);
    body.attachments = Some(vec![
        FilePart::new("notes").file_name("a.txt").content_type("text/plain"),
        FilePart::new(vec![0u8, 1, 2]),
    ]);
    body.id = Some("read-only".to_owned());
    body
}

#[tokio::test]
async fn every_property_is_a_part_of_its_own() {
    let server = MockServer::start().await;
    server
        .upload_file()
        .respond(201, &UploadFileResponse::default())
        .await;

    server.client().upload_file(&upload()).await.unwrap();

    let received = parts(&server.received_requests().await[0]).await;
    assert_eq!(
        received,
        [
            // The encoding's content type; the file name the caller gave.
            part("file", Some("cat.png"), Some("image/png"), PNG),
            part("purpose", None, None, b"avatars"),
            part("size", None, None, b"42"),
            part(
                "metadata",
                None,
                Some("application/json"),
                br#"{"owner":"ann","public":true}"#
            ),
            part("tags", None, None, b"a"),
            part("tags", None, None, b"b c"),
            part("attachments", Some("a.txt"), Some("text/plain"), b"notes"),
            part(
                "attachments",
                None,
                Some("application/octet-stream"),
                &[0, 1, 2]
            ),
        ]
    );
}

#[tokio::test]
async fn a_file_part_can_be_streamed() {
    let server = MockServer::start().await;
    server
        .upload_file()
        .respond(201, &UploadFileResponse::default())
        .await;
    let chunks = futures_util::stream::iter(
        ["one,", "two,", "three"].map(|chunk| Ok::<_, std::io::Error>(Bytes::from(chunk))),
    );
    let file = FilePart::new(Body::from_stream(chunks)).file_name("list.csv");
    let body = UploadFileBody::new(file, "reports");

    server.client().upload_file(&body).await.unwrap();

    let received = parts(&server.received_requests().await[0]).await;
    assert_eq!(
        received,
        [
            part("file", Some("list.csv"), Some("image/png"), b"one,two,three"),
            part("purpose", None, None, b"reports"),
        ]
    );
}

#[tokio::test]
async fn the_mock_matches_parts() {
    let server = MockServer::start().await;
    server
        .upload_file()
        .with_part("file", Some("cat.png"), Some("image/png"), PNG)
        .with_part("purpose", None, None, "avatars")
        .times(1)
        .respond(201, &UploadFileResponse::default())
        .await;
    let client = server.client();

    assert!(client.upload_file(&upload()).await.is_ok());
    let mut other = upload();
    other.purpose = "banners".to_owned();
    let unmatched = client.upload_file(&other).await.unwrap_err();
    assert_eq!(unmatched.status().map(|status| status.as_u16()), Some(404));
}
