//! Goal 4: the per-request overhead of a generated method against a
//! hand-written `reqwest` call (goal: at most 1.05×).
//!
//! A loopback server answers every request with the spec's own example of
//! the list response. The generated `list_group_ai_model_api_keys` (bearer
//! auth, no retries) and a hand-written GET with the same headers, decoded
//! by `serde_json` into the same type, take turns in one run (which goes
//! first alternates), each request timed on its own; the medians and their
//! ratio are printed. This is done on a multi-thread runtime and again on a
//! current-thread one.

use std::time::{Duration, Instant};

use atlas_ai_model_api_keys::types::PaginatedAtlasAiModelApiKeysResponse;
use atlas_ai_model_api_keys::{Auth, Client, RetryPolicy};
use axum::http::header::{ACCEPT, CONTENT_TYPE, USER_AGENT};

use crate::Settings;
use crate::stats::{median, ratio, show};

/// The goal for generated against hand-written.
const GOAL: f64 = 1.05;
const GROUP: &str = "69681d39c9e8cfd375386316";
const TOKEN: &str = "benchmark-token";
const PATH: &str = "/api/atlas/v2/groups/{groupId}/aiModelApiKeys";
const MEDIA_TYPE: &str = "application/vnd.atlas.2025-03-12+json";

pub fn run(settings: &Settings) {
    let body = match example_body() {
        Ok(body) => body,
        Err(error) => {
            println!("not measured: {error}");
            return;
        }
    };
    let iterations = settings.runs(10_000, 200);
    // A multi-thread runtime is what `#[tokio::main]` gives, and there much
    // of a request is waiting for another thread to wake. On one thread,
    // client and server take turns, so a request's time is their work
    // alone and the generated code's own cost shows undiluted.
    let runtimes = [
        (
            "multi-thread runtime",
            tokio::runtime::Builder::new_multi_thread(),
        ),
        (
            "current-thread runtime",
            tokio::runtime::Builder::new_current_thread(),
        ),
    ];
    for (index, (label, mut builder)) in runtimes.into_iter().enumerate() {
        if index > 0 {
            println!();
        }
        let runtime = builder
            .enable_all()
            .build()
            .expect("a tokio runtime starts");
        runtime.block_on(async {
            match compare(label, body.clone(), iterations).await {
                Ok(()) => {}
                Err(error) => println!("{label}: failed: {error}"),
            }
        });
    }
}

/// The example of the list operation's 200 response in `spec/`, as JSON.
fn example_body() -> Result<Vec<u8>, String> {
    let spec = xtask::own_spec();
    let text =
        std::fs::read_to_string(&spec).map_err(|error| format!("{}: {error}", spec.display()))?;
    let doc: serde_yaml::Value =
        serde_yaml::from_str(&text).map_err(|error| format!("{}: {error}", spec.display()))?;
    let example = &doc["paths"]["/api/atlas/v2/groups/{groupId}/aiModelApiKeys"]["get"]["responses"]
        ["200"]["content"][MEDIA_TYPE]["example"];
    if example.is_null() {
        return Err(format!(
            "{}: no example of the list response",
            spec.display()
        ));
    }
    serde_json::to_vec(example).map_err(|error| error.to_string())
}

async fn compare(label: &str, body: Vec<u8>, iterations: usize) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|error| format!("cannot listen on loopback: {error}"))?;
    let address = listener.local_addr().map_err(|error| error.to_string())?;
    let app = axum::Router::new().route(
        &PATH.replace("{groupId}", "{group_id}"),
        axum::routing::get(move || {
            let body = body.clone();
            async move { ([(CONTENT_TYPE, MEDIA_TYPE)], body) }
        }),
    );
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let base_url = format!("http://{address}");

    let generated = Client::builder()
        .base_url(&base_url)
        .auth(Auth::new().service_accounts_token(TOKEN))
        .retry(RetryPolicy::none())
        .build()
        .map_err(|error| error.to_string())?;
    // The same settings as the generated client's own `reqwest::Client`.
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .connect_timeout(Duration::from_secs(10))
        .build()
        .map_err(|error| error.to_string())?;
    let url = format!("{base_url}{}", PATH.replace("{groupId}", GROUP));

    let mut generated_times = Vec::with_capacity(iterations);
    let mut handwritten_times = Vec::with_capacity(iterations);
    // Warm-up: connections open, the group id's pattern compiled, caches filled.
    for _ in 0..iterations / 10 + 10 {
        call_generated(&generated).await?;
        call_handwritten(&http, &url).await?;
    }
    for iteration in 0..iterations {
        if iteration % 2 == 0 {
            generated_times.push(call_generated(&generated).await?);
            handwritten_times.push(call_handwritten(&http, &url).await?);
        } else {
            handwritten_times.push(call_handwritten(&http, &url).await?);
            generated_times.push(call_generated(&generated).await?);
        }
    }
    server.abort();

    let generated = median(&generated_times);
    let handwritten = median(&handwritten_times);
    let times = ratio(generated, handwritten);
    println!(
        "GET list of keys against a loopback server, {label}, {iterations} requests each, interleaved:"
    );
    println!(
        "    {:<44} {:>10}",
        "hand-written reqwest + serde_json",
        show(handwritten)
    );
    println!(
        "    {:<44} {:>10}",
        "generated `list_group_ai_model_api_keys`",
        show(generated)
    );
    println!(
        "    {:<44} {:>9.3}× (goal ≤ {GOAL}×: {}); difference {}",
        "generated / hand-written",
        times,
        if times <= GOAL { "met" } else { "not met" },
        show(generated.saturating_sub(handwritten)),
    );
    Ok(())
}

async fn call_generated(client: &Client) -> Result<Duration, String> {
    let start = Instant::now();
    let page = client
        .list_group_ai_model_api_keys(GROUP)
        .await
        .map_err(|error| format!("generated client: {error}"))?;
    let took = start.elapsed();
    std::hint::black_box(page.results.len());
    Ok(took)
}

async fn call_handwritten(http: &reqwest::Client, url: &str) -> Result<Duration, String> {
    let start = Instant::now();
    let response = http
        .get(url)
        .header(ACCEPT, MEDIA_TYPE)
        .header(USER_AGENT, "atlas-ai-model-api-keys")
        .bearer_auth(TOKEN)
        .send()
        .await
        .map_err(|error| format!("hand-written call: {error}"))?;
    if !response.status().is_success() {
        return Err(format!("hand-written call: status {}", response.status()));
    }
    let body = response
        .bytes()
        .await
        .map_err(|error| format!("hand-written call: {error}"))?;
    let page: PaginatedAtlasAiModelApiKeysResponse =
        serde_json::from_slice(&body).map_err(|error| format!("hand-written call: {error}"))?;
    let took = start.elapsed();
    std::hint::black_box(page.results.len());
    Ok(took)
}
