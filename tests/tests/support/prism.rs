//! Stoplight Prism, an independent mock server, serving `spec/openapi.yaml`
//! with request validation on.
//!
//! Prism is installed (pinned) by `cargo xtask test`; when it is missing the
//! test fails with that command in its message rather than skipping.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::Duration;

/// A running `prism mock`, stopped when dropped.
pub struct Prism {
    child: Child,
    base_url: String,
    log: Arc<Mutex<Vec<String>>>,
    /// Holds a derived spec for as long as Prism serves it.
    _spec_dir: Option<tempfile::TempDir>,
}

impl Prism {
    /// Starts Prism on a free loopback port over the workspace's spec, with
    /// `--errors`, so a request that breaks the spec gets an error response.
    pub fn start() -> Self {
        Self::serve(&xtask::own_spec())
    }

    /// Starts Prism over the workspace's spec cut down to one API version:
    /// each body and answer keeps only the media types marked with
    /// `x-xgen-version: label`, and those marked with no version.
    ///
    /// Prism matches a request body to the first `+json` media type of an
    /// operation, whichever its `Content-Type` names, so over the whole spec
    /// it would check preview bodies against the stable schema.
    pub fn start_version(label: &str) -> Self {
        let text = std::fs::read_to_string(xtask::own_spec()).expect("reading spec/openapi.yaml");
        let mut spec: serde_yaml::Value = serde_yaml::from_str(&text).expect("spec/openapi.yaml");
        keep_version(&mut spec, label);
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join(format!("openapi-{label}.yaml"));
        std::fs::write(&path, serde_yaml::to_string(&spec).expect("YAML")).expect("writing spec");
        let mut prism = Self::serve(&path);
        prism._spec_dir = Some(dir);
        prism
    }

    fn serve(spec: &Path) -> Self {
        let prism = xtask::npm_tools::tool("prism").unwrap_or_else(|message| panic!("{message}"));
        let mut child = Command::new(prism)
            .args(["mock", "--host", "127.0.0.1", "--port", "0", "--errors"])
            .arg(spec)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starting prism");
        let log = Arc::new(Mutex::new(Vec::new()));
        let (listening, address) = mpsc::channel();
        for output in [
            Box::new(child.stdout.take().expect("piped stdout")) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().expect("piped stderr")),
        ] {
            let log = Arc::clone(&log);
            let listening = listening.clone();
            thread::spawn(move || {
                for line in BufReader::new(output).lines().map_while(Result::ok) {
                    if let Some((_, url)) = line.split_once("Prism is listening on ") {
                        let _ = listening.send(url.trim().to_owned());
                    }
                    log.lock().expect("log lock").push(line);
                }
            });
        }
        match address.recv_timeout(Duration::from_secs(90)) {
            Ok(base_url) => Prism {
                child,
                base_url,
                log,
                _spec_dir: None,
            },
            Err(_) => {
                let _ = child.kill();
                panic!(
                    "prism did not start within 90 s; its output:\n{}",
                    log.lock().expect("log lock").join("\n")
                )
            }
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Prism's output, one entry per line, once it has stopped growing:
    /// Prism logs a request's verdict after answering it.
    pub fn log(&self) -> Vec<String> {
        let mut seen = 0;
        for _ in 0..50 {
            thread::sleep(Duration::from_millis(100));
            let now = self.log.lock().expect("log lock").len();
            if now == seen {
                break;
            }
            seen = now;
        }
        self.log.lock().expect("log lock").clone()
    }

    /// Every error Prism's validator has logged, and every request it
    /// refused outright.
    pub fn violations(&self) -> Vec<String> {
        self.log()
            .into_iter()
            .filter(|line| {
                (line.contains("[VALIDATOR]") && line.contains("error"))
                    || line.contains("Request terminated")
            })
            .collect()
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Removes, under every `content` map, the media types of other versions.
fn keep_version(node: &mut serde_yaml::Value, label: &str) {
    match node {
        serde_yaml::Value::Mapping(map) => {
            if let Some(serde_yaml::Value::Mapping(content)) = map.get_mut("content") {
                content.retain(|_, media| match media.get("x-xgen-version") {
                    Some(version) => version.as_str() == Some(label),
                    None => true,
                });
            }
            for (_, value) in map.iter_mut() {
                keep_version(value, label);
            }
        }
        serde_yaml::Value::Sequence(items) => {
            for item in items {
                keep_version(item, label);
            }
        }
        _ => {}
    }
}
