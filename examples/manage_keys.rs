//! Lists a project's AI model API keys, then creates one, renames it and
//! deletes it again.
//!
//! ```text
//! cargo run --example manage_keys -- [--name NAME] [--show-secret]
//! ```
//!
//! It reads the environment variables the Atlas CLI reads, so a shell set
//! up for `atlas` needs nothing more (credentials through the client's
//! `Auth::from_variables`, in the order of the description's security):
//!
//! | variable | meaning |
//! |---|---|
//! | `MONGODB_ATLAS_PROJECT_ID` | the project (group) whose keys to manage; required |
//! | `MONGODB_ATLAS_CLIENT_ID`, `MONGODB_ATLAS_CLIENT_SECRET` | a service account (tried first) |
//! | `MONGODB_ATLAS_ACCESS_TOKEN` | a ready access token, in place of a service account |
//! | `MONGODB_ATLAS_PUBLIC_API_KEY`, `MONGODB_ATLAS_PRIVATE_API_KEY` | an API key, sent with HTTP Digest (tried last) |
//! | `MONGODB_ATLAS_OPS_MANAGER_URL` | another server, such as a local mock; optional |
//!
//! A new key's secret is shown only once, in the create response; this
//! program prints it only when asked to with `--show-secret`.

use std::io::Write;
use std::process::ExitCode;

use atlas_ai_model_api_keys::types::{
    AiModelApiKeyCloud, AiModelApiKeyCreateRequest, AiModelApiKeyGeography, AiModelApiKeyResponse,
    AiModelApiKeyUpdateRequest,
};
use atlas_ai_model_api_keys::{Auth, Client, ExposeSecret};
use futures_util::TryStreamExt;

type Failure = Box<dyn std::error::Error>;

#[tokio::main]
async fn main() -> ExitCode {
    let variable = |name: &str| std::env::var(name).ok().filter(|value| !value.is_empty());
    match run(std::env::args().skip(1), variable, &mut std::io::stdout()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The whole program, with its arguments, environment and output passed in.
pub async fn run(
    args: impl IntoIterator<Item = String>,
    variable: impl Fn(&str) -> Option<String>,
    out: &mut impl Write,
) -> Result<(), Failure> {
    let options = Options::parse(args)?;
    let project = variable("MONGODB_ATLAS_PROJECT_ID")
        .ok_or("set MONGODB_ATLAS_PROJECT_ID to the project whose keys to manage")?;
    let mut builder = Client::builder().auth(Auth::from_variables(&variable)?);
    if let Some(url) = variable("MONGODB_ATLAS_OPS_MANAGER_URL") {
        builder = builder.base_url(url);
    }
    let client = builder.build()?;

    // Every key, page after page, as one stream.
    let keys: Vec<AiModelApiKeyResponse> = client
        .list_group_ai_model_api_keys(&project)
        .stream()
        .try_collect()
        .await?;
    writeln!(out, "{} key(s) in project {project}", keys.len())?;
    for key in &keys {
        writeln!(out, "  {}", describe(key))?;
    }

    let request = AiModelApiKeyCreateRequest::new(
        AiModelApiKeyCloud::Any,
        AiModelApiKeyGeography::Any,
        options.name.as_str(),
    );
    let created = client
        .create_group_ai_model_api_key(&project, &request)
        .await?
        .into_inner();
    writeln!(out, "created {}", describe(&created))?;
    if options.show_secret {
        if let Some(secret) = &created.secret {
            writeln!(out, "secret (shown this once): {}", secret.expose_secret())?;
        }
    }
    let id = created.api_key_id.ok_or("the created key has no id")?;

    let rename = AiModelApiKeyUpdateRequest::new(format!("{} (renamed)", options.name));
    let renamed = client
        .update_group_ai_model_api_key(&project, &id, &rename)
        .await?;
    writeln!(out, "renamed {}", describe(renamed.body()))?;

    client.delete_group_ai_model_api_key(&project, &id).await?;
    writeln!(out, "deleted {id}")?;
    Ok(())
}

/// The command line.
struct Options {
    name: String,
    show_secret: bool,
}

impl Options {
    fn parse(args: impl IntoIterator<Item = String>) -> Result<Self, Failure> {
        let mut options = Options {
            name: "manage-keys example".to_owned(),
            show_secret: false,
        };
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--show-secret" => options.show_secret = true,
                "--name" => options.name = args.next().ok_or("--name needs a value")?,
                other => {
                    return Err(format!(
                        "unknown argument `{other}`; usage: manage_keys [--name NAME] [--show-secret]"
                    )
                    .into());
                }
            }
        }
        Ok(options)
    }
}

fn describe(key: &AiModelApiKeyResponse) -> String {
    let or_unknown = |value: &Option<String>| value.clone().unwrap_or_else(|| "?".to_owned());
    format!(
        "{} {:?} ({}, {})",
        or_unknown(&key.api_key_id),
        or_unknown(&key.name),
        or_unknown(&key.status),
        or_unknown(&key.masked_secret),
    )
}
