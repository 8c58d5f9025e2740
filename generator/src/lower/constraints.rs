//! Constraints: the rules of a scalar schema that a generated `validate`
//! checks before sending.

use openapiv3::SchemaKind;

use super::Lowerer;
use super::refs::SchemaRef;
use crate::model::{Constraints, Type};

impl<'d> Lowerer<'d> {
    /// The checkable rules of a scalar schema. Patterns the `regex` crate
    /// cannot compile (ECMA-262 lookaround, say) are left to the server.
    pub(super) fn constraints(&mut self, schema: SchemaRef<'d>, ty: &Type) -> Constraints {
        let Some(schema) = self.resolve(schema) else {
            return Constraints::default();
        };
        match (&schema.schema_kind, ty) {
            (SchemaKind::Type(openapiv3::Type::String(string)), Type::String) => Constraints {
                min_length: string.min_length,
                max_length: string.max_length,
                pattern: string
                    .pattern
                    .as_deref()
                    .filter(|pattern| self.compiles(pattern))
                    .map(str::to_owned),
                ..Constraints::default()
            },
            (SchemaKind::Type(openapiv3::Type::Integer(integer)), Type::I32 | Type::I64) => {
                Constraints {
                    minimum: integer
                        .minimum
                        .filter(|_| !integer.exclusive_minimum)
                        .map(|bound| bound as f64),
                    maximum: integer
                        .maximum
                        .filter(|_| !integer.exclusive_maximum)
                        .map(|bound| bound as f64),
                    ..Constraints::default()
                }
            }
            (SchemaKind::Type(openapiv3::Type::Number(number)), Type::F32 | Type::F64) => {
                Constraints {
                    minimum: number.minimum.filter(|_| !number.exclusive_minimum),
                    maximum: number.maximum.filter(|_| !number.exclusive_maximum),
                    ..Constraints::default()
                }
            }
            _ => Constraints::default(),
        }
    }

    /// Whether the `regex` crate compiles `pattern`. Remembered: compiling is
    /// costly (Unicode classes most), and specs repeat their patterns, which
    /// `allOf` merging lowers again for every child.
    fn compiles(&mut self, pattern: &'d str) -> bool {
        *self
            .patterns
            .entry(pattern)
            .or_insert_with(|| regex::Regex::new(pattern).is_ok())
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
    ahead: {type: string, pattern: '^(?=a)'}
    count: {type: integer, minimum: 1, maximum: 500}
    open: {type: number, minimum: 0, exclusiveMinimum: true, maximum: 1}
"#,
        ));
        has_lines(
            &outline,
            r#"struct A (#/components/schemas/A)
  id: Option<String>, length >= 24, length <= 24, pattern "^[0-9a-f]+$"
  ahead: Option<String>
  count: Option<i64>, >= 1, <= 500
  open: Option<f64>, <= 1"#,
        );
    }
}
