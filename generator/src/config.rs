//! The config file: the [`Conventions`] an API follows that its OpenAPI
//! description cannot state, as TOML. The command line reads it with
//! `--config FILE`; the README documents every key with an example.
//!
//! A key the file does not know, a value of the wrong type and TOML that
//! does not parse are refused with the key and its line.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::error::Error;
use crate::{Conventions, Environment, Subset};

/// The file's keys; [`Conventions`] is what the library takes.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    operation_name_extension: Option<String>,
    version_extension: Option<String>,
    #[serde(default)]
    preview_version_labels: Vec<String>,
    envelope_parameter: Option<String>,
    #[serde(default, deserialize_with = "user_agent")]
    user_agent: Option<String>,
    /// `""` for none; absent for the conventional `[DONE]`.
    event_stream_end: Option<String>,
    #[serde(default)]
    paging: Paging,
    #[serde(default)]
    environment: EnvironmentKeys,
    /// Generate only these tags' operations (and those of `include_operations`).
    #[serde(default)]
    include_tags: Vec<String>,
    /// Generate only these operations, by `operationId` (and those of `include_tags`).
    #[serde(default)]
    include_operations: Vec<String>,
}

/// `[environment]`: the variables `Auth::from_env` and the crate guide read.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct EnvironmentKeys {
    used_by: Option<String>,
    base_url: Option<String>,
    /// By security scheme name, as the description spells it.
    #[serde(default)]
    credentials: BTreeMap<String, CredentialVariables>,
}

/// `[environment.credentials.<scheme>]`: the variable of each part of the
/// scheme's credential; which parts a scheme takes depends on its kind.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CredentialVariables {
    username: Option<String>,
    password: Option<String>,
    token: Option<String>,
    key: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

impl From<EnvironmentKeys> for Environment {
    fn from(keys: EnvironmentKeys) -> Self {
        let credentials = keys
            .credentials
            .into_iter()
            .map(|(scheme, variables)| {
                let parts = [
                    ("username", variables.username),
                    ("password", variables.password),
                    ("token", variables.token),
                    ("key", variables.key),
                    ("client_id", variables.client_id),
                    ("client_secret", variables.client_secret),
                ];
                let parts = parts
                    .into_iter()
                    .filter_map(|(part, variable)| Some((part.to_owned(), variable?)))
                    .collect();
                (scheme, parts)
            })
            .collect();
        Self {
            used_by: keys.used_by,
            base_url: keys.base_url,
            credentials,
        }
    }
}

/// How lists are paged: each style as often as the API has variants of it.
/// An operation that matches none is not paged.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Paging {
    /// Pages numbered by a query parameter.
    #[serde(default)]
    pub page_number: Vec<PageNumber>,
    /// Pages starting at an item offset.
    #[serde(default)]
    pub offset_limit: Vec<OffsetLimit>,
    /// Pages reached by a cursor the previous page returned.
    #[serde(default)]
    pub cursor: Vec<Cursor>,
    /// Pages reached by a URL the previous page links to.
    #[serde(default)]
    pub link: Vec<NextLink>,
}

impl Paging {
    /// Whether no style is declared.
    pub fn is_empty(&self) -> bool {
        self.page_number.is_empty()
            && self.offset_limit.is_empty()
            && self.cursor.is_empty()
            && self.link.is_empty()
    }
}

/// Pages numbered from 1 by a query parameter, such as `pageNum`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageNumber {
    /// The integer query parameter that numbers pages, e.g. `pageNum`.
    pub page_parameter: String,
    /// The integer query parameter setting the page size, e.g. `itemsPerPage`.
    pub size_parameter: Option<String>,
    /// The response field holding the page's items (an array), e.g. `results`.
    pub items_field: String,
    /// The integer response field holding the number of items in all, e.g. `totalCount`.
    pub total_field: Option<String>,
}

/// Pages starting at an item offset, such as `offset` and `limit`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OffsetLimit {
    /// The integer query parameter of the first item's offset, from 0.
    pub offset_parameter: String,
    /// The integer query parameter setting the page size.
    pub limit_parameter: Option<String>,
    /// The response field holding the page's items (an array).
    pub items_field: String,
    /// The integer response field holding the number of items in all.
    pub total_field: Option<String>,
}

/// Pages reached by a cursor: a string field of each page, sent back as a
/// query parameter for the next; absent, null or empty on the last.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cursor {
    /// The query parameter that takes the cursor, e.g. `cursor`.
    pub cursor_parameter: String,
    /// The response field holding the next page's cursor, with dots through
    /// nested objects, e.g. `next_cursor` or `meta.next_cursor`.
    pub cursor_field: String,
    /// The response field holding the page's items (an array).
    pub items_field: String,
}

/// Pages reached by the URL of the next one: the `Link` header's
/// `rel="next"` (RFC 8288), or a string field of the body. The URL is
/// followed as given.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NextLink {
    /// The response field holding the page's items (an array); without it,
    /// the response is the array.
    pub items_field: Option<String>,
    /// The response field holding the next page's URL, with dots through
    /// nested objects (e.g. `meta.next_page_url`); without it, the `Link`
    /// header.
    pub next_url_field: Option<String>,
}

/// Reads the config file at `path`; its errors name the file, the key and
/// the line.
pub fn read(path: &Path) -> Result<Conventions, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| format!("{}: cannot read it: {error}", path.display()))?;
    parse(&text).map_err(|error| format!("{}: {error}", path.display()))
}

/// The conventions a config file's `text` states. An error's pointer is the
/// key (`paging.cursor[0].items_field`), and its line where the key is.
pub fn parse(text: &str) -> Result<Conventions, Error> {
    let located = |error: toml::de::Error, key: String| Error {
        line: error
            .span()
            .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1),
        pointer: key,
        message: error.message().trim_end().to_owned(),
        internal: false,
    };
    let deserializer =
        toml::de::Deserializer::parse(text).map_err(|error| located(error, "(TOML)".to_owned()))?;
    let config: Config = serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let key = match error.path().to_string() {
            root if root == "." => "(top level)".to_owned(),
            key => key,
        };
        located(error.into_inner(), key)
    })?;
    Ok(Conventions {
        paging: config.paging,
        envelope_parameter: config.envelope_parameter,
        environment: config.environment.into(),
        operation_name_extension: config.operation_name_extension,
        version_extension: config.version_extension,
        preview_version_labels: config.preview_version_labels,
        user_agent: config.user_agent,
        event_stream_end: match config.event_stream_end {
            None => Some(Conventions::EVENT_STREAM_END.to_owned()),
            Some(end) if end.is_empty() => None,
            Some(end) => Some(end),
        },
        subset: Subset {
            tags: config.include_tags,
            operations: config.include_operations,
        },
    })
}

/// A `User-Agent` that HTTP can carry: visible ASCII and spaces.
fn user_agent<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    let value = String::deserialize(deserializer)?;
    if value.trim().is_empty() || !value.bytes().all(|byte| (b' '..=b'~').contains(&byte)) {
        return Err(serde::de::Error::custom(format!(
            "`{value}` cannot be sent as a User-Agent: it must be printable ASCII, not empty"
        )));
    }
    Ok(Some(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVERY_KEY: &str = r#"
operation_name_extension = "x-method-name"
version_extension = "x-api-version"
preview_version_labels = ["beta", "preview"]
envelope_parameter = "envelope"
user_agent = "my-client/1.0"
include_tags = ["Keys"]
include_operations = ["getThing"]
event_stream_end = "[END]"

[[paging.page_number]]
page_parameter = "pageNum"
size_parameter = "itemsPerPage"
items_field = "results"
total_field = "totalCount"

[[paging.offset_limit]]
offset_parameter = "offset"
limit_parameter = "limit"
items_field = "items"
total_field = "total"

[[paging.cursor]]
cursor_parameter = "cursor"
cursor_field = "meta.next_cursor"
items_field = "data"

[[paging.link]]
items_field = "items"
next_url_field = "next"

[[paging.link]]

[environment]
used_by = "the example CLI"
base_url = "EXAMPLE_URL"

[environment.credentials.oauth]
client_id = "EXAMPLE_CLIENT_ID"
client_secret = "EXAMPLE_CLIENT_SECRET"
token = "EXAMPLE_TOKEN"

[environment.credentials.basic]
username = "EXAMPLE_USER"
password = "EXAMPLE_PASSWORD"

[environment.credentials.header]
key = "EXAMPLE_KEY"
"#;

    fn refused(text: &str) -> Error {
        parse(text).expect_err("the config is refused")
    }

    #[test]
    fn every_key_is_read() {
        let conventions = parse(EVERY_KEY).unwrap();
        let owned = |text: &str| Some(text.to_owned());
        assert_eq!(conventions.operation_name_extension, owned("x-method-name"));
        assert_eq!(conventions.version_extension, owned("x-api-version"));
        assert_eq!(conventions.preview_version_labels, ["beta", "preview"]);
        assert_eq!(conventions.envelope_parameter, owned("envelope"));
        assert_eq!(conventions.user_agent, owned("my-client/1.0"));
        assert_eq!(conventions.event_stream_end, owned("[END]"));
        assert_eq!(conventions.subset.tags, ["Keys"]);
        assert_eq!(conventions.subset.operations, ["getThing"]);
        let environment = &conventions.environment;
        assert_eq!(environment.used_by, owned("the example CLI"));
        assert_eq!(environment.base_url, owned("EXAMPLE_URL"));
        let variables = |scheme: &str| -> Vec<(&str, &str)> {
            environment.credentials[scheme]
                .iter()
                .map(|(part, variable)| (part.as_str(), variable.as_str()))
                .collect()
        };
        assert_eq!(
            variables("oauth"),
            [
                ("client_id", "EXAMPLE_CLIENT_ID"),
                ("client_secret", "EXAMPLE_CLIENT_SECRET"),
                ("token", "EXAMPLE_TOKEN")
            ]
        );
        assert_eq!(
            variables("basic"),
            [
                ("password", "EXAMPLE_PASSWORD"),
                ("username", "EXAMPLE_USER")
            ]
        );
        assert_eq!(variables("header"), [("key", "EXAMPLE_KEY")]);
        let paging = conventions.paging;
        assert_eq!(
            paging.page_number,
            [PageNumber {
                page_parameter: "pageNum".to_owned(),
                size_parameter: owned("itemsPerPage"),
                items_field: "results".to_owned(),
                total_field: owned("totalCount"),
            }]
        );
        assert_eq!(
            paging.offset_limit,
            [OffsetLimit {
                offset_parameter: "offset".to_owned(),
                limit_parameter: owned("limit"),
                items_field: "items".to_owned(),
                total_field: owned("total"),
            }]
        );
        assert_eq!(
            paging.cursor,
            [Cursor {
                cursor_parameter: "cursor".to_owned(),
                cursor_field: "meta.next_cursor".to_owned(),
                items_field: "data".to_owned(),
            }]
        );
        assert_eq!(
            paging.link,
            [
                NextLink {
                    items_field: owned("items"),
                    next_url_field: owned("next"),
                },
                NextLink {
                    items_field: None,
                    next_url_field: None,
                }
            ]
        );
    }

    #[test]
    fn an_empty_file_states_no_convention() {
        let conventions = parse("# nothing yet\n").unwrap();
        assert!(conventions.paging.is_empty());
        assert!(conventions.operation_name_extension.is_none());
        assert!(conventions.version_extension.is_none());
        assert!(conventions.envelope_parameter.is_none());
        assert!(conventions.user_agent.is_none());
        assert_eq!(conventions.event_stream_end.as_deref(), Some("[DONE]"));
        let none = parse("event_stream_end = \"\"\n").unwrap();
        assert_eq!(none.event_stream_end, None);
    }

    #[test]
    fn an_unknown_key_is_refused_with_its_key_and_line() {
        let top = refused("envelope_parameter = \"envelope\"\npaging_style = \"pages\"\n");
        assert_eq!(top.line, Some(2), "{top}");
        assert!(
            top.message.contains("unknown field `paging_style`"),
            "{top}"
        );

        let nested = refused(
            "[[paging.cursor]]\ncursor_parameter = \"c\"\ncursor_field = \"next\"\nitems_field = \"data\"\nitem_field = \"x\"\n",
        );
        assert_eq!(nested.line, Some(5), "{nested}");
        assert!(nested.pointer.starts_with("paging.cursor[0]"), "{nested}");
        assert!(
            nested.message.contains("unknown field `item_field`"),
            "{nested}"
        );

        let style = refused("[[paging.pages]]\npage_parameter = \"p\"\n");
        assert_eq!(style.line, Some(1), "{style}");
        assert!(style.message.contains("unknown field `pages`"), "{style}");
    }

    #[test]
    fn the_file_is_named_with_the_key_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("client.toml");
        std::fs::write(&path, "\n\nenvelope = true\n").unwrap();
        let error = read(&path).unwrap_err();
        assert!(
            error.starts_with(&format!("{}: ", path.display())) && error.contains("(line 3)"),
            "{error}"
        );
        assert!(error.contains("unknown field `envelope`"), "{error}");
        let missing = read(&dir.path().join("none.toml")).unwrap_err();
        assert!(missing.contains("none.toml: cannot read it"), "{missing}");
    }

    #[test]
    fn a_value_of_the_wrong_type_is_refused_at_its_key() {
        let error =
            refused("[[paging.page_number]]\npage_parameter = 1\nitems_field = \"results\"\n");
        assert_eq!(
            error.pointer, "paging.page_number[0].page_parameter",
            "{error}"
        );
        assert_eq!(error.line, Some(2), "{error}");
        assert!(
            error.message.contains("invalid type: integer `1`"),
            "{error}"
        );

        let table = refused("paging = \"pages\"\n");
        assert_eq!(table.pointer, "paging", "{table}");
        assert_eq!(table.line, Some(1), "{table}");
    }

    #[test]
    fn a_missing_key_and_broken_toml_are_refused_with_their_line() {
        let missing =
            refused("\n[[paging.cursor]]\ncursor_parameter = \"c\"\nitems_field = \"d\"\n");
        assert!(
            missing.message.contains("missing field `cursor_field`"),
            "{missing}"
        );
        assert!(missing.line.is_some_and(|line| line >= 2), "{missing}");

        let broken = refused("user_agent = \"a\"\nversion_extension = \n");
        assert_eq!(broken.line, Some(2), "{broken}");
    }

    #[test]
    fn a_user_agent_http_cannot_carry_is_refused() {
        let error = refused("\nuser_agent = \"caf\u{e9}\\n\"\n");
        assert_eq!(error.pointer, "user_agent", "{error}");
        assert_eq!(error.line, Some(2), "{error}");
        assert!(error.message.contains("User-Agent"), "{error}");
    }
}
