//! The generator and the runtime it copies into every client name no API:
//! whatever is particular to one comes from its description or its config
//! file. A word of the workspace's own API in their sources fails here,
//! comments and tests included, so the promise cannot erode quietly.

use std::path::Path;

use tests::workspace_root;

/// Words that belong to the Atlas API: its names, its extensions, its error
/// codes and its token path.
const API_WORDS: &[&str] = &["atlas", "mongodb", "xgen", "version_gone", "oauth/token"];

fn sources(dir: &Path, found: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            found.push(path);
        }
    }
}

#[test]
fn the_generator_and_runtime_sources_name_no_api() {
    let root = workspace_root();
    let mut files = Vec::new();
    sources(&root.join("generator/src"), &mut files);
    sources(&root.join("generator/runtime/src"), &mut files);
    assert!(files.len() > 20, "found only {files:?}");
    let mut mentions = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap().to_lowercase();
        for (number, line) in text.lines().enumerate() {
            for word in API_WORDS.iter().filter(|word| line.contains(*word)) {
                let file = file.strip_prefix(&root).unwrap().display();
                mentions.push(format!("{file}:{}: `{word}`", number + 1));
            }
        }
    }
    assert!(
        mentions.is_empty(),
        "API-specific words in the generator or runtime:\n{}",
        mentions.join("\n")
    );
}
