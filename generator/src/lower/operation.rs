//! Operations: each path item's operations, once per API version, with
//! their names, path template, body and success response.

use std::collections::HashMap;

use openapiv3::{PathItem, ReferenceOr};

use super::refs::resolve_component;
use super::responses::Answer;
use super::versions::{choose_defaults, name_version_modules};
use super::{Lowerer, prose};
use crate::error::{Error, Pointer};
use crate::model::{
    Constraints, HttpMethod, Location, Operation, Parameter, RequestBody, SuccessResponse, Type,
    Version,
};
use crate::names::{
    self, RESERVED_BUILDER_NAMES, RESERVED_METHOD_NAMES, RESERVED_PARAMETER_NAMES, Scope,
};

impl<'d> Lowerer<'d> {
    pub(super) fn operations(&mut self) -> Result<Vec<Operation>, Error> {
        let mut method_names = Scope::with_reserved(RESERVED_METHOD_NAMES);
        let mut builder_names = Scope::with_reserved(RESERVED_BUILDER_NAMES);
        let mut ids = HashMap::new();
        let mut operations = Vec::new();
        for (path, item) in &self.doc.paths.paths {
            let at_path = Pointer::root().join("paths").join(path);
            let item: &PathItem = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { .. } => {
                    self.left_out(
                        &at_path,
                        "a `$ref` path item is not followed; left out".to_owned(),
                    );
                    continue;
                }
            };
            for (method, operation) in item.iter() {
                let at = at_path.join(method);
                let id = match &operation.operation_id {
                    Some(id) => id.clone(),
                    None => names::snake(&format!("{method} {path}"))
                        .trim_start_matches("r#")
                        .to_owned(),
                };
                if !self.conventions.subset.includes(&id, &operation.tags) {
                    continue;
                }
                if let Some(first) = ids.insert(id.clone(), at.clone()) {
                    return Err(Error::at(
                        &at.join("operationId"),
                        format!("operationId `{id}` is already used at {first}"),
                    ));
                }
                let name = self
                    .conventions
                    .operation_name_extension
                    .as_ref()
                    .and_then(|extension| operation.extensions.get(extension))
                    .and_then(serde_json::Value::as_str)
                    .filter(|name| !name.trim().is_empty())
                    .unwrap_or(&id);
                let context = OperationContext {
                    at_path: at_path.clone(),
                    method_name: method_names.claim(names::snake(name)),
                    builder_name: builder_names.claim(names::pascal(name)),
                    id,
                    path,
                    method,
                    at,
                };
                operations.extend(self.operation(context, operation, &item.parameters)?);
            }
        }
        name_version_modules(&mut operations, method_names);
        choose_defaults(&mut operations);
        Ok(operations)
    }

    /// The operation once per API version it is offered in (once if unversioned).
    fn operation(
        &mut self,
        context: OperationContext<'_>,
        operation: &'d openapiv3::Operation,
        path_parameters: &'d [ReferenceOr<openapiv3::Parameter>],
    ) -> Result<Vec<Operation>, Error> {
        let OperationContext {
            at_path,
            id,
            method_name,
            builder_name,
            path,
            method,
            at,
        } = context;
        let mut parameters =
            self.parameters(operation, (path_parameters, &at_path), &at, &builder_name)?;
        for (at, reason) in reconcile_path_template(path, &mut parameters, &at) {
            self.left_out(&at, reason);
        }
        let at_body = at.join("requestBody");
        let body = match &operation.request_body {
            Some(body) => {
                let requests = self.doc.components.as_ref().map(|c| &c.request_bodies);
                Some(resolve_component(
                    requests,
                    "requestBodies",
                    body,
                    &at_body,
                )?)
            }
            None => None,
        };
        let responses = self.responses(operation, &at, &builder_name)?;
        let security = self.operation_security(operation, &at);
        let followed = matches!(responses.answer, Answer::Redirect(..));
        let upgraded = matches!(responses.answer, Answer::Upgrade(_));
        let successes = responses
            .successes
            .iter()
            .map(|(status, response, at)| (*status, &response.content, at.join("content")))
            .collect();
        let choices = self.media_choices(
            body.map(|body| (&body.content, at_body.join("content"))),
            successes,
        );
        let several = choices.len() > 1;
        let mut lowered = Vec::with_capacity(choices.len());
        for choice in choices {
            // Inline schemas of different versions need names of their own.
            let hint = match (several, choice.label) {
                (true, Some(label)) => format!("{builder_name}{}", names::pascal(label)),
                _ => builder_name.clone(),
            };
            let request_body = match (body, &choice.body) {
                (Some(body), Some(media)) => {
                    let (ty, encoding) = self.request_media(media, &format!("{hint}Body"))?;
                    Some(RequestBody {
                        media_type: media.media_type.to_owned(),
                        description: prose(body.description.as_ref()),
                        ty,
                        required: body.required,
                        encoding,
                    })
                }
                _ => None,
            };
            let success_ty = match &choice.success {
                Some(media) => self.answer_type(media, &format!("{hint}Response"))?,
                // Whatever the redirect leads to, as it comes.
                None if followed => Some(Type::Bytes),
                None if upgraded => Some(Type::Upgraded),
                None => None,
            };
            let success_status = choice
                .success
                .as_ref()
                .map_or(responses.success_status, |media| media.status);
            let accept = match (&choice.success, &choice.body, choice.label) {
                (Some(media), ..) => media.media_type.to_owned(),
                // A versioned operation without a response body still names
                // its version in `Accept`, which is what the server routes on.
                (None, Some(media), Some(_)) => media.media_type.to_owned(),
                _ => responses
                    .error_media_type
                    .clone()
                    .unwrap_or_else(|| "*/*".to_owned()),
            };
            lowered.push(Operation {
                id: id.clone(),
                method_name: method_name.clone(),
                builder_name: builder_name.clone(),
                http_method: http_method(method),
                path: path.to_owned(),
                summary: prose(operation.summary.as_ref()),
                description: prose(operation.description.as_ref()),
                deprecated: operation.deprecated,
                parameters: parameters.clone(),
                body: request_body,
                success: SuccessResponse {
                    status: (success_status != 0).then_some(success_status),
                    description: responses.description.clone(),
                    followed,
                    stream_end: match success_ty {
                        Some(Type::EventStream(_)) => self.conventions.event_stream_end.clone(),
                        _ => None,
                    },
                    ty: success_ty,
                },
                accept,
                error_type: responses.error_type.clone(),
                paging: None,
                envelope_parameter: None,
                // Module names need every version and method name first;
                // `name_version_modules` fills them in.
                version: choice.label.map(|label| Version {
                    label: label.to_owned(),
                    module: String::new(),
                    preview: self.conventions.is_preview_version(label),
                }),
                is_default: false,
                security: security.clone(),
                tags: operation.tags.clone(),
                // `features::assign` sets them from the tags.
                features: Vec::new(),
            });
        }
        Ok(lowered)
    }
}

struct OperationContext<'p> {
    at_path: Pointer,
    id: String,
    method_name: String,
    builder_name: String,
    path: &'p str,
    method: &'p str,
    at: Pointer,
}

fn http_method(method: &str) -> HttpMethod {
    match method {
        "get" => HttpMethod::Get,
        "put" => HttpMethod::Put,
        "post" => HttpMethod::Post,
        "delete" => HttpMethod::Delete,
        "options" => HttpMethod::Options,
        "head" => HttpMethod::Head,
        "patch" => HttpMethod::Patch,
        _ => HttpMethod::Trace,
    }
}

/// Makes the path template and the path parameters agree, as their one
/// obvious meaning says, and returns a warning for each change: a `{name}`
/// without a declared parameter gets a required string parameter; a path
/// parameter the template does not have is not sent.
fn reconcile_path_template(
    path: &str,
    parameters: &mut Vec<Parameter>,
    at: &Pointer,
) -> Vec<(Pointer, String)> {
    let in_template = template_names(path);
    let mut warnings = Vec::new();
    parameters.retain(|parameter| {
        let kept = parameter.location != Location::Path
            || in_template.contains(&parameter.wire_name.as_str());
        if !kept {
            warnings.push((
                at.join("parameters"),
                format!(
                    "path parameter `{}` does not appear in the path; it is not sent",
                    parameter.wire_name
                ),
            ));
        }
        kept
    });
    let mut scope = Scope::with_reserved(RESERVED_PARAMETER_NAMES);
    for parameter in parameters.iter() {
        scope.claim(parameter.name.clone());
    }
    for name in in_template {
        let declared = parameters
            .iter()
            .any(|p| p.location == Location::Path && p.wire_name == name);
        if declared {
            continue;
        }
        warnings.push((
            at.clone(),
            format!("the path has `{{{name}}}` but declares no path parameter `{name}`; it is taken as a required string"),
        ));
        parameters.push(Parameter {
            name: scope.claim(names::snake(name)),
            wire_name: name.to_owned(),
            location: Location::Path,
            description: None,
            ty: Type::String,
            required: true,
            default: None,
            example: None,
            constraints: Constraints::default(),
        });
    }
    warnings
}

/// The `{name}` placeholders of a path template, in order.
fn template_names(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::check::*;

    const ANSWER: &str = "responses: {'204': {description: done}}";

    #[test]
    fn operations_are_named_by_id_or_by_method_and_path() {
        let outline = lowered(&with_paths(
            &format!(
                "/keys/{{keyId}}:
  parameters: [{{name: keyId, in: path, required: true, schema: {{type: string}}}}]
  delete: {{operationId: deleteKey, deprecated: true, {ANSWER}}}
  get: {{{ANSWER}}}
"
            ),
            "{}",
        ));
        has_lines(
            &outline,
            "operation deleteKey DELETE /keys/{keyId} -> delete_key/DeleteKey, default, deprecated
  Path parameter key_id: String (argument, as \"keyId\")
operation get_keys_key_id GET /keys/{keyId} -> get_keys_key_id/GetKeysKeyId, default",
        );
    }

    #[test]
    fn path_templates_and_parameters_are_made_to_agree_with_warnings() {
        let outline = lowered(&with_paths(
            &format!(
                "/keys/{{keyId}}:
  get: {{operationId: getKey, {ANSWER}}}
/keys:
  get:
    operationId: getKeys
    parameters: [{{name: keyId, in: path, required: true, schema: {{type: string}}}}]
    {ANSWER}
"
            ),
            "{}",
        ));
        has_lines(
            &outline,
            r#"operation getKey GET /keys/{keyId} -> get_key/GetKey, default
  Path parameter key_id: String (argument, as "keyId")
operation getKeys GET /keys -> get_keys/GetKeys, default
fallback #/paths/~1keys~1{keyId}/get: the path has `{keyId}` but declares no path parameter `keyId`; it is taken as a required string
fallback #/paths/~1keys/get/parameters: path parameter `keyId` does not appear in the path; it is not sent"#,
        );
    }

    #[test]
    fn two_operations_with_one_id_refuse_the_document() {
        let twice = refused(&with_paths(
            &format!(
                "/a:\n  get: {{operationId: x, {ANSWER}}}\n/b:\n  get: {{operationId: x, {ANSWER}}}\n"
            ),
            "{}",
        ));
        assert_eq!(twice.pointer, "#/paths/~1b/get/operationId");
        assert!(
            twice.message.contains("already used at #/paths/~1a/get"),
            "{twice}"
        );
    }
}
