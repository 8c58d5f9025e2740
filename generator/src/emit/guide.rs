//! The crate guide at the top of `src/lib.rs`: one compiled example per way
//! of authenticating, each making a real call of this API.
//!
//! The examples are doctests marked `no_run`: `cargo test` compiles them
//! against the generated crate, so a guide that drifts from the API fails
//! the build instead of misleading its reader.

use heck::ToKebabCase;

use super::auth::{Setter, setters};
use crate::Environment;
use crate::model::{Api, Location, Operation, Type};

/// The guide's Markdown, or `None` for an API with no operation an example
/// can call with its path parameters alone.
pub fn markdown(api: &Api, crate_name: &str, environment: &Environment) -> Option<String> {
    let operation = example_operation(api)?;
    let krate = crate_name.replace('-', "_");
    let call = call(operation);
    // A spec without a server leaves the base URL to the caller.
    let builder = match (&api.base_url, &environment.base_url) {
        (Some(_), _) => "Client::builder()".to_owned(),
        (None, Some(variable)) => format!("Client::builder(std::env::var(\"{variable}\")?)"),
        (None, None) => "Client::builder(\"https://api.example.com\")".to_owned(),
    };
    let example = |auth: Option<String>| {
        let (import, auth, with_auth) = match auth {
            Some(auth) => ("{Auth, Client}", format!("{auth}\n"), ".auth(auth)"),
            None => ("Client", String::new(), ""),
        };
        format!(
            "```no_run\nuse {krate}::{import};\n\n# async fn example() -> Result<(), Box<dyn std::error::Error>> {{\n{auth}let client = {builder}{with_auth}.build()?;\nlet response = client.{call}.await?;\nprintln!(\"{{:#?}}\", response.body());\n# Ok(())\n# }}\n```"
        )
    };
    let base_url = match (&environment.used_by, &environment.base_url) {
        (Some(tool), Some(variable)) => format!(
            " `Client::builder().base_url(…)` sends to another server, such as a local mock; {tool} takes that URL from `{variable}`."
        ),
        _ => " `Client::builder().base_url(…)` sends to another server, such as a local mock."
            .to_owned(),
    };
    let mut guide = format!(
        "## Getting started\n\nBuild one [`Client`] and share it: clones share its connections and its access tokens. Every call returns the decoded body with its status and headers ([`ApiResponse`]), or an [`Error`] that tells the API's own errors from transport, timeout, decoding and invalid input.{base_url}"
    );
    let setters = setters(api);
    if setters.is_empty() {
        guide.push_str("\n\n");
        guide.push_str(&example(None));
        return Some(guide);
    }
    guide.push_str("\n\n### Authentication\n\n[`Auth`] has a method per security scheme of the API description. Each call sends the credentials of the first security alternative its operation accepts that every credential is set for.");
    if let Some(tool) = &environment.used_by
        && !environment.credentials.is_empty()
    {
        guide.push_str(&format!(
            " The examples read the environment variables {tool} uses, and so does [`Auth::from_env`]."
        ));
    }
    for group in examples(operation, &setters) {
        let title: Vec<String> = group
            .iter()
            .map(|setter| format!("`{}`", setter.scheme.name))
            .collect();
        let what: Vec<String> = group.iter().map(|setter| setter.what.clone()).collect();
        let mut reads = Vec::new();
        let calls: Vec<(String, Vec<String>)> = group
            .iter()
            .map(|setter| {
                let variables = environment.credentials.get(&setter.scheme.name);
                let arguments: Vec<String> = setter
                    .arguments
                    .iter()
                    .map(|(part, placeholder)| {
                        match variables.and_then(|variables| variables.get(*part)) {
                            Some(variable) => {
                                reads.push(format!("`{variable}`"));
                                format!("std::env::var(\"{variable}\")?")
                            }
                            // A key or token is best told apart by its scheme's name.
                            None if setter.arguments.len() == 1 => {
                                format!("\"{}\"", setter.scheme.name.to_kebab_case())
                            }
                            None => format!("\"{placeholder}\""),
                        }
                    })
                    .collect();
                (setter.method.trim_start_matches("r#").to_owned(), arguments)
            })
            .collect();
        let heading = match (&title[..], &group[..]) {
            ([one], [setter]) => match setter.variant {
                Some(variant) => format!("#### {one}: {variant}"),
                None => format!("#### {one}"),
            },
            (many, _) => format!("#### {} together", join_words(many)),
        };
        let reads = match &reads[..] {
            [] => String::new(),
            reads => format!(" This example reads {}.", join_words(reads)),
        };
        let auth = auth_statement(&calls);
        guide.push_str(&format!(
            "\n\n{heading}\n\n{}.{reads}\n\n{}",
            capitalised(&join_words(&what)),
            example(Some(auth))
        ));
    }
    Some(guide)
}

/// The examples to show, each a group of setters used together: one per
/// security alternative of the example operation (a scheme's primary
/// method), each client-credentials scheme's ready-token method after its
/// own, then every scheme no alternative showed.
fn examples<'s, 'a>(operation: &Operation, setters: &'s [Setter<'a>]) -> Vec<Vec<&'s Setter<'a>>> {
    let primary = |scheme: &str| {
        setters.iter().find(|setter| {
            setter.scheme.name == scheme && setter.method == setter.scheme.method_name
        })
    };
    let mut groups: Vec<Vec<&Setter<'_>>> = Vec::new();
    let mut shown: Vec<&str> = Vec::new();
    let alternatives = operation
        .security
        .iter()
        .filter(|alternative| !alternative.is_empty());
    for alternative in alternatives {
        let group: Vec<&Setter<'_>> = alternative
            .iter()
            .filter_map(|(scheme, _)| primary(scheme))
            .collect();
        shown.extend(group.iter().map(|setter| setter.method));
        groups.push(group);
        if let [only] = &alternative[..] {
            let others = setters.iter().filter(|setter| {
                setter.scheme.name == only.0 && setter.method != setter.scheme.method_name
            });
            for other in others {
                shown.push(other.method);
                groups.push(vec![other]);
            }
        }
    }
    for setter in setters {
        if !shown.contains(&setter.method) {
            groups.push(vec![setter]);
        }
    }
    groups
}

/// `let auth = Auth::new()…;` calling each `(method, arguments)`: on one
/// line when it fits, else a call per line and, for one call, an argument
/// per line, as rustfmt would.
fn auth_statement(calls: &[(String, Vec<String>)]) -> String {
    let call = |(method, arguments): &(String, Vec<String>)| {
        format!(".{method}({})", arguments.join(", "))
    };
    let one_line = format!(
        "let auth = Auth::new(){};",
        calls.iter().map(call).collect::<String>()
    );
    if one_line.len() <= 100 {
        return one_line;
    }
    match calls {
        [(method, arguments)] => format!(
            "let auth = Auth::new().{method}(\n{}\n);",
            arguments
                .iter()
                .map(|argument| format!("    {argument},"))
                .collect::<Vec<_>>()
                .join("\n")
        ),
        calls => format!(
            "let auth = Auth::new()\n{};",
            calls
                .iter()
                .map(|c| format!("    {}", call(c)))
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

/// `a`, `a and b`, `a, b and c`.
fn join_words(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
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
