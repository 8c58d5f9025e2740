//! Constraints: the rules of a scalar schema that a generated `validate`
//! checks before sending.

use openapiv3::SchemaKind;

use super::Lowerer;
use super::refs::SchemaRef;
use crate::error::Pointer;
use crate::model::{Constraints, Type};

impl<'d> Lowerer<'d> {
    /// The checkable rules of the scalar schema at `at`. A pattern that is
    /// no ECMA-262 regular expression is left to the server, with a warning.
    pub(super) fn constraints(
        &mut self,
        schema: SchemaRef<'d>,
        ty: &Type,
        at: &Pointer,
    ) -> Constraints {
        let Some(schema) = self.resolve(schema) else {
            return Constraints::default();
        };
        match (&schema.schema_kind, ty) {
            (SchemaKind::Type(openapiv3::Type::String(string)), Type::String) => Constraints {
                min_length: string.min_length,
                max_length: string.max_length,
                pattern: string.pattern.as_deref().and_then(|pattern| {
                    if self.compiles(pattern) {
                        return Some(pattern.to_owned());
                    }
                    self.left_out(
                        at,
                        format!(
                            "the pattern `{pattern}` is no ECMA-262 regular expression; it is not checked before sending"
                        ),
                    );
                    None
                }),
                ..Constraints::default()
            },
            // An integer's exclusive bound is the inclusive one next to it.
            (SchemaKind::Type(openapiv3::Type::Integer(integer)), Type::Int(_)) => {
                let bound = |bound: Option<i64>, exclusive: bool, step: i64| match exclusive {
                    true => bound.and_then(|bound| bound.checked_add(step)),
                    false => bound,
                };
                Constraints {
                    minimum: bound(integer.minimum, integer.exclusive_minimum, 1)
                        .map(|bound| bound as f64),
                    maximum: bound(integer.maximum, integer.exclusive_maximum, -1)
                        .map(|bound| bound as f64),
                    ..Constraints::default()
                }
            }
            (SchemaKind::Type(openapiv3::Type::Number(number)), Type::F32 | Type::F64) => {
                Constraints {
                    minimum: number.minimum,
                    exclusive_minimum: number.exclusive_minimum && number.minimum.is_some(),
                    maximum: number.maximum,
                    exclusive_maximum: number.exclusive_maximum && number.maximum.is_some(),
                    ..Constraints::default()
                }
            }
            _ => Constraints::default(),
        }
    }

    /// Whether `pattern` compiles as an ECMA-262 regular expression, by the
    /// rule the runtime's `validate::ecma_regex` applies: in Unicode mode,
    /// else without. Remembered: compiling is costly, and specs repeat their
    /// patterns, which `allOf` merging lowers again for every child.
    fn compiles(&mut self, pattern: &'d str) -> bool {
        *self.patterns.entry(pattern).or_insert_with(|| {
            regress::Regex::with_flags(pattern, "u").is_ok() || regress::Regex::new(pattern).is_ok()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::check::*;

    #[test]
    fn checkable_rules_are_kept_and_the_rest_left_to_the_server() {
        let outline = lowered(&with_schemas(
            r#"A:
  type: object
  properties:
    id: {type: string, minLength: 24, maxLength: 24, pattern: '^[0-9a-f]+$'}
    ahead: {type: string, pattern: '^(?=a)\p{L}'}
    broken: {type: string, pattern: '(['}
    count: {type: integer, minimum: 1, maximum: 500}
    open: {type: number, minimum: 0, exclusiveMinimum: true, maximum: 1}
    below: {type: number, maximum: 2.5, exclusiveMaximum: true}
    alone: {type: number, exclusiveMinimum: true}
    between: {type: integer, minimum: 0, exclusiveMinimum: true, maximum: 10, exclusiveMaximum: true}
"#,
        ));
        has_lines(
            &outline,
            r#"struct A (#/components/schemas/A)
  id: Option<String>, length >= 24, length <= 24, pattern "^[0-9a-f]+$"
  ahead: Option<String>, pattern "^(?=a)\\p{L}"
  broken: Option<String>
  count: Option<i64>, >= 1, <= 500
  open: Option<f64>, > 0, <= 1
  below: Option<f64>, < 2.5
  alone: Option<f64>
  between: Option<i64>, >= 1, <= 9
fallback #/components/schemas/A/properties/broken: the pattern `([` is no ECMA-262 regular expression; it is not checked before sending"#,
        );
    }
}
