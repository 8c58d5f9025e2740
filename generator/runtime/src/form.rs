//! `application/x-www-form-urlencoded` bodies: a typed value's properties as
//! form fields, each written as its media type's `encoding` says.
//!
//! The value is serialised once to JSON (read-only fields left out, as for
//! a JSON body), then each member becomes name/value pairs by its style;
//! `form_urlencoded` (the `url` crate's encoder) escapes the pairs. Members
//! go in name order: serde_json's map keeps insertion order only with a
//! feature some builds unify in, and the bytes sent must not depend on that.

use serde_json::{Map, Value};

use super::request::value_text;

/// How one property is written, from the media type's `encoding` map. A
/// property not listed is written in `form` style, exploded, as OpenAPI's
/// default says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FormField {
    /// The property's name on the wire.
    pub name: &'static str,
    /// How its value is laid out.
    pub style: FormStyle,
    /// Whether an array is one pair per item and an object one pair per member.
    pub explode: bool,
}

impl FormField {
    /// The encoding of property `name`.
    pub const fn new(name: &'static str, style: FormStyle, explode: bool) -> Self {
        Self {
            name,
            style,
            explode,
        }
    }
}

/// OpenAPI's styles of a form property.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FormStyle {
    /// Arrays as repeated keys (`to=a&to=b`) or comma-joined (`to=a,b`);
    /// objects as their members (`a=1&b=2`) or `name=a,1,b,2`.
    Form,
    /// Arrays joined by spaces when not exploded.
    SpaceDelimited,
    /// Arrays joined by `|` when not exploded.
    PipeDelimited,
    /// Objects as `name[member]=value`, nested objects as `name[a][b]=value`.
    DeepObject,
}

/// `value`, a JSON object, as form fields: `name=value` pairs joined by `&`.
pub fn encode(value: &Value, encoding: &[FormField]) -> Result<String, String> {
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs(value, encoding)? {
        serializer.append_pair(&name, &value);
    }
    Ok(serializer.finish())
}

/// `value`'s fields, unescaped, in the order of its members.
pub fn pairs(value: &Value, encoding: &[FormField]) -> Result<Vec<(String, String)>, String> {
    let Value::Object(members) = value else {
        return Err("must be an object to be sent as form fields".to_owned());
    };
    let mut pairs = Vec::with_capacity(members.len());
    for (name, value) in in_name_order(members) {
        let field = encoding
            .iter()
            .find(|field| field.name == name)
            .copied()
            .unwrap_or(FormField {
                name: "",
                style: FormStyle::Form,
                explode: true,
            });
        property_pairs(name, value, field, &mut pairs);
    }
    Ok(pairs)
}

/// The pairs of one property.
fn property_pairs(name: &str, value: &Value, field: FormField, pairs: &mut Vec<(String, String)>) {
    match (value, field.style) {
        (Value::Object(_), FormStyle::DeepObject) => deep_pairs(name, value, pairs),
        (Value::Object(members), _) if field.explode => {
            for (member, value) in in_name_order(members) {
                repeated(member, value, pairs);
            }
        }
        (Value::Object(members), style) => {
            let flat = in_name_order(members)
                .into_iter()
                .filter_map(|(member, value)| Some([member.clone(), value_text(value)?]))
                .flatten();
            pairs.push((
                name.to_owned(),
                flat.collect::<Vec<_>>().join(delimiter(style)),
            ));
        }
        (Value::Array(_), _) if field.explode => repeated(name, value, pairs),
        (Value::Array(items), style) => {
            let joined: Vec<String> = items.iter().filter_map(value_text).collect();
            pairs.push((name.to_owned(), joined.join(delimiter(style))));
        }
        (scalar, _) => repeated(name, scalar, pairs),
    }
}

/// A pair per item of an array, or one pair for any other value; nulls
/// are left out.
fn repeated(name: &str, value: &Value, pairs: &mut Vec<(String, String)>) {
    let items = match value {
        Value::Array(items) => items.as_slice(),
        other => std::slice::from_ref(other),
    };
    let texts = items.iter().filter_map(value_text);
    pairs.extend(texts.map(|text| (name.to_owned(), text)));
}

/// `name[member]=value` for each member, nested objects going deeper.
fn deep_pairs(name: &str, value: &Value, pairs: &mut Vec<(String, String)>) {
    match value {
        Value::Object(members) => {
            for (member, value) in in_name_order(members) {
                deep_pairs(&format!("{name}[{member}]"), value, pairs);
            }
        }
        other => repeated(name, other, pairs),
    }
}

fn in_name_order(members: &Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut members: Vec<_> = members.iter().collect();
    members.sort_by_key(|(name, _)| *name);
    members
}

fn delimiter(style: FormStyle) -> &'static str {
    match style {
        FormStyle::SpaceDelimited => " ",
        FormStyle::PipeDelimited => "|",
        FormStyle::Form | FormStyle::DeepObject => ",",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn encoded(value: Value, field: FormField) -> String {
        encode(&value, &[field]).unwrap()
    }

    #[test]
    fn each_style_and_explode_writes_arrays_as_openapi_says() {
        let value = json!({"to": ["a b", "c+d"], "n": 1});
        let cases = [
            (FormStyle::Form, true, "n=1&to=a+b&to=c%2Bd"),
            (FormStyle::Form, false, "n=1&to=a+b%2Cc%2Bd"),
            (FormStyle::SpaceDelimited, true, "n=1&to=a+b&to=c%2Bd"),
            (FormStyle::SpaceDelimited, false, "n=1&to=a+b+c%2Bd"),
            (FormStyle::PipeDelimited, true, "n=1&to=a+b&to=c%2Bd"),
            (FormStyle::PipeDelimited, false, "n=1&to=a+b%7Cc%2Bd"),
        ];
        for (style, explode, expected) in cases {
            let field = FormField::new("to", style, explode);
            assert_eq!(
                encoded(value.clone(), field),
                expected,
                "{style:?} {explode}"
            );
        }
    }

    #[test]
    fn each_style_and_explode_writes_objects_as_openapi_says() {
        let value = json!({"filter": {"kind": "sms", "page": {"size": 2}}});
        let cases = [
            (FormStyle::Form, true, "kind=sms&page=%7B%22size%22%3A2%7D"),
            (
                FormStyle::Form,
                false,
                "filter=kind%2Csms%2Cpage%2C%7B%22size%22%3A2%7D",
            ),
            (
                FormStyle::DeepObject,
                true,
                "filter%5Bkind%5D=sms&filter%5Bpage%5D%5Bsize%5D=2",
            ),
        ];
        for (style, explode, expected) in cases {
            let field = FormField::new("filter", style, explode);
            assert_eq!(
                encoded(value.clone(), field),
                expected,
                "{style:?} {explode}"
            );
        }
    }

    #[test]
    fn unlisted_properties_explode_and_nulls_are_left_out() {
        let value = json!({"To": ["+1555", "+1666"], "Body": "a&b=c ü", "gone": null, "ok": true});
        assert_eq!(
            encode(&value, &[]).unwrap(),
            "Body=a%26b%3Dc+%C3%BC&To=%2B1555&To=%2B1666&ok=true"
        );
    }

    #[test]
    fn only_objects_are_forms() {
        assert!(encode(&json!(["a"]), &[]).is_err());
    }
}
