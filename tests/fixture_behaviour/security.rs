//! What the `security` fixture's generated crate sends for each kind of
//! security scheme and each shape of requirement, against a loopback
//! `wiremock` server: compiled and run by
//! `tests/tests/generator/fixtures_build.rs`.

use fixture_security::{Auth, Client, ClientCredentials, Error, RetryPolicy};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server answering 204 to every call but the token endpoint's.
async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": "fetched-token",
            "token_type": "Bearer",
            "expires_in": 3600,
        })))
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer, auth: Auth) -> Client {
    Client::builder(server.uri())
        .auth(auth)
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

/// Every credential the fixture's schemes can take.
fn everything() -> Auth {
    Auth::new()
        .basic_auth("ann", "s3cret")
        .bearer_auth("jwt")
        .header_key("header-key")
        .query_key("query-key")
        .cookie_key("cookie-key")
        .client_credentials_token("ready-token")
        .authorization_code("code-token")
}

/// The last request the server received to `path`.
async fn last_to(server: &MockServer, to: &str) -> wiremock::Request {
    server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .rev()
        .find(|request| request.url.path() == to)
        .unwrap_or_else(|| panic!("no request to {to}"))
}

/// The request's credentials, wherever they were sent.
fn credentials(request: &wiremock::Request) -> Vec<String> {
    let mut sent = Vec::new();
    for name in ["authorization", "x-api-key", "cookie"] {
        if let Some(value) = request.headers.get(name) {
            sent.push(format!("{name}: {}", value.to_str().unwrap()));
        }
    }
    sent.extend(request.url.query_pairs().map(|(name, value)| format!("?{name}={value}")));
    sent
}

#[tokio::test]
async fn each_scheme_kind_sends_its_credential_where_its_scheme_says() {
    let server = server().await;
    let client = client(&server, everything());
    client.basic().await.unwrap();
    client.bearer().await.unwrap();
    client.header_key().await.unwrap();
    client.query_key().await.unwrap();
    client.cookie_key().await.unwrap();
    client.read().await.unwrap();
    client.user().await.unwrap();
    let cases = [
        ("/basic", "authorization: Basic YW5uOnMzY3JldA=="),
        ("/bearer", "authorization: Bearer jwt"),
        ("/header-key", "x-api-key: header-key"),
        ("/query-key", "?api_key=query-key"),
        ("/cookie-key", "cookie: session=cookie-key"),
        ("/read", "authorization: Bearer ready-token"),
        ("/user", "authorization: Bearer code-token"),
    ];
    for (to, expected) in cases {
        assert_eq!(credentials(&last_to(&server, to).await), [expected], "{to}");
    }
}

#[tokio::test]
async fn schemes_required_together_are_sent_together_or_not_at_all() {
    let server = server().await;
    client(&server, everything()).together().await.unwrap();
    let mut sent = credentials(&last_to(&server, "/together").await);
    sent.sort();
    assert_eq!(
        sent,
        [
            "?api_key=query-key",
            "cookie: session=cookie-key",
            "x-api-key: header-key"
        ]
    );

    let two_of_three = Auth::new().header_key("header-key").query_key("query-key");
    client(&server, two_of_three).together().await.unwrap();
    assert!(credentials(&last_to(&server, "/together").await).is_empty());
}

#[tokio::test]
async fn the_first_alternative_with_every_credential_set_is_sent() {
    let server = server().await;
    client(&server, everything()).either().await.unwrap();
    assert_eq!(
        credentials(&last_to(&server, "/either").await),
        ["authorization: Basic YW5uOnMzY3JldA=="]
    );
    let second_only = Auth::new().header_key("header-key");
    client(&server, second_only).either().await.unwrap();
    assert_eq!(
        credentials(&last_to(&server, "/either").await),
        ["x-api-key: header-key"]
    );
}

#[tokio::test]
async fn no_credentials_go_where_none_are_asked_for() {
    let server = server().await;
    let client = client(&server, everything());
    client.public().await.unwrap();
    assert!(credentials(&last_to(&server, "/public").await).is_empty());
    // Neither alternative names a scheme the client can send.
    client.unsupported().await.unwrap();
    assert!(credentials(&last_to(&server, "/unsupported").await).is_empty());
}

#[tokio::test]
async fn an_optional_requirement_sends_credentials_when_set_and_none_otherwise() {
    let server = server().await;
    client(&server, Auth::new()).optional().await.unwrap();
    assert!(credentials(&last_to(&server, "/optional").await).is_empty());
    client(&server, Auth::new().bearer_auth("jwt"))
        .optional()
        .await
        .unwrap();
    assert_eq!(
        credentials(&last_to(&server, "/optional").await),
        ["authorization: Bearer jwt"]
    );
}

#[tokio::test]
async fn client_credentials_are_exchanged_once_for_every_scope_the_operations_need() {
    let server = server().await;
    let client = client(&server, Auth::new().client_credentials("id", "secret"));
    client.read().await.unwrap();
    client.write().await.unwrap();

    let received = server.received_requests().await.unwrap();
    let tokens: Vec<_> = received
        .iter()
        .filter(|request| request.url.path() == "/oauth/token")
        .collect();
    assert_eq!(tokens.len(), 1, "one token serves both calls");
    assert_eq!(
        String::from_utf8_lossy(&tokens[0].body),
        "grant_type=client_credentials&scope=read%20write"
    );
    assert_eq!(
        tokens[0].headers["authorization"].to_str().unwrap(),
        "Basic aWQ6c2VjcmV0"
    );
    for to in ["/read", "/write"] {
        assert_eq!(
            credentials(&last_to(&server, to).await),
            ["authorization: Bearer fetched-token"]
        );
    }
}

#[tokio::test]
async fn a_token_url_of_another_server_can_be_replaced() {
    let server = server().await;
    let credentials_elsewhere = ClientCredentials::new("id", "secret")
        .token_url(format!("{}/oauth/token", server.uri()))
        .scopes(["partner"]);
    let auth = Auth::new().partner_credentials_with(credentials_elsewhere);
    client(&server, auth).partner().await.unwrap();
    let token = last_to(&server, "/oauth/token").await;
    assert_eq!(
        String::from_utf8_lossy(&token.body),
        "grant_type=client_credentials&scope=partner"
    );
    assert_eq!(
        credentials(&last_to(&server, "/partner").await),
        ["authorization: Bearer fetched-token"]
    );
}

#[tokio::test]
async fn a_refused_token_request_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(400).set_body_string(r#"{"error":"invalid_client"}"#))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(server.uri())
        .auth(Auth::new().client_credentials("id", "wrong"))
        .build()
        .unwrap();
    let error = client.read().await.unwrap_err();
    assert!(
        matches!(error, Error::TokenRejected { status, .. } if status == 400),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_query_key_stays_out_of_error_messages() {
    // Nothing listens on port 1 of loopback.
    let client = Client::builder("http://127.0.0.1:1")
        .auth(Auth::new().query_key("query-key-never-shown"))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let error = client.query_key().await.unwrap_err();
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains("query-key-never-shown"), "{shown}");
    assert!(
        matches!(
            error,
            Error::Transport {
                may_have_reached_server: false,
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn credentials_never_show_in_debug_output() {
    let shown = format!(
        "{:?}",
        everything()
            .client_credentials("id", "client-secret")
            .digest_auth("user", "digest-password")
    );
    for secret in [
        "s3cret",
        "jwt",
        "header-key",
        "query-key",
        "cookie-key",
        "client-secret",
        "digest-password",
        "code-token",
    ] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
}
