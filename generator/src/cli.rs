//! The command line shared by the `client-generator` binary and
//! `cargo xtask generate`: read a spec, write a crate, report what changed.

use std::path::{Path, PathBuf};

use crate::output::{self, Change, ChangeKind};
use crate::release::{self, Previous};
use crate::{Conventions, File, Generation, Options};

/// Usage of [`generate_command`].
pub const USAGE: &str = "--spec PATH --out DIR [--name CRATE_NAME] [--version VERSION] [--operation-name-extension EXTENSION]";

/// Runs `--spec PATH --out DIR [--name CRATE_NAME] [--version VERSION]
/// [--operation-name-extension EXTENSION]`; the extension, such as
/// `x-xgen-operation-id-override`, names methods instead of `operationId`.
pub fn generate_command(args: &[String]) -> Result<(), String> {
    let mut spec = None;
    let mut out = None;
    let mut name = "openapi-client".to_owned();
    let mut version = "0.1.0".to_owned();
    let mut conventions = Conventions::default();
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let value = args
            .next()
            .ok_or_else(|| format!("{flag} needs a value; usage: {USAGE}"))?;
        match flag.as_str() {
            "--spec" => spec = Some(PathBuf::from(value)),
            "--out" => out = Some(PathBuf::from(value)),
            "--name" => name = value.clone(),
            "--version" => version = value.clone(),
            "--operation-name-extension" => {
                conventions.operation_name_extension = Some(value.clone());
            }
            _ => return Err(format!("unknown flag {flag}; usage: {USAGE}")),
        }
    }
    let (Some(spec), Some(out)) = (spec, out) else {
        return Err(format!("usage: {USAGE}"));
    };
    let options = Options {
        crate_name: name,
        crate_version: version,
        conventions,
    };
    let previous = previous(&out)?;
    let generation = generate_file(&spec, &options, previous.as_ref())?;
    write(&out, &generation.files)?;
    print_release(&generation, previous.as_ref());
    print_fallbacks(&spec, &generation);
    Ok(())
}

/// Each construct typed as `serde_json::Value`, ignored or left out
/// instead of refused, as a warning naming its place, then the summary:
/// `465 operations (0 left out), 512 types, 3 fallbacks`.
pub fn print_fallbacks(spec: &Path, generation: &Generation) {
    for fallback in &generation.fallbacks {
        eprintln!("warning: {}: {fallback}", spec.display());
    }
    println!("{}", generation.summary);
}

/// Reads the spec at `path` and generates a crate from it as the next
/// version after `previous`; errors name the file.
pub fn generate_file(
    path: &Path,
    options: &Options,
    previous: Option<&Previous>,
) -> Result<Generation, String> {
    let bytes = std::fs::read(path).map_err(|error| format!("{}: {error}", path.display()))?;
    let text = String::from_utf8(bytes).map_err(|error| {
        format!(
            "{}: #: not a YAML or JSON document: not UTF-8 text (byte {} is not)",
            path.display(),
            error.utf8_error().valid_up_to()
        )
    })?;
    crate::regenerate(&text, options, previous).map_err(|error| {
        let mut message = format!("{}: {error}", path.display());
        if error.internal {
            if let Some(place) = last_panic() {
                message.push_str(&format!(" (it panicked at {place})"));
            }
            message.push_str(&format!("; the description to send is {}", path.display()));
        }
        message
    })
}

/// Where the last panic happened, as `file:line:column`, when
/// [`quiet_panics`] is in force.
static LAST_PANIC: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// Makes panics print nothing and keeps where each happened, for a
/// command line on which a panic (a bug, which the library turns into an
/// internal error) should read as one located message, not a backtrace.
pub fn quiet_panics() {
    std::panic::set_hook(Box::new(|info| {
        if let (Some(location), Ok(mut last)) = (info.location(), LAST_PANIC.lock()) {
            *last = Some(location.to_string());
        }
    }));
}

fn last_panic() -> Option<String> {
    LAST_PANIC.lock().ok()?.take()
}

/// What the crate directory `out` holds from its last generation; `None`
/// when it holds no copy of a description (a first generation).
pub fn previous(out: &Path) -> Result<Option<Previous>, String> {
    let read = |name: &str| {
        let path = out.join(name);
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(Some(text)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(format!("{}: {error}", path.display())),
        }
    };
    let Some(spec) = read(release::SPEC_COPY)? else {
        return Ok(None);
    };
    let manifest = read("Cargo.toml")?
        .ok_or_else(|| format!("{}: a spec copy but no Cargo.toml", out.display()))?;
    let version = release::manifest_version(&manifest)
        .map_err(|error| format!("{}: {error}", out.display()))?;
    Ok(Some(Previous {
        spec,
        version,
        changelog: read(release::CHANGELOG)?,
    }))
}

/// What the generation means for the crate's users: the version and the
/// changes to its Rust API, each marked breaking or not.
pub fn print_release(generation: &Generation, previous: Option<&Previous>) {
    let release = &generation.release;
    match previous {
        None => println!("version {} (first generation)", release.version),
        Some(previous) if previous.version == release.version => {
            println!(
                "version {}: {}",
                release.version,
                release::summary(&release.changes)
            );
        }
        Some(previous) => println!(
            "version {} -> {}: {}",
            previous.version,
            release.version,
            release::summary(&release.changes).trim_end()
        ),
    }
}

/// Writes `files` to `out` atomically and prints what changed.
pub fn write(out: &Path, files: &[File]) -> Result<(), String> {
    let changes =
        output::write(out, files).map_err(|error| format!("writing {}: {error}", out.display()))?;
    if changes.is_empty() {
        println!("{}: no changes", out.display());
    } else {
        print_changes(&changes);
    }
    Ok(())
}

/// One line per changed file: `   added src/types.rs`.
pub fn print_changes(changes: &[Change]) {
    for change in changes {
        let kind = match change.kind {
            ChangeKind::Added => "added",
            ChangeKind::Modified => "changed",
            ChangeKind::Removed => "removed",
        };
        println!("{kind:>8} {}", change.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_panics_keep_where_the_panic_happened() {
        let _hook_is_ours = crate::error::tests::PANIC_HOOK.lock();
        let hook = std::panic::take_hook();
        quiet_panics();
        let caught = std::panic::catch_unwind(|| panic!("on purpose"));
        let place = last_panic();
        std::panic::set_hook(hook);
        assert!(caught.is_err());
        let place = place.expect("the hook kept the place");
        assert!(place.starts_with("generator/src/cli.rs:"), "{place}");
        assert_eq!(last_panic(), None, "a place is reported once");
    }
}
