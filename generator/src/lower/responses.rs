//! Responses: the success statuses and their content, and the error type.

use openapiv3::StatusCode;

use super::Lowerer;
use super::media::is_json;
use super::refs::resolve_component;
use crate::error::{Error, Pointer};
use crate::model::Type;

impl<'d> Lowerer<'d> {
    pub(super) fn responses(
        &mut self,
        operation: &'d openapiv3::Operation,
        at: &Pointer,
        builder_name: &str,
    ) -> Result<Responses<'d>, Error> {
        let at = at.join("responses");
        let components = self.doc.components.as_ref().map(|c| &c.responses);
        let mut successes: Vec<(u16, &'d openapiv3::Response, Pointer)> = Vec::new();
        let mut error_types = Vec::new();
        let mut error_media_type = None;
        let all = operation
            .responses
            .responses
            .iter()
            .map(|(status, response)| (Some(status), response));
        for (status, response) in all.chain(operation.responses.default.iter().map(|r| (None, r))) {
            let at = at.join(status.map_or_else(|| "default".to_owned(), ToString::to_string));
            let response = resolve_component(components, "responses", response, &at)?;
            let code = match status {
                Some(StatusCode::Code(code)) => *code,
                Some(StatusCode::Range(range)) => range * 100,
                None => 0,
            };
            if (200..300).contains(&code) {
                successes.push((code, response, at));
                continue;
            }
            if code != 0 && code < 400 {
                continue;
            }
            // Errors are decoded when they are JSON; other error bodies are
            // kept as bytes in the error.
            if let Some((media_type, content)) = response
                .content
                .iter()
                .find(|(media_type, _)| is_json(media_type))
            {
                error_media_type.get_or_insert_with(|| media_type.clone());
                if let Some(schema) = &content.schema {
                    let at = at.join("content").join(media_type).join("schema");
                    let ty = self.type_of(schema.into(), &at, &format!("{builder_name}Error"))?;
                    if !error_types.contains(&ty) {
                        error_types.push(ty);
                    }
                }
            }
        }
        // The lowest documented 2xx is the one described; each version's
        // media type says which status it comes with.
        successes.sort_by_key(|(status, ..)| *status);
        let Some((success_status, lowest, _)) = successes.first() else {
            return Err(Error::at(&at, "no success (2xx) response is documented"));
        };
        let (success_status, description) = (*success_status, lowest.description.clone());
        let error_type = match <[Type; 1]>::try_from(error_types) {
            Ok([only]) => only,
            Err(_) => Type::Json,
        };
        Ok(Responses {
            success_status,
            description,
            successes,
            error_type,
            error_media_type,
        })
    }
}

pub(super) struct Responses<'d> {
    /// The lowest documented success status, and its description.
    pub(super) success_status: u16,
    pub(super) description: String,
    /// Every documented success response, by status.
    pub(super) successes: Vec<(u16, &'d openapiv3::Response, Pointer)>,
    pub(super) error_type: Type,
    pub(super) error_media_type: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::super::check::*;

    #[test]
    fn the_lowest_success_is_the_answer_and_json_errors_the_error_type() {
        let outline = lowered(&with_paths(
            "/a:
  get:
    operationId: get
    responses:
      '201': {description: made, content: {application/json: {schema: {type: string}}}}
      '200': {description: ok, content: {application/json: {schema: {type: integer}}}}
      '404': {description: no, content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}}
",
            "Problem: {type: object, properties: {detail: {type: string}}}",
        ));
        has_lines(
            &outline,
            "  answer 200: i64, accepting application/json; errors types::Problem",
        );
    }

    #[test]
    fn an_operation_without_a_success_is_refused() {
        let error = refused(&with_paths(
            "/a:\n  get: {responses: {'404': {description: no}}}\n",
            "{}",
        ));
        assert_eq!(error.pointer, "#/paths/~1a/get/responses");
    }
}
