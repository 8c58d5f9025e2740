//! Media types: which of a body's and an answer's media types an
//! operation uses in each API version, and their types.

use std::collections::{BTreeMap, HashMap};

use indexmap::IndexMap;

use super::Lowerer;
use super::versions::version_label;
use crate::error::{Error, Pointer};
use crate::model::{Type, label_precedence};

impl<'d> Lowerer<'d> {
    /// The type of a JSON media type's schema; `None` when it has no schema.
    pub(super) fn json_type(
        &mut self,
        media: &Media<'d>,
        hint: &str,
    ) -> Result<Option<Type>, Error> {
        match &media.content.schema {
            Some(schema) => Ok(Some(self.type_of(
                schema.into(),
                &media.at.join("schema"),
                hint,
            )?)),
            None => Ok(None),
        }
    }

    /// The type of a success answer's media type, by how the client reads
    /// it: JSON decoded as its schema says, text as a `String`, binary
    /// bodies streamed, server-sent events as a stream of typed events.
    /// Other bodies (XML, …) are bytes, with a warning.
    pub(super) fn answer_type(
        &mut self,
        media: &Media<'d>,
        hint: &str,
    ) -> Result<Option<Type>, Error> {
        match media_kind(media.media_type) {
            MediaKind::Json => self.json_type(media, hint),
            MediaKind::Text => Ok(Some(Type::Text)),
            MediaKind::Binary => Ok(Some(Type::ByteStream)),
            MediaKind::EventStream => {
                let data = match &media.content.schema {
                    Some(schema) => {
                        let at = media.at.join("schema");
                        self.type_of(schema.into(), &at, &format!("{hint}Event"))?
                    }
                    None => Type::String,
                };
                Ok(Some(Type::EventStream(Box::new(data))))
            }
            MediaKind::Form | MediaKind::Multipart | MediaKind::Other => {
                self.left_out(
                    &media.at,
                    format!(
                        "the client cannot decode `{}` answers; the body is handed over as bytes",
                        media.media_type
                    ),
                );
                Ok(Some(Type::Bytes))
            }
        }
    }

    /// Pairs the request body's and the success responses' media types by
    /// API version (in the media-type extension the conventions name). Without versions there is one choice.
    /// A media type without a version takes that of another media type of
    /// the operation with the same name (request bodies often leave it out);
    /// one still without, and a version that lacks its body or its answer,
    /// is left out with a fallback warning. Among several media types of one
    /// version, JSON is preferred; the others are not offered.
    pub(super) fn media_choices(
        &mut self,
        body: Option<(&'d IndexMap<String, openapiv3::MediaType>, Pointer)>,
        successes: Vec<(u16, &'d IndexMap<String, openapiv3::MediaType>, Pointer)>,
    ) -> Vec<MediaChoice<'d>> {
        let conventions: &'d crate::Conventions = self.conventions;
        let extension = conventions.version_extension.as_deref();
        let entries =
            |content: &'d IndexMap<String, openapiv3::MediaType>, at: &Pointer, status| {
                content
                    .iter()
                    .map(move |(media_type, media)| Media {
                        media_type,
                        content: media,
                        at: at.join(media_type),
                        status,
                    })
                    .collect::<Vec<_>>()
            };
        let body_at = body.as_ref().map(|(_, at)| at.clone());
        let body_media = body
            .map(|(content, at)| entries(content, &at, 0))
            .unwrap_or_default();
        let success_at = successes.first().map(|(_, _, at)| at.clone());
        let success_media: Vec<Media<'d>> = successes
            .iter()
            .flat_map(|(status, content, at)| entries(content, at, *status))
            .collect();
        let versioned = body_media
            .iter()
            .chain(&success_media)
            .any(|media| version_label(media.content, extension).is_some());
        if !versioned {
            return vec![MediaChoice {
                label: None,
                body: preferred(body_media),
                success: preferred(success_media),
            }];
        }
        let known: HashMap<&str, &'d str> = body_media
            .iter()
            .chain(&success_media)
            .filter_map(|media| Some((media.media_type, version_label(media.content, extension)?)))
            .collect();
        let has_body = !body_media.is_empty();
        let has_success = !success_media.is_empty();
        let mut by_label = |media: Vec<Media<'d>>| {
            let mut grouped: BTreeMap<&'d str, Vec<Media<'d>>> = BTreeMap::new();
            for media in media {
                match version_label(media.content, extension)
                    .or_else(|| known.get(media.media_type).copied())
                {
                    Some(label) => grouped.entry(label).or_default().push(media),
                    None => {
                        self.left_out(
                            &media.at,
                            format!(
                                "`{}` names no API version, unlike the operation's other media types; left out",
                                media.media_type
                            ),
                        );
                    }
                }
            }
            grouped
        };
        let mut bodies = by_label(body_media);
        let mut answers = by_label(success_media);
        let mut labels: Vec<&'d str> = bodies.keys().chain(answers.keys()).copied().collect();
        labels.sort_by(|a, b| {
            let preview = |label| conventions.is_preview_version(label);
            label_precedence((a, preview(a)), (b, preview(b)))
        });
        labels.dedup();
        let mut choices = Vec::with_capacity(labels.len());
        for label in labels {
            let body = bodies.remove(label).and_then(preferred);
            let success = answers.remove(label).and_then(preferred);
            let missing = match (&body, &success) {
                (None, _) if has_body => Some(("request body", &body_at, "response")),
                (_, None) if has_success => Some(("success response", &success_at, "request body")),
                _ => None,
            };
            if let Some((side, at, other)) = missing {
                let at = at.clone().unwrap_or_else(Pointer::root);
                self.left_out(
                    &at,
                    format!(
                        "the {side} has no media type of API version `{label}`, which the {other} offers; that version is left out"
                    ),
                );
                continue;
            }
            choices.push(MediaChoice {
                label: Some(label),
                body,
                success,
            });
        }
        choices
    }
}

/// One media type of a body or response, and where it is.
pub(super) struct Media<'c> {
    pub(super) media_type: &'c str,
    pub(super) content: &'c openapiv3::MediaType,
    pub(super) at: Pointer,
    /// The response status it comes with (0 for a request body).
    pub(super) status: u16,
}

/// The media types an operation sends and accepts in one API version.
pub(super) struct MediaChoice<'c> {
    /// The version's label; `None` for an unversioned operation.
    pub(super) label: Option<&'c str>,
    pub(super) body: Option<Media<'c>>,
    pub(super) success: Option<Media<'c>>,
}

/// The media type a client should pick among several of one version: the
/// first JSON one (success media types come by status), else the first.
fn preferred(media: Vec<Media<'_>>) -> Option<Media<'_>> {
    let json = media.iter().position(|media| is_json(media.media_type));
    let mut media = media;
    match json {
        Some(index) => Some(media.swap_remove(index)),
        None => media.into_iter().next(),
    }
}

pub(super) fn is_json(media_type: &str) -> bool {
    media_kind(media_type) == MediaKind::Json
}

/// What a body of some media type is to the client: the one place that
/// decides how each media type is sent and read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MediaKind {
    /// `application/json` and any `+json` type: a typed value, as JSON.
    Json,
    /// `application/x-www-form-urlencoded`: a typed value, as form fields.
    Form,
    /// `multipart/form-data`: a typed value, as parts (files and text).
    Multipart,
    /// `text/event-stream`: server-sent events, read as they arrive.
    EventStream,
    /// Any other `text/*`: a string.
    Text,
    /// Bytes with no structure the client reads (`application/octet-stream`,
    /// images, audio, video, fonts, archives, PDF).
    Binary,
    /// A structured type the client cannot read (XML, YAML, …): raw bytes,
    /// with a warning.
    Other,
}

/// The kind of `media_type`, by its essence (type and subtype, parameters
/// ignored, case-insensitively).
pub(super) fn media_kind(media_type: &str) -> MediaKind {
    let essence = crate::media_type::essence(media_type);
    let (kind, subtype) = essence.split_once('/').unwrap_or((&essence, ""));
    match (kind, subtype) {
        ("application", "json") => MediaKind::Json,
        (_, subtype) if subtype.ends_with("+json") => MediaKind::Json,
        // Vendor types with a compression suffix (RFC 6839's `+zip`, RFC
        // 8460's `+gzip`) are archives; `+csv` (no registered suffix, but
        // plain in meaning) is text.
        (_, subtype) if subtype.ends_with("+gzip") || subtype.ends_with("+zip") => {
            MediaKind::Binary
        }
        ("application", subtype) if subtype.ends_with("+csv") => MediaKind::Text,
        ("application", "x-www-form-urlencoded") => MediaKind::Form,
        ("multipart", "form-data") => MediaKind::Multipart,
        ("text", "event-stream") => MediaKind::EventStream,
        ("text", _) => MediaKind::Text,
        ("image" | "audio" | "video" | "font", _) => MediaKind::Binary,
        ("application", "octet-stream" | "pdf" | "zip" | "gzip" | "x-gzip" | "x-tar" | "wasm") => {
            MediaKind::Binary
        }
        ("*", "*") => MediaKind::Binary,
        _ => MediaKind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::super::check::*;
    use super::{MediaKind, media_kind};

    #[test]
    fn media_types_are_classified_by_their_essence() {
        let cases = [
            ("application/json", MediaKind::Json),
            ("application/vnd.atom+json; version=2", MediaKind::Json),
            ("Application/JSON", MediaKind::Json),
            ("application/x-www-form-urlencoded", MediaKind::Form),
            ("multipart/form-data; boundary=x", MediaKind::Multipart),
            ("multipart/mixed", MediaKind::Other),
            ("text/event-stream", MediaKind::EventStream),
            ("text/plain; charset=utf-8", MediaKind::Text),
            ("text/csv", MediaKind::Text),
            ("image/png", MediaKind::Binary),
            ("application/octet-stream", MediaKind::Binary),
            ("*/*", MediaKind::Binary),
            ("application/vnd.x.2023-01-01+gzip", MediaKind::Binary),
            ("application/vnd.x+zip", MediaKind::Binary),
            ("application/vnd.x.2023-01-01+csv", MediaKind::Text),
            ("application/xml", MediaKind::Other),
            ("application/vnd.x+xml", MediaKind::Other),
            ("application/yaml", MediaKind::Other),
        ];
        for (media_type, kind) in cases {
            assert_eq!(media_kind(media_type), kind, "{media_type}");
        }
    }

    #[test]
    fn json_is_preferred_and_other_bodies_are_bytes() {
        let outline = lowered(&with_paths(
            "/report:
  post:
    operationId: upload
    requestBody:
      required: true
      content: {text/csv: {schema: {type: string}}}
    responses:
      '200':
        description: ok
        content:
          text/csv: {schema: {type: string}}
          application/vnd.x+json: {schema: {type: boolean}}
",
            "{}",
        ));
        has_lines(
            &outline,
            "  body text/csv: runtime::Body (argument)
  answer 200: bool, accepting application/vnd.x+json; errors serde_json::Value",
        );
    }

    #[test]
    fn answers_are_typed_by_how_the_client_reads_them() {
        let outline = lowered(&with_paths(
            "/a:
  get:
    operationId: report
    responses:
      '200': {description: ok, content: {text/csv: {schema: {type: string}}}}
/b:
  get:
    operationId: download
    responses:
      '200': {description: ok, content: {image/png: {schema: {type: string, format: binary}}}}
/c:
  get:
    operationId: ticks
    responses:
      '200': {description: ok, content: {text/event-stream: {schema: {$ref: '#/components/schemas/Tick'}}}}
/d:
  get:
    operationId: lines
    responses:
      '200': {description: ok, content: {text/event-stream: {}}}
/e:
  get:
    operationId: feed
    responses:
      '200': {description: ok, content: {application/atom+xml: {schema: {type: string}}}}
",
            "Tick: {type: object, properties: {n: {type: integer}}}",
        ));
        has_lines(
            &outline,
            "  answer 200: String (text), accepting text/csv; errors serde_json::Value",
        );
        has_lines(
            &outline,
            "  answer 200: ByteStream, accepting image/png; errors serde_json::Value",
        );
        has_lines(
            &outline,
            "  answer 200: EventStream<types::Tick> (until `[DONE]`), accepting text/event-stream; errors serde_json::Value",
        );
        has_lines(
            &outline,
            "  answer 200: EventStream<String> (until `[DONE]`), accepting text/event-stream; errors serde_json::Value",
        );
        has_lines(
            &outline,
            "  answer 200: Bytes, accepting application/atom+xml; errors serde_json::Value",
        );
        has_lines(
            &outline,
            "fallback #/paths/~1e/get/responses/200/content/application~1atom+xml: the client cannot decode `application/atom+xml` answers; the body is handed over as bytes",
        );
    }

    #[test]
    fn an_event_stream_ends_as_the_conventions_say() {
        let text = with_paths(
            "/c:
  get:
    operationId: ticks
    responses:
      '200': {description: ok, content: {text/event-stream: {schema: {type: string}}}}
",
            "{}",
        );
        let conventions = crate::Conventions {
            event_stream_end: None,
            ..crate::Conventions::default()
        };
        let outline = lowered_with(&text, &conventions).unwrap();
        has_lines(
            &outline,
            "  answer 200: EventStream<String>, accepting text/event-stream; errors serde_json::Value",
        );
    }
}
