//! `Cargo.toml` of the generated crate.

use std::fmt::Write;

use crate::Options;
use crate::model::Api;

/// The generated crate's dependencies, as `(name, TOML value)`: what the
/// runtime and the generated code use. Kept equal to the workspace's
/// versions by a test.
pub const DEPENDENCIES: &[(&str, &str)] = &[
    (
        "backon",
        r#"{ version = "1", default-features = false, features = ["std"] }"#,
    ),
    ("base64", r#""0.22""#),
    ("bytes", r#""1""#),
    (
        "chrono",
        r#"{ version = "0.4", default-features = false, features = ["serde", "std"] }"#,
    ),
    ("digest_auth", r#""0.3""#),
    ("eventsource-stream", r#""0.2""#),
    ("form_urlencoded", r#""1""#),
    (
        "futures-util",
        r#"{ version = "0.3", default-features = false, features = ["std"] }"#,
    ),
    ("percent-encoding", r#""2""#),
    ("regex", r#""1""#),
    ("regress", r#""0.10""#),
    (
        "reqwest",
        r#"{ version = "0.13", default-features = false, features = ["rustls", "multipart", "stream"] }"#,
    ),
    ("secrecy", r#""0.10""#),
    ("serde", r#"{ version = "1", features = ["derive"] }"#),
    ("serde_json", r#""1""#),
    ("tokio", r#"{ version = "1", features = ["sync", "time"] }"#),
    ("tracing", r#""0.1""#),
];

/// Dependencies behind a feature of the generated crate, as `(name,
/// version, feature, what the feature gives)`; a feature of several
/// dependencies says what it gives on its first.
pub const OPTIONAL_DEPENDENCIES: &[(&str, &str, &str, &str)] = &[
    (
        "multer",
        "3",
        "mock",
        "Test doubles for code that uses this client: `runtime::mock::MockServer`.",
    ),
    ("wiremock", "0.6", "mock", ""),
];

pub fn file(api: &Api, options: &Options) -> String {
    let mut text = String::new();
    text.push_str("[package]\n");
    let _ = writeln!(text, "name = {}", toml_string(&options.crate_name));
    let _ = writeln!(text, "version = {}", toml_string(&options.crate_version));
    text.push_str("edition = \"2024\"\n");
    let _ = writeln!(
        text,
        "description = {}",
        toml_string(&format!("Typed async client for {}", api.title))
    );
    let _ = writeln!(
        text,
        "\n[package.metadata.client-generator]\n# The edition of the API every generated crate has, for the change summary.\n{} = {}",
        crate::release::RUNTIME_API_KEY,
        crate::release::RUNTIME_API
    );
    text.push_str("\n[dependencies]\n");
    for (name, value) in DEPENDENCIES {
        let _ = writeln!(text, "{name} = {value}");
    }
    for (name, version, ..) in OPTIONAL_DEPENDENCIES {
        let _ = writeln!(
            text,
            "{name} = {{ version = \"{version}\", optional = true }}"
        );
    }
    text.push_str("\n[features]\n");
    let mut features: Vec<(&str, &str, Vec<String>)> = Vec::new();
    for (name, _, feature, doc) in OPTIONAL_DEPENDENCIES {
        match features.iter_mut().find(|(known, ..)| known == feature) {
            Some((.., enabled)) => enabled.push(format!("\"dep:{name}\"")),
            None => features.push((feature, doc, vec![format!("\"dep:{name}\"")])),
        }
    }
    for (feature, doc, enabled) in features {
        let _ = writeln!(text, "# {doc}\n{feature} = [{}]", enabled.join(", "));
    }
    text
}

/// A TOML basic string.
fn toml_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
