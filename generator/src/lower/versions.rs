//! API versions: the label a media type carries, the module each version
//! gets, and which version `Client`'s own methods use.

use std::collections::{HashMap, HashSet};

use crate::model::{Operation, Version};
use crate::names::{self, RESERVED_MODULE_NAMES, Scope};

/// The version label of a media type, in the `extension` the conventions
/// name (none without one); a value that is not a label (one that repeats
/// the media type) counts as none.
pub(super) fn version_label<'m>(
    media: &'m openapiv3::MediaType,
    extension: Option<&str>,
) -> Option<&'m str> {
    media
        .extensions
        .get(extension?)?
        .as_str()
        .filter(|label| !label.is_empty() && !label.contains('/'))
}

/// Names each API version's module (and the `Client` method that pins it),
/// clear of the crate's other modules and of the operations' method names.
pub(super) fn name_version_modules(operations: &mut [Operation], method_names: Scope) {
    let mut versions: Vec<&Version> = operations
        .iter()
        .filter_map(|operation| operation.version.as_ref())
        .collect();
    versions.sort_by(|a, b| a.precedence(b));
    let mut labels: Vec<String> = versions.iter().map(|v| v.label.clone()).collect();
    labels.dedup();
    let mut modules = method_names.with_more_reserved(RESERVED_MODULE_NAMES);
    let modules: HashMap<String, String> = labels
        .into_iter()
        .map(|label| {
            let module = if label.starts_with(|c: char| c.is_ascii_digit()) {
                names::snake(&format!(
                    "v{}",
                    label.replace(|c: char| !c.is_alphanumeric(), "_")
                ))
            } else {
                names::snake(&label)
            };
            let module = modules.claim(module);
            (label, module)
        })
        .collect();
    for version in operations.iter_mut().filter_map(|op| op.version.as_mut()) {
        version.module = modules[&version.label].clone();
    }
}

/// `Client`'s own method for an operation uses its newest stable version;
/// an operation offered only in preview has none, so preview stays opt-in.
pub(super) fn choose_defaults(operations: &mut [Operation]) {
    let mut chosen = HashSet::new();
    for operation in operations {
        let stable = operation.version.as_ref().is_none_or(|v| !v.is_preview());
        // Versions of one operation come newest stable first.
        if stable && chosen.insert(operation.id.clone()) {
            operation.is_default = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::check::*;
    use crate::Conventions;

    /// Conventions that read `x-api-version` and call `preview` a preview.
    fn versioned() -> Conventions {
        Conventions {
            version_extension: Some("x-api-version".to_owned()),
            preview_version_labels: vec!["preview".to_owned()],
            ..Conventions::default()
        }
    }

    #[test]
    fn each_version_is_an_operation_and_the_newest_stable_is_the_default() {
        let media = |label: &str| {
            format!(
                "application/vnd.x.{label}+json: {{schema: {{type: string}}, x-api-version: '{label}'}}"
            )
        };
        let text = with_paths(
            &format!(
                "/a:
  get:
    operationId: get
    responses:
      '200':
        description: ok
        content: {{{}, {}, {}}}
",
                media("preview"),
                media("2024-01-01"),
                media("2025-06-01")
            ),
            "{}",
        );
        let mut conventions = versioned();
        let outline = lowered_with(&text, &conventions).unwrap();
        has_lines(
            &outline,
            r#"operation get GET /a -> get/Get in "2025-06-01" as v2025_06_01, default
operation get GET /a -> get/Get in "2024-01-01" as v2024_01_01
operation get GET /a -> get/Get in "preview" as preview"#,
        );
        // A label the conventions do not call a preview is a stable version
        // like any other, ordered by its text.
        conventions.preview_version_labels.clear();
        let outline = lowered_with(&text, &conventions).unwrap();
        has_lines(
            &outline,
            r#"operation get GET /a -> get/Get in "preview" as preview, default
operation get GET /a -> get/Get in "2025-06-01" as v2025_06_01
operation get GET /a -> get/Get in "2024-01-01" as v2024_01_01"#,
        );
        // Without the extension named, no versions are read.
        has_lines(&lowered(&text), "operation get GET /a -> get/Get, default");
    }

    #[test]
    fn a_version_whose_builder_would_differ_only_in_media_types_shares_the_newer_one() {
        let media = |label: &str, schema: &str| {
            format!(
                "application/vnd.x.{label}+json: {{schema: {schema}, x-api-version: '{label}'}}"
            )
        };
        let text = with_paths(
            &format!(
                "/a:
  post:
    operationId: send
    requestBody:
      content: {{{}, {}, {}}}
    responses:
      '200':
        description: ok
        content: {{{}, {}, {}}}
",
                media("2025-06-01", "{type: string}"),
                media("2024-01-01", "{type: string}"),
                media("preview", "{type: integer}"),
                media("2025-06-01", "{type: string}"),
                media("2024-01-01", "{type: string}"),
                media("preview", "{type: string}"),
            ),
            "{}",
        );
        let conventions = versioned();
        let outline = lowered_with(&text, &conventions).unwrap();
        has_lines(
            &outline,
            r#"operation send POST /a -> send/Send in "2024-01-01" as v2024_01_01
  builder of "2025-06-01""#,
        );
        // The preview sends another body: a builder of its own.
        let preview = outline
            .split("operation ")
            .find(|item| item.contains(r#"in "preview""#))
            .unwrap();
        assert!(!preview.contains("builder of"), "{preview}");
    }
}
