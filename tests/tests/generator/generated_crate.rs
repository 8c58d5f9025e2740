//! The generated crate's manifest and runtime stay in step with the
//! workspace that compiles and tests the same code.

use client_generator::{DEPENDENCIES, OPTIONAL_DEPENDENCIES, RUNTIME_FILES};
use tests::workspace_root;

/// `name = value` lines of one `[section]` of a Cargo manifest.
fn section(manifest: &str, header: &str) -> Vec<(String, String)> {
    manifest
        .lines()
        .skip_while(|line| line.trim() != header)
        .skip(1)
        .take_while(|line| !line.starts_with('['))
        .filter(|line| !line.trim().is_empty() && !line.trim_start().starts_with('#'))
        .map(|line| {
            let (name, value) = line.split_once('=').unwrap();
            (name.trim().to_owned(), value.trim().to_owned())
        })
        .collect()
}

#[test]
fn generated_dependencies_are_the_runtime_crates_at_workspace_versions() {
    let root = workspace_root();
    let workspace = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let runtime = std::fs::read_to_string(root.join("generator/runtime/Cargo.toml")).unwrap();
    let versions = section(&workspace, "[workspace.dependencies]");
    let runtime_dependencies: Vec<String> = section(&runtime, "[dependencies]")
        .into_iter()
        .map(|(name, _)| name.trim_end_matches(".workspace").to_owned())
        .collect();

    let optional = OPTIONAL_DEPENDENCIES.iter().map(|(name, ..)| *name);
    let generated: Vec<&str> = DEPENDENCIES
        .iter()
        .map(|(name, _)| *name)
        .chain(optional)
        .collect();
    assert_eq!(
        generated, runtime_dependencies,
        "the runtime's dependencies"
    );
    let workspace_value = |name: &str| {
        versions
            .iter()
            .find(|(candidate, _)| candidate == name)
            .map(|(_, value)| value.clone())
            .unwrap_or_else(|| panic!("{name} is not a workspace dependency"))
    };
    for (name, value) in DEPENDENCIES {
        assert_eq!(*value, workspace_value(name), "version of {name}");
    }
    for (name, version, feature, _) in OPTIONAL_DEPENDENCIES {
        assert_eq!(
            format!("\"{version}\""),
            workspace_value(name),
            "version of {name}"
        );
        let features = section(&runtime, "[features]");
        assert!(
            features
                .iter()
                .any(|(candidate, value)| candidate == feature
                    && value.contains(&format!("\"dep:{name}\""))),
            "the runtime's feature {feature} enables {name}: {features:?}"
        );
    }
}

#[test]
fn every_runtime_source_file_is_copied() {
    let mut on_disk: Vec<String> =
        std::fs::read_dir(workspace_root().join("generator/runtime/src"))
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .map(|name| {
                if name == "lib.rs" {
                    "mod.rs".to_owned()
                } else {
                    name
                }
            })
            .collect();
    on_disk.sort();
    let mut copied: Vec<&str> = RUNTIME_FILES.iter().map(|(name, _)| *name).collect();
    copied.sort();
    assert_eq!(on_disk, copied);
}
