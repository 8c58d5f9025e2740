//! Conventions OpenAPI cannot state, applied to lowered operations:
//! paging and the envelope parameter. An operation pages in the first
//! declared style whose parameters and fields it has, with the types they
//! need (integers, strings, an array of items).

use std::collections::BTreeMap;

use crate::Conventions;
use crate::config::{Cursor, NextLink, OffsetLimit, PageNumber};
use crate::model::{
    Field, HttpMethod, Location, Operation, Paging, PagingStyle, Parameter, Type, TypeDef, TypeKind,
};

/// Finds the paging style and envelope parameter the conventions name.
pub(super) fn apply_conventions(
    operation: &mut Operation,
    types: &BTreeMap<String, TypeDef>,
    conventions: &Conventions,
) {
    operation.envelope_parameter = conventions
        .envelope_parameter
        .as_deref()
        .and_then(|wire| query(operation, wire))
        .filter(|parameter| parameter.ty == Type::Boolean)
        .map(|parameter| parameter.name.clone());
    // Each page is the request sent again with another position: only
    // safe for a read. A POST that answers with a page of what it changed
    // is no list to walk.
    if operation.http_method != HttpMethod::Get {
        operation.paging = None;
        return;
    }
    let found = Found { operation, types };
    let paging = &conventions.paging;
    let paging = (paging
        .page_number
        .iter()
        .find_map(|style| found.page_number(style)))
    .or_else(|| {
        paging
            .offset_limit
            .iter()
            .find_map(|style| found.offset_limit(style))
    })
    .or_else(|| paging.cursor.iter().find_map(|style| found.cursor(style)))
    .or_else(|| paging.link.iter().find_map(|style| found.link(style)));
    operation.paging = paging;
}

/// The query parameter with the wire name `wire`.
fn query<'o>(operation: &'o Operation, wire: &str) -> Option<&'o Parameter> {
    operation
        .parameters
        .iter()
        .find(|parameter| parameter.location == Location::Query && parameter.wire_name == wire)
}

/// What a paging style looks for in one operation.
struct Found<'a> {
    operation: &'a Operation,
    types: &'a BTreeMap<String, TypeDef>,
}

/// A parameter's Rust name, type and integer default.
type SizeParameter = (String, Type, Option<i64>);

impl Found<'_> {
    /// An optional integer query parameter (a builder setter).
    fn integer(&self, wire: &str) -> Option<&Parameter> {
        query(self.operation, wire).filter(|p| matches!(p.ty, Type::Int(_)) && !p.is_argument())
    }

    fn sized(&self, wire: Option<&str>) -> Option<SizeParameter> {
        let parameter = self.integer(wire?)?;
        let default = parameter
            .default
            .as_deref()
            .and_then(|text| text.parse().ok());
        Some((parameter.name.clone(), parameter.ty.clone(), default))
    }

    /// The fields of the struct `ty` names.
    fn fields(&self, ty: &Type) -> Option<&[Field]> {
        let Type::Named(name) = ty else {
            return None;
        };
        match &self.types.get(name)?.kind {
            TypeKind::Struct(fields) => Some(fields),
            _ => None,
        }
    }

    /// The response's fields, when it is an object.
    fn response(&self) -> Option<&[Field]> {
        self.fields(self.operation.success.ty.as_ref()?)
    }

    /// The field at a dotted `path` of the response, each step's Rust name
    /// and whether it is an `Option`, and the last step's type.
    fn path(&self, path: &str) -> Option<(Vec<(String, bool)>, &Type)> {
        let mut fields = self.response()?;
        let mut steps = Vec::new();
        let mut wires = path.split('.').peekable();
        while let Some(wire) = wires.next() {
            let field = fields.iter().find(|field| field.wire_name == wire)?;
            steps.push((field.name.clone(), field.is_optional()));
            if wires.peek().is_none() {
                return Some((steps, &field.ty));
            }
            fields = self.fields(&field.ty)?;
        }
        None
    }

    /// The integer total field of the response, if it has one.
    fn total(&self, wire: Option<&str>) -> Option<(String, Type, bool)> {
        let field = self
            .response()?
            .iter()
            .find(|f| Some(f.wire_name.as_str()) == wire)?;
        matches!(field.ty, Type::Int(_))
            .then(|| (field.name.clone(), field.ty.clone(), !field.is_optional()))
    }

    /// A page of `style` with the items in the response field `wire` (an array).
    fn with_items(&self, wire: &str, style: PagingStyle) -> Option<Paging> {
        let field = self
            .response()?
            .iter()
            .find(|field| field.wire_name == wire)?;
        let Type::Array(item_type) = &field.ty else {
            return None;
        };
        Some(Paging {
            style,
            items_field: Some((field.name.clone(), !field.is_optional())),
            item_type: (**item_type).clone(),
        })
    }

    fn page_number(&self, style: &PageNumber) -> Option<Paging> {
        let page = self.integer(&style.page_parameter)?;
        let paging = PagingStyle::PageNumber {
            page_parameter: page.name.clone(),
            page_type: page.ty.clone(),
            size_parameter: self.sized(style.size_parameter.as_deref()),
            total_field: self.total(style.total_field.as_deref()),
        };
        self.with_items(&style.items_field, paging)
    }

    fn offset_limit(&self, style: &OffsetLimit) -> Option<Paging> {
        let offset = self.integer(&style.offset_parameter)?;
        let paging = PagingStyle::OffsetLimit {
            offset_parameter: offset.name.clone(),
            offset_type: offset.ty.clone(),
            limit_parameter: self.sized(style.limit_parameter.as_deref()),
            total_field: self.total(style.total_field.as_deref()),
        };
        self.with_items(&style.items_field, paging)
    }

    fn cursor(&self, style: &Cursor) -> Option<Paging> {
        query(self.operation, &style.cursor_parameter)
            .filter(|p| p.ty == Type::String && !p.is_argument())?;
        let (cursor_field, Type::String) = self.path(&style.cursor_field)? else {
            return None;
        };
        let paging = PagingStyle::Cursor {
            cursor_parameter: style.cursor_parameter.clone(),
            cursor_field,
        };
        self.with_items(&style.items_field, paging)
    }

    fn link(&self, style: &NextLink) -> Option<Paging> {
        let next_url_field = match &style.next_url_field {
            Some(path) => match self.path(path)? {
                (steps, Type::String) => Some(steps),
                _ => return None,
            },
            None => None,
        };
        let paging = PagingStyle::NextLink { next_url_field };
        match &style.items_field {
            Some(wire) => self.with_items(wire, paging),
            None => match self.operation.success.ty.as_ref()? {
                Type::Array(item_type) => Some(Paging {
                    style: paging,
                    items_field: None,
                    item_type: (**item_type).clone(),
                }),
                _ => None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::check::*;
    use crate::{Conventions, Cursor, NextLink, OffsetLimit, PageNumber, Paging};

    #[test]
    fn paging_and_the_envelope_are_found_by_their_wire_names() {
        let conventions = Conventions {
            paging: Paging {
                page_number: vec![PageNumber {
                    page_parameter: "pageNum".to_owned(),
                    size_parameter: Some("itemsPerPage".to_owned()),
                    items_field: "results".to_owned(),
                    total_field: Some("totalCount".to_owned()),
                }],
                ..Paging::default()
            },
            envelope_parameter: Some("envelope".to_owned()),
            ..Conventions::default()
        };
        let text = with_paths(
            "/things:
  get:
    operationId: list
    parameters:
      - {name: pageNum, in: query, schema: {type: integer, format: int32}}
      - {name: itemsPerPage, in: query, schema: {type: integer, format: int32, default: 100}}
      - {name: envelope, in: query, schema: {type: boolean}}
    responses:
      '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Page'}}}}
",
            "Page: {type: object, properties: {results: {type: array, items: {type: string}}, totalCount: {type: integer}}}",
        );
        let outline = lowered_with(&text, &conventions).unwrap();
        has_lines(
            &outline,
            "  pages by page_num, items in results: String, size items_per_page, total total_count
  envelope envelope",
        );
        let plain = lowered(&text);
        assert!(
            !plain.contains("pages by") && !plain.contains("envelope envelope"),
            "{plain}"
        );
    }

    fn conventions(text: &str) -> Conventions {
        crate::config::parse(text).unwrap()
    }

    /// A `GET /things` with the query parameters `parameters` (YAML flow
    /// maps) answering `response` (a schema).
    fn list(parameters: &[&str], response: &str) -> String {
        with_paths(
            &format!(
                "/things:
  get:
    operationId: list
    parameters: [{}]
    responses:
      '200': {{description: ok, content: {{application/json: {{schema: {response}}}}}}}
",
                parameters.join(", ")
            ),
            "Meta: {type: object, properties: {next_cursor: {type: string, nullable: true}, next: {type: string}}}",
        )
    }

    fn string(name: &str) -> String {
        format!("{{name: {name}, in: query, schema: {{type: string}}}}")
    }

    fn integer(name: &str) -> String {
        format!("{{name: {name}, in: query, schema: {{type: integer}}}}")
    }

    #[test]
    fn offset_and_limit_with_an_optional_total() {
        let config = conventions(
            "[[paging.offset_limit]]\noffset_parameter = \"offset\"\nlimit_parameter = \"limit\"\nitems_field = \"items\"\ntotal_field = \"total\"\n",
        );
        let (offset, limit) = (integer("offset"), integer("limit"));
        let paged = list(
            &[&offset, &limit],
            "{type: object, required: [items], properties: {items: {type: array, items: {type: integer}}, total: {type: integer}}}",
        );
        has_lines(
            &lowered_with(&paged, &config).unwrap(),
            "  pages by offset offset, items in items: i64, limit limit, total total",
        );
        let no_total = list(
            &[&offset],
            "{type: object, properties: {items: {type: array, items: {type: integer}}}}",
        );
        has_lines(
            &lowered_with(&no_total, &config).unwrap(),
            "  pages by offset offset, items in items: i64",
        );
        // The items field must be an array.
        let not_a_list = list(
            &[&offset],
            "{type: object, properties: {items: {type: string}}}",
        );
        assert!(
            !lowered_with(&not_a_list, &config)
                .unwrap()
                .contains("pages by")
        );
    }

    #[test]
    fn cursors_are_found_through_nested_objects() {
        let config = conventions(
            "[[paging.cursor]]\ncursor_parameter = \"cursor\"\ncursor_field = \"meta.next_cursor\"\nitems_field = \"data\"\n\n[[paging.cursor]]\ncursor_parameter = \"page_token\"\ncursor_field = \"next_page_token\"\nitems_field = \"data\"\n",
        );
        let nested = list(
            &[&string("cursor")],
            "{type: object, properties: {data: {type: array, items: {type: string}}, meta: {$ref: '#/components/schemas/Meta'}}}",
        );
        has_lines(
            &lowered_with(&nested, &config).unwrap(),
            "  pages by cursor cursor from meta.next_cursor, items in data: String",
        );
        let second_style = list(
            &[&string("page_token")],
            "{type: object, properties: {data: {type: array, items: {type: string}}, next_page_token: {type: string}}}",
        );
        has_lines(
            &lowered_with(&second_style, &config).unwrap(),
            "  pages by cursor page_token from next_page_token, items in data: String",
        );
        // An integer cursor parameter is not the style's.
        let wrong_type = list(
            &[&integer("cursor")],
            "{type: object, properties: {data: {type: array, items: {type: string}}, meta: {$ref: '#/components/schemas/Meta'}}}",
        );
        assert!(
            !lowered_with(&wrong_type, &config)
                .unwrap()
                .contains("pages by")
        );
    }

    #[test]
    fn links_in_the_header_or_the_body() {
        let config = conventions(
            "[[paging.link]]\nitems_field = \"items\"\nnext_url_field = \"meta.next\"\n\n[[paging.link]]\n",
        );
        let in_body = list(
            &[],
            "{type: object, properties: {items: {type: array, items: {type: boolean}}, meta: {$ref: '#/components/schemas/Meta'}}}",
        );
        has_lines(
            &lowered_with(&in_body, &config).unwrap(),
            "  pages by the URL in meta.next, items in items: bool",
        );
        let array = list(&[], "{type: array, items: {type: boolean}}");
        has_lines(
            &lowered_with(&array, &config).unwrap(),
            "  pages by the Link header, items in the body: bool",
        );
        let neither = list(&[], "{type: object, properties: {other: {type: string}}}");
        assert!(
            !lowered_with(&neither, &config)
                .unwrap()
                .contains("pages by")
        );
    }

    #[test]
    fn only_a_get_pages() {
        let config = conventions(
            "[[paging.page_number]]\npage_parameter = \"page\"\nitems_field = \"items\"\n",
        );
        let post = list(
            &[&integer("page")],
            "{type: object, properties: {items: {type: array, items: {type: string}}}}",
        )
        .replace("  get:\n", "  post:\n");
        let outline = lowered_with(&post, &config).unwrap();
        assert!(
            outline.contains("POST /things") && !outline.contains("pages by"),
            "{outline}"
        );
    }

    #[test]
    fn the_first_declared_style_that_matches_wins() {
        let config = Conventions {
            paging: Paging {
                page_number: vec![PageNumber {
                    page_parameter: "page".to_owned(),
                    size_parameter: None,
                    items_field: "items".to_owned(),
                    total_field: None,
                }],
                offset_limit: vec![OffsetLimit {
                    offset_parameter: "offset".to_owned(),
                    limit_parameter: None,
                    items_field: "items".to_owned(),
                    total_field: None,
                }],
                cursor: vec![Cursor {
                    cursor_parameter: "after".to_owned(),
                    cursor_field: "next".to_owned(),
                    items_field: "items".to_owned(),
                }],
                link: vec![NextLink {
                    items_field: Some("items".to_owned()),
                    next_url_field: None,
                }],
            },
            ..Conventions::default()
        };
        let response = "{type: object, properties: {items: {type: array, items: {type: string}}, next: {type: string}}}";
        let (page, offset, after) = (integer("page"), integer("offset"), string("after"));
        for (parameters, line) in [
            (
                vec![&page, &offset],
                "  pages by page, items in items: String",
            ),
            (
                vec![&offset, &after],
                "  pages by offset offset, items in items: String",
            ),
            (
                vec![&after],
                "  pages by cursor after from next, items in items: String",
            ),
            (vec![], "  pages by the Link header, items in items: String"),
        ] {
            let parameters: Vec<&str> = parameters.into_iter().map(String::as_str).collect();
            has_lines(
                &lowered_with(&list(&parameters, response), &config).unwrap(),
                line,
            );
        }
    }
}
