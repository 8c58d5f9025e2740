//! A fuzzer for the generator, run by `cargo test` for a bounded time: it
//! feeds `generate` specs it builds at random and mutations of every
//! fixture, of `spec/` and of slices of the real descriptions in
//! `../shared/corpus/`, and asserts that each input gives `Ok` or an error
//! located by a JSON pointer (and a line within the text, if any), never a
//! panic nor an internal error. Successful outputs are checked for
//! determinism now and then.
//!
//! `GENERATOR_FUZZ_SECONDS` sets the time budget (default 60 s),
//! `GENERATOR_FUZZ_THREADS` the number of workers (default 1) and
//! `GENERATOR_FUZZ_SEED` the seed (default: from the clock, printed; worker
//! `n` uses the seed plus `n`). A failing input is written to
//! `target/fuzz-findings/` and named in the failure.
//!
//! The test runs only when asked (`#[ignore]`), since it takes its whole
//! budget: `cargo xtask fuzz --debug --seconds 60` is CI's minute, in the
//! test build, and `cargo xtask fuzz --seconds N` a longer run, optimised,
//! on every core. Its panic hook is quiet only on its own workers, so the
//! panics of tests running beside it still print.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use client_generator::generate;
use serde_json::{Map, Value, json};
use tests::{options, own_spec, workspace_root};

/// Pieces of OpenAPI that mutations splice in: the constructs that stress
/// lowering, as well as plain syntax.
const TOKENS: &[&str] = &[
    "$ref: '#/components/schemas/Missing'",
    "$ref: '#/components/schemas/Item'",
    "$ref: 'other.yaml#/x'",
    "$ref: '#/paths/~1a'",
    "type: object",
    "type: array",
    "type: string",
    "type: integer",
    "format: int64",
    "format: date-time",
    "format: password",
    "nullable: true",
    "type: [string, 'null']",
    "type: [string, integer, object]",
    "const: 1",
    "examples: [1, a]",
    "exclusiveMinimum: 3",
    "prefixItems: [{type: string}, {$ref: '#/components/schemas/Item'}]",
    "items: false",
    "maxItems: 1",
    "$defs: {X: {type: string}}",
    "patternProperties: {'^a': {type: string}, '^b': true}",
    "unevaluatedProperties: false",
    "dependentRequired: {a: [b, zz]}",
    "if: {const: 1}",
    "contentMediaType: image/png",
    "contentEncoding: base64",
    "openapi: 3.1.0",
    "webhooks: {w: {post: {}}}",
    "jsonSchemaDialect: x",
    "required: [a, b]",
    "enum: [a-b, a_b, '', self]",
    "allOf: [{type: object}]",
    "oneOf: [{type: string}, {type: integer}]",
    "additionalProperties: true",
    "additionalProperties: {type: string}",
    "items: {}",
    "properties: {}",
    "x-xgen-version: preview",
    "x-xgen-version: '2024-01-01'",
    "operationId: duplicate",
    "in: path",
    "in: cookie",
    "required: true",
    "content: {}",
    "application/json: {}",
    "text/csv: {schema: {type: string}}",
    "'200': {description: ok}",
    "default: {description: err}",
    "- {name: id, in: path, required: true, schema: {type: string}}",
    "{",
    "}",
    "[",
    "- ",
    ": ",
    "&anchor",
    "*anchor",
    "? complex",
    "'",
    "\"",
    "#",
    "~",
    "null",
    "3e+06",
];

/// Names that are hard to make into Rust.
const NAMES: &[&str] = &[
    "id", "type", "self", "Self", "", "2fa", "$$", "naïve", "a-b", "a_b", "Unknown", "r#x",
    "client", "send", "body", "Box", "String", "Client", "types", "preview", "x y",
];

fn main_text_sources() -> Vec<(String, String)> {
    let mut sources = vec![(
        "spec/openapi.yaml".to_owned(),
        std::fs::read_to_string(own_spec()).unwrap(),
    )];
    for dir in [
        "tests/fixtures",
        "tests/fixtures/changes",
        "tests/fixtures/bad",
    ] {
        let mut entries: Vec<_> = std::fs::read_dir(workspace_root().join(dir))
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.is_file())
            .collect();
        entries.sort();
        for path in entries {
            let text = std::fs::read_to_string(&path).unwrap();
            sources.push((path.display().to_string(), text));
        }
    }
    sources
}

/// The real descriptions of `../shared/corpus/`, a slice per path: that
/// path item with the document's head and every component it reaches, in
/// the file's own syntax. Whole documents of megabytes would take a second
/// an input; their slices keep every construct at a fuzzer's rate.
fn corpus_slices() -> Vec<(String, String)> {
    let dir = workspace_root().join("../shared/corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.extension()
                .is_some_and(|ext| ext == "json" || ext == "yaml")
        })
        .collect();
    files.sort();
    let mut slices = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let json = path.extension().is_some_and(|ext| ext == "json");
        let doc: Value = if json {
            serde_json::from_str(&text).unwrap()
        } else {
            serde_yaml::from_str(&text).unwrap()
        };
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        for (route, item) in doc["paths"].as_object().into_iter().flatten() {
            let slice = slice(&doc, route, item);
            let text = if json {
                serde_json::to_string_pretty(&slice).unwrap()
            } else {
                serde_yaml::to_string(&slice).unwrap()
            };
            slices.push((format!("{name} at {route}"), text));
        }
    }
    assert!(!slices.is_empty(), "no corpus in {}", dir.display());
    slices
}

/// `doc` cut down to the path item `item` at `route` and what it reaches.
fn slice(doc: &Value, route: &str, item: &Value) -> Value {
    let mut components = Map::new();
    let mut pending = vec![item];
    while let Some(node) = pending.pop() {
        for reference in references(node) {
            // `#/components/{kind}/{name}/…`: the whole component is taken.
            let mut segments = reference.trim_start_matches("#/").split('/');
            let (Some("components"), Some(kind), Some(name)) =
                (segments.next(), segments.next(), segments.next())
            else {
                continue;
            };
            let name = name.replace("~1", "/").replace("~0", "~");
            let Some(found) = doc["components"][kind].get(&name) else {
                continue;
            };
            let section = components
                .entry(kind)
                .or_insert_with(|| Value::Object(Map::new()));
            if section.get(&name).is_none() {
                section[&name] = found.clone();
                pending.push(found);
            }
        }
    }
    json!({
        "openapi": doc["openapi"],
        "info": doc["info"],
        "security": doc.get("security"),
        "paths": { route: item },
        "components": components,
    })
}

/// Every `$ref` string under `node`.
fn references(node: &Value) -> Vec<&str> {
    match node {
        Value::Object(map) => map
            .iter()
            .flat_map(|(key, value)| match (key.as_str(), value) {
                ("$ref", Value::String(reference)) => vec![reference.as_str()],
                _ => references(value),
            })
            .collect(),
        Value::Array(items) => items.iter().flat_map(references).collect(),
        _ => Vec::new(),
    }
}

fn pick<'a, T>(rng: &mut fastrand::Rng, items: &'a [T]) -> &'a T {
    &items[rng.usize(..items.len())]
}

/// One to four random edits of `text`, line- and word-wise.
fn mutate(rng: &mut fastrand::Rng, text: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    for _ in 0..rng.usize(1..=4) {
        if lines.is_empty() {
            lines.push(pick(rng, TOKENS).to_string());
            continue;
        }
        let at = rng.usize(..lines.len());
        match rng.u8(..8) {
            0 => {
                let end = (at + rng.usize(1..=8)).min(lines.len());
                lines.drain(at..end);
            }
            1 => {
                let line = lines[at].clone();
                lines.insert(at, line);
            }
            2 => {
                let other = rng.usize(..lines.len());
                lines.swap(at, other);
            }
            3 => {
                let indent = " ".repeat(rng.usize(..6) * 2);
                lines.insert(at, format!("{indent}{}", pick(rng, TOKENS)));
            }
            4 => {
                let mut words: Vec<String> = lines[at].split(' ').map(str::to_owned).collect();
                let word = rng.usize(..words.len());
                words[word] = pick(rng, TOKENS).to_string();
                lines[at] = words.join(" ");
            }
            5 => {
                let line = &lines[at];
                let cut = line
                    .char_indices()
                    .map(|(index, _)| index)
                    .nth(rng.usize(..=line.chars().count().max(1) - 1))
                    .unwrap_or(0);
                lines[at].truncate(cut);
                lines.truncate(at + 1);
            }
            6 => {
                if lines[at].starts_with("  ") && rng.bool() {
                    lines[at].drain(..2);
                } else {
                    lines[at].insert_str(0, "  ");
                }
            }
            _ => {
                let name = pick(rng, NAMES);
                lines[at] = lines[at].replacen(|c: char| c.is_alphabetic(), name, 1);
            }
        }
    }
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// A random schema, `depth` levels at most, referring to `names`.
fn schema(rng: &mut fastrand::Rng, names: &[String], depth: u32) -> Value {
    let kind = if depth == 0 {
        rng.u8(..6)
    } else {
        rng.u8(..12)
    };
    let mut schema = match kind {
        0 => json!({ "type": "string" }),
        1 => {
            json!({ "type": "string", "format": pick(rng, &["date-time", "date", "password", "byte", "uuid"]) })
        }
        2 => {
            json!({ "type": "integer", "format": pick(rng, &["int32", "int64", "uint8"]), "minimum": rng.i32(-5..5) })
        }
        3 => json!({ "type": "number" }),
        4 => json!({ "type": "boolean" }),
        5 => json!({ "$ref": format!("#/components/schemas/{}", pick(rng, names)) }),
        6 => {
            json!({ "type": "string", "enum": (0..rng.usize(..4)).map(|_| *pick(rng, NAMES)).collect::<Vec<_>>() })
        }
        7 => json!({ "type": "array", "items": schema(rng, names, depth - 1) }),
        8 => json!({ "type": "object", "additionalProperties": schema(rng, names, depth - 1) }),
        9 => {
            json!({ (*pick(rng, &["allOf", "oneOf", "anyOf"])): [schema(rng, names, depth - 1), schema(rng, names, depth - 1)] })
        }
        _ => {
            let mut properties = Map::new();
            let mut required = Vec::new();
            for _ in 0..rng.usize(..5) {
                let name = pick(rng, NAMES).to_string();
                if rng.bool() {
                    required.push(Value::String(name.clone()));
                }
                properties.insert(name, schema(rng, names, depth - 1));
            }
            json!({ "type": "object", "properties": properties, "required": required })
        }
    };
    if rng.u8(..6) == 0 {
        schema["nullable"] = json!(true);
    }
    // JSON Schema 2020-12, which a 3.1 document reads and a 3.0 one ignores.
    if rng.u8(..3) == 0 {
        let (keyword, value) = match rng.u8(..12) {
            0 => (
                "type",
                json!([
                    pick(rng, &["string", "integer", "object", "array"]),
                    pick(rng, &["null", "number", "boolean"])
                ]),
            ),
            1 => ("const", json!(pick(rng, NAMES))),
            2 => ("examples", json!([rng.i32(..), pick(rng, NAMES)])),
            3 => ("exclusiveMaximum", json!(rng.i32(-5..5))),
            4 => (
                "prefixItems",
                json!([self::schema(rng, names, depth.saturating_sub(1)), true]),
            ),
            5 => ("items", json!(rng.bool())),
            6 => (
                "$defs",
                json!({ "D": self::schema(rng, names, depth.saturating_sub(1)) }),
            ),
            7 => (
                "patternProperties",
                json!({ "^a": self::schema(rng, names, depth.saturating_sub(1)) }),
            ),
            8 => (
                "dependentRequired",
                json!({ *pick(rng, NAMES): [pick(rng, NAMES)] }),
            ),
            9 => (
                "contentMediaType",
                json!(pick(rng, &["image/png", "text/plain"])),
            ),
            10 => ("unevaluatedProperties", json!(false)),
            _ => ("description", json!("a sibling of whatever is here")),
        };
        if let Value::Object(schema) = &mut schema {
            schema.insert(keyword.to_owned(), value);
        }
    }
    schema
}

/// A random document: a few component schemas and operations, with every
/// construct the generator refuses mixed in with the ones it maps.
fn random_spec(rng: &mut fastrand::Rng) -> String {
    let names: Vec<String> = (0..rng.usize(1..5))
        .map(|index| {
            format!(
                "{}{index}",
                pick(rng, &["Item", "Thing", "a-b", "Self", "self", ""])
            )
        })
        .collect();
    let mut schemas = Map::new();
    for name in &names {
        schemas.insert(name.clone(), schema(rng, &names, 3));
    }
    let mut paths = Map::new();
    for index in 0..rng.usize(..4) {
        let templated = rng.bool();
        let path = if templated {
            format!("/things{index}/{{id}}")
        } else {
            format!("/things{index}")
        };
        let mut parameters = Vec::new();
        if templated && rng.u8(..8) != 0 {
            parameters.push(json!({ "name": "id", "in": "path", "required": true, "schema": schema(rng, &names, 0) }));
        }
        for _ in 0..rng.usize(..3) {
            parameters.push(json!({
                "name": pick(rng, NAMES),
                "in": pick(rng, &["query", "header", "cookie", "path"]),
                "schema": schema(rng, &names, 1),
            }));
        }
        let media_type = *pick(
            rng,
            &[
                "application/json",
                "application/vnd.x+json",
                "text/csv",
                "application/vnd.x.2024-01-01+json",
            ],
        );
        let mut media = json!({ "schema": schema(rng, &names, 2) });
        if rng.u8(..3) == 0 {
            media["x-xgen-version"] = json!(pick(rng, &["preview", "2024-01-01", "2025-01-01"]));
        }
        let mut operation = json!({
            "parameters": parameters,
            "responses": {
                *pick(rng, &["200", "201", "204", "2XX", "default", "404"]): {
                    "description": "ok",
                    "content": { media_type: media.clone() },
                },
            },
        });
        if rng.u8(..4) != 0 {
            operation["operationId"] =
                json!(pick(rng, NAMES).to_string() + if rng.bool() { "op" } else { "" });
        }
        if rng.bool() {
            operation["requestBody"] =
                json!({ "required": rng.bool(), "content": { media_type: media } });
        }
        if rng.u8(..8) == 0 {
            operation["deprecated"] = json!(true);
        }
        let method = *pick(rng, &["get", "post", "put", "patch", "delete"]);
        paths.insert(path, json!({ method: operation }));
    }
    let version = *pick(rng, &["3.0.3", "3.0.0", "3.1.0", "3.1.1", "2.0"]);
    let doc = json!({
        "openapi": version,
        "info": { "title": pick(rng, NAMES), "version": "1" },
        "paths": paths,
        "components": { "schemas": schemas },
    });
    serde_json::to_string_pretty(&doc).unwrap()
}

/// What must hold for every input; `Err` with a description of the breach.
fn check(text: &str, deterministic: bool) -> Result<bool, String> {
    let run = || catch_unwind(AssertUnwindSafe(|| generate(text, &options("fuzz"))));
    match run() {
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            Err(format!("the generator panicked: {message}"))
        }
        Ok(Err(error)) => {
            if error.internal {
                return Err(format!("the generator failed on its own: {error}"));
            }
            if !error.pointer.starts_with('#') || error.message.is_empty() {
                return Err(format!("an error without a pointer or message: {error:?}"));
            }
            let lines = text.lines().count() + 1;
            if error.line.is_some_and(|line| line == 0 || line > lines) {
                return Err(format!(
                    "a line outside the text ({lines} lines): {error:?}"
                ));
            }
            Ok(false)
        }
        Ok(Ok(files)) => {
            if deterministic {
                match run() {
                    Ok(Ok(again)) if again == files => {}
                    _ => return Err("two generations of the input differ".to_owned()),
                }
            }
            Ok(true)
        }
    }
}

/// What one worker did: inputs tried per origin, crates generated, and
/// the breach it stopped at, if any.
#[derive(Default)]
struct Tally {
    tried: [u64; 3],
    generated: u64,
    finding: Option<Finding>,
}

struct Finding {
    number: u64,
    origin: String,
    text: String,
    breach: String,
}

/// Where inputs come from, in the order of [`Tally::tried`].
const ORIGINS: [&str; 3] = ["random specs", "mutated fixtures", "mutated corpus slices"];

/// Tries inputs from `rng` until `budget` is spent or any worker finds a breach.
fn work(
    mut rng: fastrand::Rng,
    fixtures: &[(String, String)],
    corpus: &[(String, String)],
    budget: Duration,
    stop: &AtomicBool,
) -> Tally {
    QUIET.set(true);
    let started = Instant::now();
    let mut tally = Tally::default();
    let mut number = 0u64;
    while started.elapsed() < budget && !stop.load(Ordering::Relaxed) {
        // Half random specs, a quarter each mutations of fixtures and of the corpus.
        let origin = rng.usize(..4).saturating_sub(1).min(2);
        let (name, text) = match origin {
            0 => ("a random spec".to_owned(), random_spec(&mut rng)),
            _ => {
                let (name, text) = pick(&mut rng, [fixtures, corpus][origin - 1]);
                (format!("a mutation of {name}"), mutate(&mut rng, text))
            }
        };
        number += 1;
        tally.tried[origin] += 1;
        match check(&text, number % 16 == 0) {
            Ok(ok) => tally.generated += u64::from(ok),
            Err(breach) => {
                stop.store(true, Ordering::Relaxed);
                tally.finding = Some(Finding {
                    number,
                    origin: name,
                    text,
                    breach,
                });
                break;
            }
        }
    }
    tally
}

thread_local! {
    /// Whether this thread is a fuzz worker, whose panics are expected.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Panics are caught and reported with their input; the default hook would
/// print each one as if the test had failed there. The hook is the
/// process's, shared with every test running beside this one, so it stays
/// quiet only on the fuzzer's workers and hands every other panic to the
/// hook it replaced.
fn quiet_panics_on_fuzz_workers() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.get() {
                previous(info);
            }
        }));
    });
}

fn setting(name: &str) -> Option<u64> {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
}

#[test]
#[ignore = "takes its whole time budget: `cargo xtask fuzz` runs it"]
fn generator_gives_ok_or_a_located_error_for_any_input() {
    let seconds = setting("GENERATOR_FUZZ_SECONDS").unwrap_or(60);
    let workers = setting("GENERATOR_FUZZ_THREADS").unwrap_or(1).max(1);
    let seed = setting("GENERATOR_FUZZ_SEED").unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64
    });
    let fixtures = main_text_sources();
    let corpus = corpus_slices();
    quiet_panics_on_fuzz_workers();

    let budget = Duration::from_secs(seconds);
    let started = Instant::now();
    let stop = AtomicBool::new(false);
    let tallies: Vec<Tally> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..workers)
            .map(|worker| {
                let rng = fastrand::Rng::with_seed(seed.wrapping_add(worker));
                let (fixtures, corpus, stop) = (&fixtures, &corpus, &stop);
                scope.spawn(move || work(rng, fixtures, corpus, budget, stop))
            })
            .collect();
        workers
            .into_iter()
            .map(|worker| worker.join().unwrap())
            .collect()
    });

    let mut tried = [0u64; 3];
    for tally in &tallies {
        for (sum, count) in tried.iter_mut().zip(tally.tried) {
            *sum += count;
        }
    }
    let generated: u64 = tallies.iter().map(|tally| tally.generated).sum();
    let by_origin: Vec<String> = ORIGINS
        .iter()
        .zip(tried)
        .map(|(origin, count)| format!("{count} {origin}"))
        .collect();
    println!(
        "fuzz: {} inputs ({}) in {:.1?} on {workers} threads (seed {seed}, {} corpus slices), {generated} generated a crate, the rest were refused with located errors",
        tried.iter().sum::<u64>(),
        by_origin.join(", "),
        started.elapsed(),
        corpus.len(),
    );
    for (worker, tally) in tallies.into_iter().enumerate() {
        let Some(finding) = tally.finding else {
            continue;
        };
        let dir = workspace_root().join("target/fuzz-findings");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!(
            "seed-{seed}-worker-{worker}-input-{}.yaml",
            finding.number
        ));
        std::fs::write(&path, &finding.text).unwrap();
        panic!(
            "{}\ninput {} of worker {worker} ({}), seed {seed}, saved as {}",
            finding.breach,
            finding.number,
            finding.origin,
            path.display()
        );
    }
    assert!(
        tried.iter().all(|&count| count > 0),
        "some origin had no input: {by_origin:?}"
    );
}
