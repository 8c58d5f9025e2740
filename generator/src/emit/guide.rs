//! The crate guide at the top of `src/lib.rs`: one compiled example per way
//! of authenticating, each making a real call of this API.
//!
//! The examples are doctests marked `no_run`: `cargo test` compiles them
//! against the generated crate, so a guide that drifts from the API fails
//! the build instead of misleading its reader.

use crate::CredentialVariables;
use crate::model::{Api, Location, Operation, Type};

/// The guide's Markdown, or `None` for an API with no operation an example
/// can call with its path parameters alone.
pub fn markdown(
    api: &Api,
    crate_name: &str,
    credentials: Option<&CredentialVariables>,
) -> Option<String> {
    let operation = example_operation(api)?;
    let krate = crate_name.replace('-', "_");
    let call = call(operation);
    let variable = |name: Option<&str>, placeholder: &str| match name {
        Some(name) => format!("std::env::var(\"{name}\")?"),
        None => format!("\"{placeholder}\""),
    };
    let vars = credentials;
    // A spec without a server leaves the base URL to the caller.
    let builder = match (&api.base_url, vars) {
        (Some(_), _) => "Client::builder()".to_owned(),
        (None, Some(vars)) => format!("Client::builder(std::env::var(\"{}\")?)", vars.base_url),
        (None, None) => "Client::builder(\"https://api.example.com\")".to_owned(),
    };
    let example = |title: &str, intro: &str, auth: String| {
        format!(
            "### {title}\n\n{intro}\n\n```no_run\nuse {krate}::{{Auth, Client}};\n\n# async fn example() -> Result<(), Box<dyn std::error::Error>> {{\nlet client = {builder}\n    .auth({auth})\n    .build()?;\nlet response = client.{call}.await?;\nprintln!(\"{{:#?}}\", response.body());\n# Ok(())\n# }}\n```"
        )
    };
    let service_account = example(
        "Service account",
        &format!(
            "The client exchanges the account's client id and secret for an access token, caches it and fetches a new one before it expires.{}",
            reads(vars.map(|v| [v.client_id.as_str(), v.client_secret.as_str()]))
        ),
        format!(
            "Auth::service_account(\n        {},\n        {},\n    )",
            variable(vars.map(|v| v.client_id.as_str()), "client-id"),
            variable(vars.map(|v| v.client_secret.as_str()), "client-secret"),
        ),
    );
    let digest = example(
        "API key (HTTP Digest)",
        &format!(
            "The public key is the user name and the private key the password; the client answers the server's Digest challenge and reuses it.{}",
            reads(vars.map(|v| [v.public_key.as_str(), v.private_key.as_str()]))
        ),
        format!(
            "Auth::digest(\n        {},\n        {},\n    )",
            variable(vars.map(|v| v.public_key.as_str()), "public-key"),
            variable(vars.map(|v| v.private_key.as_str()), "private-key"),
        ),
    );
    let bearer = example(
        "Access token",
        &format!(
            "A token obtained elsewhere is sent as it is, as `Authorization: Bearer …`.{}",
            reads(vars.map(|v| [v.access_token.as_str()]))
        ),
        format!(
            "Auth::bearer({})",
            variable(vars.map(|v| v.access_token.as_str()), "access-token")
        ),
    );
    let base_url = match vars {
        Some(vars) => format!(
            "The examples read credentials from the environment variables {tool} uses. `Client::builder().base_url(…)` sends to another server, such as a local mock; {tool} takes that URL from `{variable}`.",
            tool = vars.used_by,
            variable = vars.base_url,
        ),
        None => "`Client::builder().base_url(…)` sends to another server, such as a local mock."
            .to_owned(),
    };
    Some(format!(
        "## Getting started\n\nBuild one [`Client`] and share it: clones share its connections and its access token. Every call returns the decoded body with its status and headers ([`ApiResponse`]), or an [`Error`] that tells the API's own errors from transport, timeout, decoding and invalid input. {base_url}\n\n{service_account}\n\n{digest}\n\n{bearer}"
    ))
}

/// " These examples read `A` and `B`." for the variables given.
fn reads<const N: usize>(names: Option<[&str; N]>) -> String {
    let Some(names) = names else {
        return String::new();
    };
    let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    format!(" This example reads {}.", quoted.join(" and "))
}

/// The first of `Client`'s own methods that takes only path parameters.
fn example_operation(api: &Api) -> Option<&Operation> {
    api.operations.iter().find(|operation| {
        operation.is_default
            && operation.body.as_ref().is_none_or(|body| !body.required)
            && operation
                .parameters
                .iter()
                .filter(|parameter| parameter.required)
                .all(|parameter| {
                    parameter.location == Location::Path && parameter.ty == Type::String
                })
    })
}

/// `method("example", …)`, with each path parameter's example or its name.
fn call(operation: &Operation) -> String {
    let arguments: Vec<String> = operation
        .parameters
        .iter()
        .filter(|parameter| parameter.required)
        .map(|parameter| match &parameter.example {
            Some(example) if example.starts_with('"') => example.clone(),
            _ => format!("\"{}\"", parameter.wire_name),
        })
        .collect();
    format!(
        "{}({})",
        operation.method_name.trim_start_matches("r#"),
        arguments.join(", ")
    )
}
