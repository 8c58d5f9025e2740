//! What a spec change means for the generated Rust API: two models in, a
//! list of changes out, each marked breaking or not by Rust's semver rules.
//!
//! It compares models rather than documents because users see Rust items:
//! a renamed `$ref` target that keeps its shape is no change at all, and a
//! new optional field is only non-breaking because generated structs are
//! `#[non_exhaustive]` and built with `new` (which takes required fields).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::model::{Api, Field, Operation, Parameter, Shape, Type, TypeDef, TypeKind};

/// One change of the generated crate's public API.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// Whether code written against the old crate may stop compiling.
    pub breaking: bool,
    /// The Rust item changed, e.g. `types::AiModelApiKey`.
    pub item: String,
    /// What happened to it, e.g. "required field `cloud` added".
    pub what: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.breaking {
            "breaking"
        } else {
            "non-breaking"
        };
        write!(f, "{kind:>12}  `{}`: {}", self.item, self.what)
    }
}

/// Every change from `old` to `new`, breaking ones first, then by item.
pub fn compare(old: &Api, new: &Api) -> Vec<Change> {
    let mut changes = Changes::default();
    changes.types(old, new);
    changes.operations(old, new);
    changes.defaults(old, new);
    changes.security_schemes(old, new);
    let mut changes = changes.0;
    changes.sort_by(|a, b| b.breaking.cmp(&a.breaking).then_with(|| a.cmp(b)));
    changes.dedup();
    changes
}

/// The version after `current` for these changes: breaking ones bump the
/// major version (the minor one before 1.0), others the minor (the patch
/// before 1.0); no changes keep it.
pub fn next_version(current: &semver::Version, changes: &[Change]) -> semver::Version {
    if changes.is_empty() {
        return current.clone();
    }
    let breaking = changes.iter().any(|change| change.breaking);
    let mut next = current.clone();
    next.pre = semver::Prerelease::EMPTY;
    next.build = semver::BuildMetadata::EMPTY;
    match (next.major, breaking) {
        (0, true) | (1.., false) => {
            next.minor += 1;
            next.patch = 0;
        }
        (0, false) => next.patch += 1,
        (1.., true) => {
            next.major += 1;
            next.minor = 0;
            next.patch = 0;
        }
    }
    next
}

#[derive(Default)]
struct Changes(Vec<Change>);

impl Changes {
    /// `Auth`'s methods follow the security schemes: one added is a new
    /// method, one removed or of another kind breaks code that set it.
    fn security_schemes(&mut self, old: &Api, new: &Api) {
        for scheme in &new.security_schemes {
            let item = format!("Auth::{}", scheme.method_name.trim_start_matches("r#"));
            match old.security_schemes.iter().find(|s| s.name == scheme.name) {
                None => self.push(
                    false,
                    &item,
                    format!("added, for security scheme `{}`", scheme.name),
                ),
                Some(before)
                    if before.method_name != scheme.method_name
                        || std::mem::discriminant(&before.kind)
                            != std::mem::discriminant(&scheme.kind) =>
                {
                    self.push(
                        true,
                        &item,
                        format!("security scheme `{}` is now of another kind", scheme.name),
                    );
                }
                Some(_) => {}
            }
        }
        for scheme in &old.security_schemes {
            if !new.security_schemes.iter().any(|s| s.name == scheme.name) {
                let item = format!("Auth::{}", scheme.method_name.trim_start_matches("r#"));
                self.push(
                    true,
                    &item,
                    format!("removed with security scheme `{}`", scheme.name),
                );
            }
        }
    }

    fn push(&mut self, breaking: bool, item: &str, what: impl Into<String>) {
        self.0.push(Change {
            breaking,
            item: item.to_owned(),
            what: what.into(),
        });
    }

    fn types(&mut self, old: &Api, new: &Api) {
        let old_types: BTreeMap<&str, &TypeDef> = old
            .types
            .iter()
            .map(|def| (def.name.as_str(), def))
            .collect();
        let new_types: BTreeMap<&str, &TypeDef> = new
            .types
            .iter()
            .map(|def| (def.name.as_str(), def))
            .collect();
        for (name, def) in &new_types {
            let item = format!("types::{name}");
            match old_types.get(name) {
                None => self.push(false, &item, "added"),
                Some(before) => self.type_def(&item, before, def),
            }
        }
        for name in old_types
            .keys()
            .filter(|name| !new_types.contains_key(*name))
        {
            self.push(true, &format!("types::{name}"), "removed");
        }
    }

    fn type_def(&mut self, item: &str, old: &TypeDef, new: &TypeDef) {
        match (&old.kind, &new.kind) {
            (TypeKind::Struct(before), TypeKind::Struct(after)) => self.fields(item, before, after),
            (TypeKind::Enum(before), TypeKind::Enum(after)) => {
                let before: BTreeSet<&str> = before.iter().map(|v| v.wire_name.as_str()).collect();
                let after: BTreeSet<&str> = after.iter().map(|v| v.wire_name.as_str()).collect();
                for value in after.difference(&before) {
                    self.push(false, item, format!("value `{value}` added"));
                }
                for value in before.difference(&after) {
                    self.push(true, item, format!("value `{value}` removed"));
                }
            }
            (TypeKind::Alias(before), TypeKind::Alias(after)) if before != after => self.push(
                true,
                item,
                format!("now `{}` (was `{}`)", after.prose(), before.prose()),
            ),
            (TypeKind::Alias(_), TypeKind::Alias(_)) => {}
            (
                TypeKind::OneOf {
                    discriminator: old_tag,
                    variants: before,
                },
                TypeKind::OneOf {
                    discriminator: new_tag,
                    variants: after,
                },
            ) => {
                if old_tag != new_tag {
                    self.push(true, item, "now chooses its shape another way");
                }
                let shapes = |shapes: &[Shape]| -> BTreeSet<String> {
                    shapes.iter().map(|shape| shape.ty.prose()).collect()
                };
                let (before, after) = (shapes(before), shapes(after));
                // The enum is `#[non_exhaustive]`, so a new shape breaks no match.
                for shape in after.difference(&before) {
                    self.push(false, item, format!("shape `{shape}` added"));
                }
                for shape in before.difference(&after) {
                    self.push(true, item, format!("shape `{shape}` removed"));
                }
            }
            (before, after) => self.push(
                true,
                item,
                format!("now {} (was {})", kind_name(after), kind_name(before)),
            ),
        }
        match (old.validated, new.validated) {
            (false, true) => self.push(false, item, "`validate` added"),
            (true, false) => self.push(true, item, "`validate` removed"),
            _ => {}
        }
        let traits = [
            (
                old.usage.sent,
                new.usage.sent,
                "Serialize",
                "no request sends it; the `mock` feature keeps it",
            ),
            (
                old.usage.received,
                new.usage.received,
                "Deserialize",
                "no answer holds it",
            ),
        ];
        for (before, after, name, why) in traits {
            match (before, after) {
                (false, true) => self.push(false, item, format!("`{name}` added")),
                (true, false) => self.push(true, item, format!("`{name}` removed: {why}")),
                _ => {}
            }
        }
    }

    fn fields(&mut self, item: &str, old: &[Field], new: &[Field]) {
        let before: BTreeMap<&str, &Field> = old.iter().map(|f| (f.name.as_str(), f)).collect();
        for field in new {
            let name = field.name.trim_start_matches("r#");
            let Some(previous) = before.get(field.name.as_str()) else {
                if field.is_constructor_argument() {
                    self.push(true, item, format!("required field `{name}` added"));
                } else {
                    self.push(false, item, format!("optional field `{name}` added"));
                }
                continue;
            };
            let (was, now) = (previous.prose(), field.prose());
            if was != now {
                self.push(
                    true,
                    item,
                    format!("field `{name}` is now `{now}` (was `{was}`)"),
                );
            } else if previous.is_constructor_argument() != field.is_constructor_argument() {
                // Same Rust type, e.g. an optional field became required and
                // nullable: `new` takes it now, or no longer does.
                let now = if field.is_constructor_argument() {
                    "required"
                } else {
                    "optional"
                };
                self.push(true, item, format!("field `{name}` is now {now}"));
            } else if previous.nullable != field.nullable {
                self.push(
                    false,
                    item,
                    format!("field `{name}` may now be null: {}", field.nullable),
                );
            }
            if previous.constraints != field.constraints {
                self.push(
                    false,
                    item,
                    format!("the rules `validate` checks for `{name}` changed"),
                );
            }
        }
        let after: BTreeSet<&str> = new.iter().map(|f| f.name.as_str()).collect();
        for field in old.iter().filter(|f| !after.contains(f.name.as_str())) {
            let name = field.name.trim_start_matches("r#");
            self.push(true, item, format!("field `{name}` removed"));
        }
    }

    fn operations(&mut self, old: &Api, new: &Api) {
        let old_operations = by_version(old);
        let new_operations = by_version(new);
        for (key, operation) in &new_operations {
            let item = operation_item(operation);
            match old_operations.get(key) {
                None => self.push(false, &item, added_what(operation)),
                Some(before) => self.operation(&item, before, operation),
            }
        }
        // An unversioned operation is `Client`'s own method; if `Client`
        // keeps the method under a version, `defaults` says how it changed.
        let still_on_client = |operation: &Operation| {
            operation.version.is_none()
                && new
                    .operations
                    .iter()
                    .any(|other| other.is_default && other.method_name == operation.method_name)
        };
        for (key, operation) in &old_operations {
            if !new_operations.contains_key(key) && !still_on_client(operation) {
                self.push(true, &operation_item(operation), "removed");
            }
        }
    }

    fn operation(&mut self, item: &str, old: &Operation, new: &Operation) {
        let (was, now) = (request_line(old), request_line(new));
        if was != now {
            self.push(false, item, format!("now sends `{now}` (was `{was}`)"));
        }
        if old.accept != new.accept {
            self.push(
                false,
                item,
                format!("now accepts `{}` (was `{}`)", new.accept, old.accept),
            );
        }
        self.parameters(item, &old.parameters, &new.parameters);
        let body = |operation: &Operation| {
            operation
                .body
                .as_ref()
                .map(|body| (body.ty.prose(), body.is_argument()))
        };
        match (body(old), body(new)) {
            (None, Some((ty, true))) => {
                self.push(true, item, format!("takes a required body `{ty}`"));
            }
            (None, Some((ty, false))) => {
                self.push(false, item, format!("takes an optional body `{ty}`"));
            }
            (Some(_), None) => self.push(true, item, "no longer takes a body"),
            (Some(before), Some(after)) if before != after => {
                let describe = |(ty, required): (String, bool)| {
                    format!("{} `{ty}`", if required { "required" } else { "optional" })
                };
                self.push(
                    true,
                    item,
                    format!("body is now {} (was {})", describe(after), describe(before)),
                );
            }
            _ => {}
        }
        let response = |operation: &Operation| {
            operation
                .success
                .ty
                .as_ref()
                .map_or_else(|| "()".to_owned(), Type::prose)
        };
        let (was, now) = (response(old), response(new));
        if was != now {
            self.push(true, item, format!("returns `{now}` (was `{was}`)"));
        }
        let (was, now) = (old.error_type.prose(), new.error_type.prose());
        if was != now {
            self.push(
                true,
                item,
                format!("fails with `Error<{now}>` (was `Error<{was}>`)"),
            );
        }
        if !old.deprecated && new.deprecated {
            self.push(false, item, "deprecated");
        }
        if old.paging.is_some() && new.paging.is_none() {
            self.push(true, item, "`stream` removed");
        }
        if old.paging.is_none() && new.paging.is_some() {
            self.push(false, item, "`stream` added");
        }
    }

    fn parameters(&mut self, item: &str, old: &[Parameter], new: &[Parameter]) {
        let before: BTreeMap<&str, &Parameter> = old.iter().map(|p| (p.name.as_str(), p)).collect();
        for parameter in new {
            let name = parameter.name.trim_start_matches("r#");
            let Some(previous) = before.get(parameter.name.as_str()) else {
                if parameter.is_argument() {
                    self.push(true, item, format!("required argument `{name}` added"));
                } else {
                    self.push(false, item, format!("optional parameter `{name}` added"));
                }
                continue;
            };
            if previous.is_argument() != parameter.is_argument() {
                let now = if parameter.is_argument() {
                    "a required argument (was an optional setter)"
                } else {
                    "an optional setter (was a required argument)"
                };
                self.push(true, item, format!("`{name}` is now {now}"));
            } else if previous.ty != parameter.ty {
                self.push(
                    true,
                    item,
                    format!(
                        "`{name}` is now `{}` (was `{}`)",
                        parameter.ty.prose(),
                        previous.ty.prose()
                    ),
                );
            }
            if previous.constraints != parameter.constraints {
                self.push(
                    false,
                    item,
                    format!("the rules checked for `{name}` changed"),
                );
            }
        }
        let after: BTreeSet<&str> = new.iter().map(|p| p.name.as_str()).collect();
        for parameter in old.iter().filter(|p| !after.contains(p.name.as_str())) {
            let name = parameter.name.trim_start_matches("r#");
            let what = if parameter.is_argument() {
                format!("required argument `{name}` removed")
            } else {
                format!("optional parameter `{name}` removed")
            };
            self.push(true, item, what);
        }
    }

    /// `Client`'s own methods: which version each uses.
    fn defaults(&mut self, old: &Api, new: &Api) {
        let defaults = |api: &Api| -> BTreeMap<String, Option<String>> {
            api.operations
                .iter()
                .filter(|operation| operation.is_default)
                .map(|operation| {
                    let version = operation.version.as_ref().map(|v| v.label.clone());
                    (operation.method_name.clone(), version)
                })
                .collect()
        };
        let (before, after) = (defaults(old), defaults(new));
        for (method, version) in &after {
            let item = format!("Client::{}", method.trim_start_matches("r#"));
            match before.get(method) {
                None => self.push(false, &item, added_default(version.as_deref())),
                // Another version's builder, body and response types.
                Some(was) if was != version => self.push(
                    true,
                    &item,
                    format!(
                        "now uses {} (was {})",
                        version_name(version.as_deref()),
                        version_name(was.as_deref())
                    ),
                ),
                Some(_) => {}
            }
        }
        for method in before.keys().filter(|method| !after.contains_key(*method)) {
            self.push(
                true,
                &format!("Client::{}", method.trim_start_matches("r#")),
                "removed",
            );
        }
    }
}

/// Operations by operation id and version label.
fn by_version(api: &Api) -> BTreeMap<(&str, Option<&str>), &Operation> {
    api.operations
        .iter()
        .map(|operation| {
            let label = operation.version.as_ref().map(|v| v.label.as_str());
            ((operation.id.as_str(), label), operation)
        })
        .collect()
}

/// Where users call an operation: its version's `Operations`, or `Client`.
fn operation_item(operation: &Operation) -> String {
    let method = operation.method_name.trim_start_matches("r#");
    match &operation.version {
        Some(version) => format!("{}::Operations::{method}", version.module),
        None => format!("Client::{method}"),
    }
}

fn added_what(operation: &Operation) -> String {
    match &operation.version {
        Some(version) => format!("added (API version `{}`)", version.label),
        None => "added".to_owned(),
    }
}

fn added_default(version: Option<&str>) -> String {
    match version {
        Some(version) => format!("added (uses API version `{version}`)"),
        None => "added".to_owned(),
    }
}

fn version_name(version: Option<&str>) -> String {
    match version {
        Some(version) => format!("API version `{version}`"),
        None => "unversioned".to_owned(),
    }
}

fn request_line(operation: &Operation) -> String {
    format!("{} {}", operation.http_method.as_str(), operation.path)
}

fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "a struct",
        TypeKind::Enum(_) => "an enum",
        TypeKind::Alias(_) => "a type alias",
        TypeKind::OneOf { .. } => "an enum of shapes",
    }
}
