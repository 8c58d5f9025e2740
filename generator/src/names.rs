//! Rust names from spec names: case conversion, keywords, and collisions.
//!
//! Every name the generator emits is made here, so the rules for what is a
//! valid, unique, non-shadowing identifier live in one place.

use std::collections::HashSet;

use heck::{ToKebabCase, ToSnakeCase, ToUpperCamelCase};

/// Words that cannot be identifiers even as raw identifiers (`r#self`).
const UNRAWABLE: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Strict and reserved keywords of Rust 2024.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// `raw` with a leading sign spelled out, which case conversion would
/// drop: `+1` and `-1` (reactions, say) are `plus 1` and `minus 1`.
fn spelled(raw: &str) -> String {
    let sign = |rest: &str| rest.starts_with(|c: char| c.is_ascii_digit());
    match (raw.strip_prefix('+'), raw.strip_prefix('-')) {
        (Some(rest), _) => format!("plus {rest}"),
        (_, Some(rest)) if sign(rest) => format!("minus {rest}"),
        _ => raw.to_owned(),
    }
}

/// A snake_case identifier for `raw`; keywords become raw identifiers, a
/// name with no letters or digits becomes `unnamed`, and one that starts
/// with a digit gets an `n` before it (`529` is `n529`).
pub fn snake(raw: &str) -> String {
    let name = spelled(raw).to_snake_case();
    let name = if name.is_empty() {
        "unnamed".to_owned()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n{name}")
    } else {
        name
    };
    if UNRAWABLE.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// A PascalCase identifier for `raw`; never empty, never starting with a digit.
pub fn pascal(raw: &str) -> String {
    let name = spelled(raw).to_upper_camel_case();
    if name.is_empty() {
        "Unnamed".to_owned()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("N{name}")
    } else if name == "Self" {
        "SelfValue".to_owned()
    } else {
        name
    }
}

/// Cargo features every generated crate has, which no tag's feature may take.
pub const RESERVED_FEATURE_NAMES: &[&str] = &["default", "mock"];

/// The Cargo feature a tag's operations are compiled under: the tag in
/// kebab case, ASCII letters and digits only (`AI Model API Keys` is
/// `ai-model-api-keys`), `tag` when nothing is left.
pub fn feature(tag: &str) -> String {
    let ascii: String = spelled(tag)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let name = ascii.to_kebab_case();
    if name.is_empty() {
        "tag".to_owned()
    } else {
        name
    }
}

/// Hands out names unique within one scope, in the order asked.
///
/// A taken name gets the first free numeric suffix, so the same spec always
/// gives the same names.
#[derive(Debug, Default)]
pub struct Scope {
    taken: HashSet<String>,
}

impl Scope {
    /// A scope where `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Self {
            taken: reserved.iter().map(|name| (*name).to_owned()).collect(),
        }
    }

    /// This scope with `reserved` names taken too.
    pub fn with_more_reserved(mut self, reserved: &[&str]) -> Self {
        self.taken
            .extend(reserved.iter().map(|name| (*name).to_owned()));
        self
    }

    /// `name` if free, else `name2`, `name3`, … (before a raw prefix's
    /// removal; `n1_2` after a name that ends in a digit, which `n12` would
    /// misread).
    pub fn claim(&mut self, name: String) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        let stem = name.strip_prefix("r#").unwrap_or(&name).to_owned();
        let separator = if stem.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        (2..)
            .map(|n| format!("{stem}{separator}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("an unbounded range always yields a free name")
    }
}

/// Type names that would shadow the prelude or the derives in `types.rs`.
pub(crate) const RESERVED_TYPE_NAMES: &[&str] = &[
    "Box",
    "Deserialize",
    "Err",
    "None",
    // The visitor each object type's `Deserialize` declares inside itself.
    "ObjectVisitor",
    "Ok",
    "Option",
    "Result",
    "Serialize",
    "Some",
    "String",
    "Vec",
];

/// Builder names that would shadow what `operations.rs` imports.
pub(crate) const RESERVED_BUILDER_NAMES: &[&str] = &[
    "ApiResponse",
    "Box",
    "Client",
    "Err",
    "Error",
    "None",
    "Ok",
    "Option",
    "Request",
    "Result",
    "Some",
    "String",
    "Vec",
];

/// Method names `Client` already has, inherent or through derives.
pub(crate) const RESERVED_METHOD_NAMES: &[&str] = &[
    "base_url",
    "builder",
    "clone",
    "fmt",
    "send_empty",
    "send_json",
];

/// Module names the crate already has, so no API version can take them.
pub(crate) const RESERVED_MODULE_NAMES: &[&str] = &["operations", "runtime", "types"];

/// Parameter names taken by a request builder's own members.
pub(crate) const RESERVED_PARAMETER_NAMES: &[&str] = &[
    "body",
    "client",
    "into_future",
    "into_request",
    "send",
    "send_page",
    "stream",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_names_are_valid_identifiers() {
        assert_eq!(snake("groupId"), "group_id");
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("2fa"), "n2fa");
        assert_eq!(snake("529"), "n529");
        assert_eq!(snake("+1"), "plus_1");
        assert_eq!(snake("-1"), "minus_1");
        assert_eq!(snake("@type"), "r#type");
        assert_eq!(snake("naïve"), "naïve");
        assert_eq!(snake(""), "unnamed");
        assert_eq!(snake("$$"), "unnamed");
    }

    #[test]
    fn pascal_names_are_valid_identifiers() {
        assert_eq!(pascal("aiModelApiKey"), "AiModelApiKey");
        assert_eq!(pascal("ACTIVE"), "Active");
        assert_eq!(pascal("3d"), "N3d");
        assert_eq!(pascal("+1"), "Plus1");
        assert_eq!(pascal("-1"), "Minus1");
        assert_eq!(pascal("self"), "SelfValue");
        assert_eq!(pascal(""), "Unnamed");
    }

    #[test]
    fn features_are_kebab_case_ascii() {
        assert_eq!(feature("AI Model API Keys"), "ai-model-api-keys");
        assert_eq!(feature("Cloud Backups (Legacy)"), "cloud-backups-legacy");
        assert_eq!(feature("X.509 Authentication"), "x-509-authentication");
        assert_eq!(feature("Größe"), "gr-e");
        assert_eq!(feature("!!!"), "tag");
        assert_eq!(feature("+1"), "plus-1");
    }

    #[test]
    fn scopes_disambiguate_in_order() {
        let mut scope = Scope::with_reserved(&["String"]);
        assert_eq!(scope.claim("String".into()), "String2");
        assert_eq!(scope.claim("Key".into()), "Key");
        assert_eq!(scope.claim("Key".into()), "Key2");
        assert_eq!(scope.claim("r#type".into()), "r#type");
        assert_eq!(scope.claim("r#type".into()), "type2");
        assert_eq!(scope.claim("n1".into()), "n1");
        assert_eq!(scope.claim("n1".into()), "n1_2");
    }
}
