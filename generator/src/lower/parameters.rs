//! Parameters: path-item and operation parameters merged, resolved and
//! typed.

use indexmap::IndexMap;
use openapiv3::{ParameterSchemaOrContent, ReferenceOr};

use super::refs::{SchemaRef, resolve_component};
use super::{Lowerer, prose};
use crate::error::{Error, Pointer};
use crate::model::{Location, Parameter};
use crate::names::{self, RESERVED_PARAMETER_NAMES, Scope};

impl<'d> Lowerer<'d> {
    /// Path-item parameters, then the operation's; an operation's parameter
    /// replaces a path item's of the same name and location.
    pub(super) fn parameters(
        &mut self,
        operation: &'d openapiv3::Operation,
        (path_parameters, at_path): (&'d [ReferenceOr<openapiv3::Parameter>], &Pointer),
        at: &Pointer,
        builder_name: &str,
    ) -> Result<Vec<Parameter>, Error> {
        let path_level = path_parameters
            .iter()
            .enumerate()
            .map(|(index, parameter)| (parameter, at_path.join("parameters").join(index)));
        let operation_level = operation
            .parameters
            .iter()
            .enumerate()
            .map(|(index, parameter)| (parameter, at.join("parameters").join(index)));

        let mut merged: IndexMap<(String, Location), (&'d openapiv3::Parameter, Pointer)> =
            IndexMap::new();
        for (parameter, at) in path_level.chain(operation_level) {
            let parameter = resolve_component(
                self.doc.components.as_ref().map(|c| &c.parameters),
                "parameters",
                parameter,
                &at,
            )?;
            let location = match parameter {
                openapiv3::Parameter::Path { .. } => Location::Path,
                openapiv3::Parameter::Query { .. } => Location::Query,
                openapiv3::Parameter::Header { .. } => Location::Header,
                openapiv3::Parameter::Cookie { .. } => {
                    // reqwest keeps no cookie jar here; the server sets
                    // cookies, a client does not choose them per call.
                    self.left_out(&at, "a cookie parameter is not sent; left out".to_owned());
                    continue;
                }
            };
            let name = parameter.parameter_data_ref().name.clone();
            merged.insert((name, location), (parameter, at));
        }

        let mut scope = Scope::with_reserved(RESERVED_PARAMETER_NAMES);
        let mut parameters = Vec::with_capacity(merged.len());
        for ((wire_name, location), (parameter, at)) in merged {
            let data = parameter.parameter_data_ref();
            let (schema, ty) = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    let schema = SchemaRef::from(schema);
                    let hint = format!("{builder_name}{}", names::pascal(&wire_name));
                    (
                        Some(schema),
                        self.type_of(schema, &at.join("schema"), &hint)?,
                    )
                }
                ParameterSchemaOrContent::Content(_) => (
                    None,
                    self.fallback(&at.join("content"), "a parameter serialised by media type"),
                ),
            };
            let resolved = schema.and_then(|schema| self.resolve(schema));
            let default = resolved
                .and_then(|schema| schema.schema_data.default.as_ref())
                .map(|value| value.to_string());
            let example = data
                .example
                .as_ref()
                .or_else(|| resolved.and_then(|schema| schema.schema_data.example.as_ref()))
                .map(|value| value.to_string());
            let constraints = schema
                .map(|schema| self.constraints(schema, &ty, &at.join("schema")))
                .unwrap_or_default();
            parameters.push(Parameter {
                name: scope.claim(names::snake(&wire_name)),
                wire_name,
                location,
                description: prose(data.description.as_ref()),
                ty,
                required: data.required || location == Location::Path,
                default,
                example,
                constraints,
            });
        }
        Ok(parameters)
    }
}

#[cfg(test)]
mod tests {
    use super::super::check::*;

    #[test]
    fn an_operations_parameter_replaces_its_path_items_and_cookies_are_left_out() {
        let outline = lowered(&with_paths(
            "/items:
  parameters:
    - {name: limit, in: query, schema: {type: integer}}
    - {name: trace, in: header, schema: {type: string}}
  get:
    operationId: list
    parameters:
      - {name: limit, in: query, required: true, schema: {type: integer, format: int32, default: 10}}
      - {name: session, in: cookie, schema: {type: string}}
      - {name: body, in: query, schema: {type: string}}
    responses: {'204': {description: done}}
",
            "{}",
        ));
        has_lines(
            &outline,
            r#"  Query parameter limit: i32 (argument, default 10)
  Header parameter trace: String (setter)
  Query parameter body2: String (setter, as "body")
fallback #/paths/~1items/get/parameters/1: a cookie parameter is not sent; left out"#,
        );
    }
}
