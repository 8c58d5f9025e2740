//! Checks of the API description's constraints, run before a request is sent.
//!
//! Generated code calls these with each constrained value and the rule's
//! bounds; a failure names the field and the rule, and nothing is sent.

use std::collections::HashMap;
use std::fmt::Display;
use std::sync::{LazyLock, Mutex};

use regress::Regex;

pub use super::error::InvalidInput;

/// `value` has between `min` and `max` characters (Unicode scalar values,
/// as JSON Schema counts them).
pub fn length(
    field: &str,
    value: &str,
    min: Option<usize>,
    max: Option<usize>,
) -> Result<(), InvalidInput> {
    let count = value.chars().count();
    if let Some(min) = min.filter(|min| count < *min) {
        return Err(InvalidInput::new(
            field,
            format!("must have at least {min} characters (has {count})"),
        ));
    }
    if let Some(max) = max.filter(|max| count > *max) {
        return Err(InvalidInput::new(
            field,
            format!("must have at most {max} characters (has {count})"),
        ));
    }
    Ok(())
}

/// `value` lies between `min` and `max`, both inclusive.
pub fn range<T: PartialOrd + Display>(
    field: &str,
    value: T,
    min: Option<T>,
    max: Option<T>,
) -> Result<(), InvalidInput> {
    if let Some(min) = min.filter(|min| value < *min) {
        return Err(InvalidInput::new(
            field,
            format!("must be at least {min} (is {value})"),
        ));
    }
    if let Some(max) = max.filter(|max| value > *max) {
        return Err(InvalidInput::new(
            field,
            format!("must be at most {max} (is {value})"),
        ));
    }
    Ok(())
}

/// `value` lies between `min` and `max`, both exclusive (JSON Schema's
/// `exclusiveMinimum` and `exclusiveMaximum`).
pub fn exclusive_range<T: PartialOrd + Display>(
    field: &str,
    value: T,
    min: Option<T>,
    max: Option<T>,
) -> Result<(), InvalidInput> {
    if let Some(min) = min.filter(|min| value <= *min) {
        return Err(InvalidInput::new(
            field,
            format!("must be greater than {min} (is {value})"),
        ));
    }
    if let Some(max) = max.filter(|max| value >= *max) {
        return Err(InvalidInput::new(
            field,
            format!("must be less than {max} (is {value})"),
        ));
    }
    Ok(())
}

/// `field`, which the set field `because` requires, is set as well.
pub fn required_with(field: &str, present: bool, because: &str) -> Result<(), InvalidInput> {
    match present {
        true => Ok(()),
        false => Err(InvalidInput::new(
            field,
            format!("must be set when `{because}` is"),
        )),
    }
}

/// `pattern` compiled as OpenAPI means it: an ECMA-262 regular expression,
/// in Unicode mode (`\p{L}`) where it is valid there, else without (where
/// escapes such as `\-` are legal). The generator applies the same rule.
pub fn ecma_regex(pattern: &str) -> Option<Regex> {
    Regex::with_flags(pattern, "u")
        .or_else(|_| Regex::new(pattern))
        .ok()
}

/// `value` matches the regular expression `pattern` (unanchored, as JSON
/// Schema says; the generator only emits patterns that compile).
pub fn pattern(field: &str, value: &str, pattern: &'static str) -> Result<(), InvalidInput> {
    static COMPILED: LazyLock<Mutex<HashMap<&'static str, Regex>>> =
        LazyLock::new(Default::default);
    let mut compiled = COMPILED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let matches = match compiled.get(pattern) {
        Some(regex) => regex.find(value).is_some(),
        None => match ecma_regex(pattern) {
            Some(regex) => {
                let matches = regex.find(value).is_some();
                compiled.insert(pattern, regex);
                matches
            }
            // A pattern that does not compile is not enforced here; the server still is.
            None => true,
        },
    };
    if matches {
        Ok(())
    } else {
        Err(InvalidInput::new(
            field,
            format!("must match `{pattern}` (is {value:?})"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_count_characters() {
        assert!(length("name", "é", Some(1), Some(1)).is_ok());
        let error = length("name", "", Some(1), Some(250)).unwrap_err();
        assert_eq!(error.field, "name");
        assert!(error.rule.contains("at least 1"), "{}", error.rule);
        assert!(length("name", &"x".repeat(251), Some(1), Some(250)).is_err());
    }

    #[test]
    fn ranges_are_inclusive() {
        assert!(range("itemsPerPage", 1, Some(1), Some(500)).is_ok());
        assert!(range("itemsPerPage", 500, Some(1), Some(500)).is_ok());
        let error = range("itemsPerPage", 0, Some(1), Some(500)).unwrap_err();
        assert_eq!(error.rule, "must be at least 1 (is 0)");
        assert!(range("itemsPerPage", 501, Some(1), Some(500)).is_err());
    }

    #[test]
    fn exclusive_ranges_refuse_their_bounds() {
        assert!(exclusive_range("rating", 0.5, Some(0.0), Some(5.0)).is_ok());
        let error = exclusive_range("rating", 0.0, Some(0.0), None).unwrap_err();
        assert_eq!(error.rule, "must be greater than 0 (is 0)");
        let error = exclusive_range("rating", 5.0, None, Some(5.0)).unwrap_err();
        assert_eq!(error.rule, "must be less than 5 (is 5)");
        assert!(exclusive_range("rating", -1.0, Some(0.0), None).is_err());
    }

    #[test]
    fn a_field_another_requires_is_named_when_missing() {
        assert!(required_with("to", true, "from").is_ok());
        let error = required_with("to", false, "from").unwrap_err();
        assert_eq!(
            (error.field.as_str(), error.rule.as_str()),
            ("to", "must be set when `from` is")
        );
    }

    #[test]
    fn patterns_are_ecma_262_in_unicode_mode_where_valid() {
        // Unicode classes need Unicode mode; `\-` outside a class is only
        // legal without it; lookahead is ECMA-262, not the `regex` crate.
        assert!(pattern("name", "Zoë", r"^\p{L}+$").is_ok());
        assert!(pattern("name", "Zo3", r"^\p{L}+$").is_err());
        assert!(pattern("range", "a-b", r"^a\-b$").is_ok());
        assert!(pattern("word", "abc", r"^(?=a)\w+$").is_ok());
        assert!(pattern("word", "bcd", r"^(?=a)\w+$").is_err());
        assert!(ecma_regex("([").is_none());
    }

    #[test]
    fn patterns_are_checked() {
        let hex = "^([a-f0-9]{24})$";
        assert!(pattern("groupId", "32b6e34b3d91647abb20e7b8", hex).is_ok());
        let error = pattern("groupId", "not-hex", hex).unwrap_err();
        assert_eq!(error.field, "groupId");
        assert!(error.rule.contains(hex));
    }
}
