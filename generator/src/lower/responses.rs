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
        let mut redirects: Vec<(u16, &'d openapiv3::Response)> = Vec::new();
        let mut default = None;
        let mut upgrade = None;
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
            match code {
                200..300 => {
                    successes.push((code, response, at));
                    continue;
                }
                101 => upgrade = Some(response.description.clone()),
                300..400 => redirects.push((code, response)),
                0 => default = Some((response, at.clone())),
                _ => {}
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
        // media type says which status it comes with. Without any 2xx,
        // `default` is the success shape too (and stays the error shape);
        // then a redirect, which the client follows; then nothing.
        successes.sort_by_key(|(status, ..)| *status);
        redirects.sort_by_key(|(status, _)| *status);
        let mut answer = Answer::Documented;
        if successes.is_empty() {
            match (default, redirects.first()) {
                (Some((response, at)), _) => successes.push((0, response, at)),
                (None, Some(&(status, response))) => {
                    answer = Answer::Redirect(status, response.description.clone());
                }
                (None, None) => {
                    if let Some(description) = upgrade {
                        answer = Answer::Upgrade(description);
                    } else {
                        answer = Answer::Undocumented;
                    }
                }
            }
        }
        let (success_status, description) = match (successes.first(), &answer) {
            (Some((status, response, _)), _) => (*status, response.description.clone()),
            (None, Answer::Redirect(status, description)) => (*status, description.clone()),
            (None, Answer::Upgrade(description)) => (101, description.clone()),
            (None, _) => (0, String::new()),
        };
        let error_type = match <[Type; 1]>::try_from(error_types) {
            Ok([only]) => only,
            Err(_) => Type::Json,
        };
        Ok(Responses {
            success_status,
            description,
            successes,
            answer,
            error_type,
            error_media_type,
        })
    }
}

pub(super) struct Responses<'d> {
    /// The lowest documented success status, and its description.
    pub(super) success_status: u16,
    pub(super) description: String,
    /// What the call's success is when no 2xx (nor `default`) says.
    pub(super) answer: Answer,
    /// Every documented success response, by status (`default`, as 0, when
    /// it stands for them).
    pub(super) successes: Vec<(u16, &'d openapiv3::Response, Pointer)>,
    pub(super) error_type: Type,
    pub(super) error_media_type: Option<String>,
}

/// An operation's success, as its responses document it.
pub(super) enum Answer {
    /// A 2xx response, or `default` standing for all of them.
    Documented,
    /// Only a redirect (its status and description): followed.
    Redirect(u16, String),
    /// Only `101 Switching Protocols` (and its description): the
    /// connection changes protocol and is handed over.
    Upgrade(String),
    /// No success at all (only errors, or no responses).
    Undocumented,
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
    fn without_a_2xx_default_then_a_redirect_then_nothing_is_the_success() {
        let outline = lowered(&with_paths(
            "/default:
  get:
    operationId: byDefault
    responses:
      default: {description: any, content: {application/json: {schema: {type: integer}}}}
/moved:
  get:
    operationId: moved
    responses:
      '302': {description: elsewhere}
      '404': {description: no}
/errors:
  get:
    operationId: onlyErrors
    responses: {'404': {description: no}}
/socket:
  get:
    operationId: socket
    responses: {'101': {description: switching}}
",
            "{}",
        ));
        has_lines(
            &outline,
            "operation byDefault GET /default -> by_default/ByDefault, default
  answer any 2xx: i64, accepting application/json; errors i64
operation moved GET /moved -> moved/Moved, default
  answer 302, followed: Bytes, accepting */*; errors serde_json::Value
operation onlyErrors GET /errors -> only_errors/OnlyErrors, default
  answer any 2xx: (), accepting */*; errors serde_json::Value
operation socket GET /socket -> socket/Socket, default
  answer 101: reqwest::Upgraded, accepting */*; errors serde_json::Value",
        );
    }
}
