//! The command line shared by the `client-generator` binary and
//! `cargo xtask generate`: read a spec, write a crate, report what changed.

use std::path::{Path, PathBuf};

use crate::config;
use crate::output::{self, Change, ChangeKind};
use crate::release::{self, Previous};
use crate::{Conventions, File, Generation, Options};

/// Usage of [`generate_command`], in short; `--help` has the whole.
pub const USAGE: &str = "--spec PATH --out DIR [--name CRATE_NAME] [--version VERSION] [--config FILE] [--operation-name-extension EXTENSION] [--include-tags TAG,…] [--include-operations ID,…] [--strict]";

/// Writes a typed async Rust client crate for an OpenAPI 3.0 or 3.1 description.
#[derive(Debug, clap::Parser)]
#[command(name = "client-generator")]
struct Arguments {
    /// The OpenAPI description, YAML or JSON.
    #[arg(long, value_name = "PATH")]
    spec: PathBuf,
    /// The crate directory to write (replaced as a whole, or left as it was).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// The package name in the crate's `Cargo.toml`.
    #[arg(long, value_name = "CRATE_NAME", default_value = "openapi-client")]
    name: String,
    /// The version of a first generation; later ones follow from the changes.
    #[arg(long, value_name = "VERSION", default_value = "0.1.0")]
    version: String,
    /// The API's conventions that OpenAPI cannot state (paging, versions,
    /// names), as TOML; see the README's "Conventions: the config file".
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// An operation extension whose string names the method instead of
    /// `operationId`; overrides the config file's `operation_name_extension`.
    #[arg(long, value_name = "EXTENSION")]
    operation_name_extension: Option<String>,
    /// Generate only the operations of these tags (by name, or as their
    /// features are named) and what they use, with those of
    /// `--include-operations`; overrides the config file's `include_tags`.
    #[arg(long, value_name = "TAG,…", value_delimiter = ',')]
    include_tags: Option<Vec<String>>,
    /// Generate only these operations (by `operationId`) and what they use,
    /// with those of `--include-tags`; overrides the config file's
    /// `include_operations`.
    #[arg(long, value_name = "ID,…", value_delimiter = ',')]
    include_operations: Option<Vec<String>>,
    /// Refuse the description, writing nothing, if it gives any warning.
    #[arg(long)]
    strict: bool,
}

/// Runs the command line on `args` (without the program name): reads the
/// spec, writes the crate, prints what changed, the warnings and the
/// summary. `--help` and `--version` print and succeed.
pub fn generate_command(args: &[String]) -> Result<(), String> {
    let program = std::iter::once("client-generator".to_owned());
    let arguments =
        match <Arguments as clap::Parser>::try_parse_from(program.chain(args.iter().cloned())) {
            Ok(arguments) => arguments,
            Err(error) if !error.use_stderr() => {
                print!("{error}");
                return Ok(());
            }
            Err(error) => return Err(error.to_string().trim_end().to_owned()),
        };
    let mut conventions = match &arguments.config {
        Some(path) => config::read(path)?,
        None => Conventions::default(),
    };
    if let Some(extension) = arguments.operation_name_extension {
        conventions.operation_name_extension = Some(extension);
    }
    if let Some(tags) = arguments.include_tags {
        conventions.subset.tags = tags;
    }
    if let Some(operations) = arguments.include_operations {
        conventions.subset.operations = operations;
    }
    let options = Options {
        crate_name: arguments.name,
        crate_version: arguments.version,
        conventions,
    };
    let spec = arguments.spec;
    let out = arguments.out;
    let previous = previous(&out)?;
    let generation = generate_file(&spec, &options, previous.as_ref())?;
    if arguments.strict && !generation.fallbacks.is_empty() {
        print_fallbacks(&spec, &generation);
        return Err(format!(
            "{}: {} warnings and --strict: nothing written",
            spec.display(),
            generation.fallbacks.len()
        ));
    }
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
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut load = |relative: &str| load_beside(dir, relative);
    crate::regenerate_with(&text, options, previous, &mut load).map_err(|error| {
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

/// The file at `relative` from `dir`, read as a description's part; its
/// errors name it, with the line where the text shows one.
fn load_beside(dir: &Path, relative: &str) -> Result<serde_json::Value, crate::Error> {
    let path = dir.join(relative);
    let in_file = |error: crate::Error| {
        let line = error
            .line
            .map(|line| format!(" (line {line})"))
            .unwrap_or_default();
        crate::Error::at(
            &crate::error::Pointer::root(),
            format!("in {}{line}: {}", path.display(), error.message),
        )
    };
    let text = std::fs::read_to_string(&path).map_err(|error| {
        in_file(crate::Error::at(
            &crate::error::Pointer::root(),
            format!("cannot read it: {error}"),
        ))
    })?;
    crate::parse::read(&text).map_err(in_file)
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
        runtime_api: release::runtime_api_of(&manifest),
        subset: release::subset_of(&manifest),
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

    fn run(args: &[&str]) -> Result<(), String> {
        let args: Vec<String> = args.iter().map(|arg| (*arg).to_owned()).collect();
        generate_command(&args)
    }

    #[test]
    fn help_succeeds_and_unknown_flags_are_refused() {
        assert_eq!(run(&["--help"]), Ok(()));
        let unknown = run(&["--spec", "a", "--out", "b", "--colour"]).unwrap_err();
        assert!(unknown.contains("--colour"), "{unknown}");
        let missing = run(&["--spec", "a"]).unwrap_err();
        assert!(missing.contains("--out"), "{missing}");
    }

    #[test]
    fn strict_refuses_a_description_with_warnings_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let spec = dir.path().join("spec.yaml");
        std::fs::write(
            &spec,
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents: {schemas: {A: {not: {}}}}\n",
        )
        .unwrap();
        let out = dir.path().join("out");
        let (spec, out) = (spec.to_str().unwrap(), out.to_str().unwrap());
        let error = run(&["--spec", spec, "--out", out, "--strict"]).unwrap_err();
        assert!(error.contains("1 warnings and --strict"), "{error}");
        assert!(!dir.path().join("out").exists());
        assert_eq!(run(&["--spec", spec, "--out", out]), Ok(()));
        assert!(dir.path().join("out/Cargo.toml").exists());
    }

    #[test]
    fn a_subset_is_generated_recorded_and_compared_as_a_subset() {
        let dir = tempfile::tempdir().unwrap();
        let spec = dir.path().join("spec.yaml");
        std::fs::write(
            &spec,
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n    get:\n      operationId: listPets\n      tags: [Pets]\n      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}}\n  /orders:\n    get:\n      operationId: listOrders\n      tags: [Store Orders]\n      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Order'}}}}}\ncomponents:\n  schemas:\n    Pet: {type: object, properties: {name: {type: string}}}\n    Order: {type: object, properties: {total: {type: number}}}\n",
        )
        .unwrap();
        let out = dir.path().join("out");
        let (spec, out) = (spec.to_str().unwrap(), out.to_str().unwrap());
        let read = |path: &str| std::fs::read_to_string(dir.path().join("out").join(path)).unwrap();
        assert_eq!(
            run(&["--spec", spec, "--out", out, "--include-tags", "pets"]),
            Ok(())
        );
        let manifest = read("Cargo.toml");
        assert!(
            manifest.contains("include-tags = [\"pets\"]\ninclude-operations = []\n"),
            "{manifest}"
        );
        assert!(!read("src/types.rs").contains("Order"));
        assert!(read("src/operations.rs").contains("pub fn list_pets"));

        // Widening the subset adds what it brings, and nothing breaks: the
        // previous crate is compared as the subset it was made from.
        assert_eq!(
            run(&[
                "--spec",
                spec,
                "--out",
                out,
                "--include-tags",
                "pets",
                "--include-operations",
                "listOrders"
            ]),
            Ok(())
        );
        let changelog = read("CHANGELOG.md");
        assert!(
            changelog.contains("## 0.1.1\n\n### Non-breaking\n\n- `Client::list_orders`: added"),
            "{changelog}"
        );
        assert!(changelog.contains("- `types::Order`: added"), "{changelog}");
        assert!(!changelog.contains("types::Pet"), "{changelog}");
        let manifest = read("Cargo.toml");
        assert!(
            manifest.contains("include-operations = [\"listOrders\"]"),
            "{manifest}"
        );

        // The whole description, which is those two operations: nothing
        // recorded, and nothing changed.
        assert_eq!(run(&["--spec", spec, "--out", out]), Ok(()));
        let manifest = read("Cargo.toml");
        assert!(!manifest.contains("include-tags"), "{manifest}");
        assert!(manifest.contains("\nversion = \"0.1.1\"\n"), "{manifest}");
    }

    #[test]
    fn the_config_file_is_read_and_its_errors_located() {
        let dir = tempfile::tempdir().unwrap();
        let spec = dir.path().join("spec.yaml");
        std::fs::write(
            &spec,
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n    get:\n      operationId: listPets\n      x-method: pets\n      parameters: [{name: page, in: query, schema: {type: integer}}]\n      responses:\n        '200':\n          description: ok\n          content: {application/json: {schema: {type: object, properties: {pets: {type: array, items: {type: string}}}}}}\n",
        )
        .unwrap();
        let config = dir.path().join("client.toml");
        std::fs::write(
            &config,
            "operation_name_extension = \"x-method\"\n\n[[paging.page_number]]\npage_parameter = \"page\"\nitems_field = \"pets\"\n",
        )
        .unwrap();
        let out = dir.path().join("out");
        let (spec, out, config) = (
            spec.to_str().unwrap(),
            out.to_str().unwrap(),
            config.to_str().unwrap(),
        );
        assert_eq!(
            run(&["--spec", spec, "--out", out, "--config", config]),
            Ok(())
        );
        let operations = std::fs::read_to_string(dir.path().join("out/src/operations.rs")).unwrap();
        assert!(operations.contains("pub fn pets<"), "{operations}");
        assert!(operations.contains("pub fn stream("), "{operations}");

        std::fs::write(
            dir.path().join("client.toml"),
            "[[paging.page_number]]\npage = 1\n",
        )
        .unwrap();
        let error = run(&["--spec", spec, "--out", out, "--config", config]).unwrap_err();
        assert!(
            error.starts_with(&format!("{config}: paging.page_number[0]"))
                && error.contains("(line 2): unknown field `page`"),
            "{error}"
        );
    }

    #[test]
    fn files_beside_the_description_are_brought_in_and_their_errors_located() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("schemas")).unwrap();
        std::fs::write(
            dir.path().join("spec.yaml"),
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n    get:\n      operationId: listPets\n      responses:\n        '200':\n          description: ok\n          content: {application/json: {schema: {$ref: './schemas/pet.yaml'}}}\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("schemas/pet.yaml"),
            "type: object\nproperties:\n  error: {$ref: '../common.yaml#/components/schemas/Error'}\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("common.yaml"),
            "components:\n  schemas:\n    Error: {type: object, properties: {code: {type: integer}}}\n",
        )
        .unwrap();
        let spec = dir.path().join("spec.yaml");
        let out = dir.path().join("out");
        let (spec_arg, out_arg) = (spec.to_str().unwrap(), out.to_str().unwrap());
        assert_eq!(run(&["--spec", spec_arg, "--out", out_arg]), Ok(()));
        let types = std::fs::read_to_string(out.join("src/types.rs")).unwrap();
        assert!(types.contains("pub struct Pet {"), "{types}");
        assert!(types.contains("pub error: Option<Error>"), "{types}");
        // The crate keeps the description with the files brought in, so
        // the next generation reads it alone.
        let kept = std::fs::read_to_string(out.join("openapi.yaml")).unwrap();
        assert!(
            !kept.contains("pet.yaml") && kept.contains("#/components/schemas/Error"),
            "{kept}"
        );
        assert_eq!(run(&["--spec", spec_arg, "--out", out_arg]), Ok(()));

        std::fs::write(dir.path().join("common.yaml"), "components: [unclosed\n").unwrap();
        let error = run(&["--spec", spec_arg, "--out", out_arg]).unwrap_err();
        assert!(
            error.contains("#/components/schemas/Pet/properties/error"),
            "{error}"
        );
        assert!(
            error.contains("common.yaml (line 2): not a YAML or JSON document"),
            "{error}"
        );
    }

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
