//! The `manage_keys` example, run against the fake Atlas with each kind of
//! credentials its environment can hold.
//!
//! The example's own source is compiled into this test, so what runs here
//! is what `cargo run --example manage_keys` runs, minus reading the real
//! process environment and arguments.

#[path = "../../../examples/manage_keys.rs"]
#[allow(dead_code)] // its `main` is the example's entry point, unused here
mod manage_keys;

use std::collections::HashMap;
use std::time::Duration;

use crate::support::fake_atlas::{DigestAlgorithm, FakeAtlas, FakeConfig};

const PROJECT: &str = "32b6e34b3d91647abb20e7b8";

/// Runs the example with `env` as its environment; its output, or its error.
async fn run(args: &[&str], env: &[(&str, String)]) -> Result<String, String> {
    let env: HashMap<&str, String> = env.iter().cloned().collect();
    let mut out = Vec::new();
    let result = manage_keys::run(
        args.iter().map(|arg| (*arg).to_owned()),
        |name| env.get(name).cloned(),
        &mut out,
    )
    .await;
    let out = String::from_utf8(out).unwrap();
    result.map(|()| out).map_err(|error| error.to_string())
}

fn base(fake: &FakeAtlas) -> Vec<(&'static str, String)> {
    vec![
        ("MONGODB_ATLAS_PROJECT_ID", PROJECT.to_owned()),
        ("MONGODB_ATLAS_OPS_MANAGER_URL", fake.base_url()),
    ]
}

#[tokio::test]
async fn a_service_account_lists_creates_renames_and_deletes_a_key() {
    let fake = FakeAtlas::start(FakeConfig::service_account(
        "mdb_sa_id_example",
        "mdb_sa_sk_example",
        Duration::from_secs(3600),
    ))
    .await;
    let existing = fake.insert_key(PROJECT, "existing key");
    let mut env = base(&fake);
    env.push(("MONGODB_ATLAS_CLIENT_ID", "mdb_sa_id_example".to_owned()));
    env.push((
        "MONGODB_ATLAS_CLIENT_SECRET",
        "mdb_sa_sk_example".to_owned(),
    ));

    let out = run(&["--name", "ci key"], &env).await.unwrap();

    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], format!("1 key(s) in project {PROJECT}"));
    assert!(
        lines[1].contains(existing["apiKeyId"].as_str().unwrap()),
        "{out}"
    );
    assert!(lines[1].contains("\"existing key\""), "{out}");
    assert!(
        lines[2].starts_with("created ") && lines[2].contains("\"ci key\""),
        "{out}"
    );
    assert!(lines[3].starts_with("renamed ") && lines[3].contains("\"ci key (renamed)\""));
    assert!(lines[4].starts_with("deleted "), "{out}");
    assert_eq!(lines.len(), 5, "{out}");
    // Without --show-secret, the new key's secret is not printed.
    assert!(!out.contains("secret (shown"), "{out}");
    assert!(!out.contains(existing["secret"].as_str().unwrap()));
    // What the example made, it removed; what was there, it left.
    let left: Vec<_> = fake
        .keys(PROJECT)
        .iter()
        .map(|key| key["name"].clone())
        .collect();
    assert_eq!(left, ["existing key"]);
}

#[tokio::test]
async fn an_api_key_with_show_secret_prints_the_new_secret_once() {
    let fake = FakeAtlas::start(FakeConfig::digest(
        "public-key",
        "private-key",
        DigestAlgorithm::Sha256,
    ))
    .await;
    let mut env = base(&fake);
    env.push(("MONGODB_ATLAS_PUBLIC_API_KEY", "public-key".to_owned()));
    env.push(("MONGODB_ATLAS_PRIVATE_API_KEY", "private-key".to_owned()));

    let out = run(&["--show-secret", "--name", "ci key"], &env)
        .await
        .unwrap();

    let create = fake
        .recorded_requests()
        .into_iter()
        .filter(|request| request.method == "POST")
        .count();
    assert_eq!(create, 1, "one create, authenticated by Digest");
    let secret_lines: Vec<&str> = out
        .lines()
        .filter(|line| line.starts_with("secret (shown this once): al-"))
        .collect();
    assert_eq!(secret_lines.len(), 1, "{out}");
    let secret = secret_lines[0].rsplit(' ').next().unwrap();
    assert_eq!(out.matches(secret).count(), 1, "{out}");
    // It is the created key's secret: the masked one printed with it ends alike.
    let last4 = &secret[secret.len() - 4..];
    let created = out
        .lines()
        .find(|line| line.starts_with("created "))
        .unwrap();
    assert!(created.contains(&format!("al-****{last4}")), "{out}");
    assert!(fake.keys(PROJECT).is_empty());
}

#[tokio::test]
async fn an_access_token_is_used_when_no_other_credentials_are_set() {
    let fake = FakeAtlas::start(FakeConfig::bearer("ready-token")).await;
    let mut env = base(&fake);
    env.push(("MONGODB_ATLAS_ACCESS_TOKEN", "ready-token".to_owned()));

    let out = run(&["--name", "ci key"], &env).await.unwrap();

    assert!(
        out.starts_with(&format!("0 key(s) in project {PROJECT}\n")),
        "{out}"
    );
    assert!(
        fake.recorded_requests()
            .iter()
            .all(|request| request.header("authorization") == Some("Bearer ready-token"))
    );
}

#[tokio::test]
async fn missing_settings_are_named_before_anything_is_sent() {
    let fake = FakeAtlas::start(FakeConfig::bearer("ready-token")).await;

    let error = run(&[], &[("MONGODB_ATLAS_ACCESS_TOKEN", "t".to_owned())])
        .await
        .unwrap_err();
    assert!(error.contains("MONGODB_ATLAS_PROJECT_ID"), "{error}");

    let error = run(&[], &base(&fake)).await.unwrap_err();
    assert!(error.contains("MONGODB_ATLAS_CLIENT_ID"), "{error}");
    assert!(error.contains("MONGODB_ATLAS_ACCESS_TOKEN"), "{error}");

    let error = run(&["--bogus"], &base(&fake)).await.unwrap_err();
    assert!(error.contains("--bogus"), "{error}");

    assert_eq!(fake.request_count(), 0);
}
