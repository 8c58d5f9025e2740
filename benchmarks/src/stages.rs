//! Goal 1: the generator's time per stage, and the whole of `generate` as a
//! multiple of the YAML parse it cannot avoid (goal: at most 1.5×).
//!
//! Every run times the stages one after another through
//! `client_generator::stages`, then emission and rendering part by part as
//! `generate` does them, on one thread and on a thread per core, then
//! `generate` as a whole, so all are measured under the same conditions. A stage that fails ends that input's
//! stages: its error is printed and the benchmark goes on.

use std::time::Duration;

use client_generator::stages;

use crate::stats::{median, ratio, show, timed};
use crate::{Input, Settings, own_input, vendor_input};

/// The goal for the whole against the YAML-parse floor.
const GOAL: f64 = 1.5;

/// The stages one at a time, then stages 3 and 4 as `generate` runs them:
/// part by part, first on one thread, then on one thread per core.
const STAGES: [&str; 7] = [
    "YAML parse",
    "openapiv3 deserialise",
    "lowering",
    "token emission",
    "syn parse + prettyplease",
    "both, part by part, 1 thread",
    "both, part by part, {threads} threads",
];

/// How many of [`STAGES`] are the pipeline's own, one after another.
const SEQUENTIAL_STAGES: usize = 5;

pub fn run(settings: &Settings) {
    measure(&own_input(), settings.runs(31, 3));
    println!();
    json_read(settings.runs(11, 3));
    println!();
    measure(&vendor_input(), settings.runs(5, 1));
    println!();
    // The same description in OpenAPI 3.1, which is read by rewriting it
    // into its 3.0 spelling first: what that rewrite costs.
    match vendor_as_3_1(settings) {
        Ok(input) => measure(&input, settings.runs(5, 1)),
        Err(error) => println!("vendor as OpenAPI 3.1: not measured: {error}"),
    }
    println!();
    // Where the time goes once operations dominate the fixed part of the output.
    let operations = if settings.quick { 100 } else { 1_000 };
    let label = format!("synthetic {operations} ops");
    let path = settings.scratch.join(format!("stages-{operations}.yaml"));
    match std::fs::write(&path, crate::synthetic::spec(operations)) {
        Ok(()) => measure(
            &Input {
                label,
                path,
                options: own_input().options,
            },
            settings.runs(5, 1),
        ),
        Err(error) => println!("{label}: not measured: {}: {error}", path.display()),
    }
}

/// The vendor's description taken to OpenAPI 3.1 (`xtask::openapi31`),
/// written as YAML like the original, so both stages tables start from the
/// same kind of parse.
fn vendor_as_3_1(settings: &Settings) -> Result<Input, String> {
    let vendor = vendor_input();
    let text = std::fs::read_to_string(&vendor.path)
        .map_err(|error| format!("{}: {error}", vendor.path.display()))?;
    let mut document = stages::read(&text).map_err(|error| error.to_string())?;
    xtask::openapi31::to_3_1(&mut document);
    let path = settings.scratch.join("vendor-3.1.yaml");
    let yaml = serde_yaml::to_string(&document).map_err(|error| error.to_string())?;
    std::fs::write(&path, yaml).map_err(|error| format!("{}: {error}", path.display()))?;
    Ok(Input {
        label: format!("{} as OpenAPI 3.1", vendor.label),
        path,
        options: vendor.options,
    })
}

/// A JSON description read as YAML (how every description was read before
/// JSON was read as JSON) and as JSON (how `generate` reads it now), one
/// after the other in each run.
fn json_read(runs: usize) {
    let path = xtask::workspace_root().join("../shared/corpus/pagerduty-rest.json");
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) => return println!("JSON read: not measured: {}: {error}", path.display()),
    };
    println!(
        "JSON read, pagerduty-rest.json ({} KiB), {runs} runs:",
        text.len() / 1024
    );
    let (mut as_yaml, mut as_json) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let (yaml, took) = timed(|| serde_yaml::from_str::<serde_json::Value>(&text));
        as_yaml.push(took);
        let (json, took) = timed(|| stages::read(&text));
        as_json.push(took);
        if let (Err(error), _) | (_, Err(error)) = (
            yaml.map_err(|e| e.to_string()),
            json.map_err(|e| e.to_string()),
        ) {
            return println!("    failed: {error}");
        }
    }
    let (yaml, json) = (median(&as_yaml), median(&as_json));
    println!("    {:<30} {:>10}", "as YAML (before)", show(yaml));
    println!(
        "    {:<30} {:>10}   {:>6.2}× faster",
        "as JSON (now)",
        show(json),
        ratio(yaml, json)
    );
}

/// What one pass through the stages got to.
struct Pass {
    times: Vec<Duration>,
    failure: Option<String>,
}

fn measure(input: &Input, runs: usize) {
    let text = match std::fs::read_to_string(&input.path) {
        Ok(text) => text,
        Err(error) => {
            println!(
                "{}: not measured: {}: {error}",
                input.label,
                input.path.display()
            );
            return;
        }
    };
    println!("{} ({} KiB), {runs} runs:", input.label, text.len() / 1024);
    // One pass first, untimed, so the first timed run does not pay for cold caches.
    let _ = pass(&text, input);
    let mut passes = Vec::new();
    let mut wholes = Vec::new();
    let mut whole_error = None;
    for _ in 0..runs {
        passes.push(pass(&text, input));
        let (result, took) = timed(|| client_generator::generate(&text, &input.options));
        match result {
            Ok(_) => wholes.push(took),
            Err(error) => whole_error = Some(error.to_string()),
        }
    }
    let reached = passes[0].times.len();
    let stage_medians: Vec<Duration> = (0..reached)
        .map(|stage| {
            median(
                &passes
                    .iter()
                    .map(|pass| pass.times[stage])
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    let floor = stage_medians.first().copied();
    for (stage, name) in STAGES.iter().enumerate() {
        let name = name.replace("{threads}", &stages::threads().to_string());
        match (stage_medians.get(stage), floor) {
            (Some(&time), Some(floor)) => println!(
                "    {name:<30} {:>10}   {:>6.2}× the YAML parse",
                show(time),
                ratio(time, floor)
            ),
            _ if stage == reached => println!(
                "    {name:<30} {:>10}   {}",
                "failed",
                passes[0].failure.as_deref().unwrap_or("")
            ),
            _ => println!("    {name:<30} {:>10}", "not reached"),
        }
    }
    if let (Some(one), Some(all)) = (stage_medians.get(5), stage_medians.get(6)) {
        println!(
            "    {:<30} {:>10.2}×",
            "{threads} threads / 1 thread".replace("{threads}", &stages::threads().to_string()),
            ratio(*all, *one)
        );
    }
    if reached > 0 {
        let sum: Duration = stage_medians.iter().take(SEQUENTIAL_STAGES).sum();
        println!("    {:<30} {:>10}", "sum of stage medians", show(sum));
    }
    match (wholes.is_empty(), floor) {
        (false, Some(floor)) => {
            let whole = median(&wholes);
            let times = ratio(whole, floor);
            println!(
                "    {:<30} {:>10}   {times:>6.2}× the YAML parse (goal ≤ {GOAL}×: {})",
                "whole `generate`",
                show(whole),
                if times <= GOAL { "met" } else { "not met" }
            );
        }
        _ => println!(
            "    {:<30} {:>10}   {}",
            "whole `generate`",
            "failed",
            whole_error.unwrap_or_default()
        ),
    }
}

/// The stages once, in order, stopping at the first failure.
fn pass(text: &str, input: &Input) -> Pass {
    let mut times = Vec::new();
    let failure = (|| -> Result<(), client_generator::Error> {
        let (value, took) = timed(|| stages::read(text));
        times.push(took);
        let value = value?;
        let (doc, took) = timed(|| stages::deserialise(&value));
        times.push(took);
        let doc = doc?;
        let (api, took) = timed(|| stages::lower(&doc, &input.options));
        times.push(took);
        let api = api?;
        let (emitted, took) = timed(|| stages::emit(&api, text, &input.options));
        times.push(took);
        let emitted = emitted?;
        let (files, took) = timed(|| stages::render(emitted));
        times.push(took);
        files?;
        for threads in [1, stages::threads()] {
            let (files, took) = timed(|| stages::emit_and_render(&api, &input.options, threads));
            times.push(took);
            files?;
        }
        Ok(())
    })()
    .err()
    .map(|error| {
        // The failing stage's time is not a time of that stage's work.
        times.pop();
        error.to_string()
    });
    Pass { times, failure }
}
