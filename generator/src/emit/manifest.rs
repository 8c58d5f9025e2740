//! `Cargo.toml` of the generated crate.

use std::fmt::Write;

use crate::Options;
use crate::model::{Api, FeatureOf};

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
    let subset = &options.conventions.subset;
    if !subset.is_everything() {
        text.push_str(
            "# The part of the description generated, for the next generation's change summary.\n",
        );
        for (key, names) in [
            (crate::release::SUBSET_TAGS_KEY, &subset.tags),
            (crate::release::SUBSET_OPERATIONS_KEY, &subset.operations),
        ] {
            let names: Vec<String> = names.iter().map(|name| toml_string(name)).collect();
            let _ = writeln!(text, "{key} = [{}]", names.join(", "));
        }
    }
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
    let every_tag: Vec<String> = api
        .features
        .iter()
        .map(|feature| toml_string(&feature.name))
        .collect();
    let _ = writeln!(
        text,
        "# Everything. Without these, only the runtime and the types every operation uses."
    );
    let _ = match every_tag.len() {
        0..=3 => writeln!(text, "default = [{}]", every_tag.join(", ")),
        _ => writeln!(text, "default = [\n    {},\n]", every_tag.join(",\n    ")),
    };
    for (feature, doc, enabled) in features {
        let _ = writeln!(text, "# {doc}\n{feature} = [{}]", enabled.join(", "));
    }
    for feature in &api.features {
        let _ = match &feature.of {
            FeatureOf::Tag { name, description } => match description.as_deref().and_then(gist) {
                Some(gist) => writeln!(text, "# Operations tagged {name:?}: {gist}"),
                None => writeln!(text, "# Operations tagged {name:?}."),
            },
            FeatureOf::Untagged => writeln!(text, "# Operations without a tag."),
            FeatureOf::UnusedTypes => writeln!(
                text,
                "# Types of the description's schemas that no operation uses."
            ),
        };
        let _ = writeln!(text, "{} = []", feature.name);
    }
    text
}

/// The first sentence of a tag's description's first line, for a one-line
/// comment; `None` when it is empty or longer than 100 bytes.
fn gist(description: &str) -> Option<&str> {
    let first_line = description.trim().lines().next()?.trim();
    let sentence = match first_line.find(". ") {
        Some(end) => &first_line[..=end],
        None => first_line,
    };
    (!sentence.is_empty() && sentence.len() <= 100).then_some(sentence)
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
