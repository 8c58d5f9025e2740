//! Conventions OpenAPI cannot state, applied to lowered operations:
//! paging and the envelope parameter.

use std::collections::BTreeMap;

use crate::Conventions;
use crate::model::{Location, Operation, Paging, Type, TypeDef, TypeKind};

/// Finds the paging scheme and envelope parameter the conventions name.
pub(super) fn apply_conventions(
    operation: &mut Operation,
    types: &BTreeMap<String, TypeDef>,
    conventions: &Conventions,
) {
    let query = |wire: &str| {
        operation
            .parameters
            .iter()
            .find(|parameter| parameter.location == Location::Query && parameter.wire_name == wire)
    };
    operation.envelope_parameter = conventions
        .envelope_parameter
        .as_deref()
        .and_then(&query)
        .filter(|parameter| parameter.ty == Type::Boolean)
        .map(|parameter| parameter.name.clone());
    let Some(convention) = &conventions.paging else {
        return;
    };
    let integer = |ty: &Type| matches!(ty, Type::Int(_));
    let Some(page) = query(&convention.page_parameter).filter(|p| integer(&p.ty)) else {
        return;
    };
    let Some(Type::Named(response)) = &operation.success.ty else {
        return;
    };
    let Some(TypeKind::Struct(fields)) = types.get(response).map(|def| &def.kind) else {
        return;
    };
    let field = |wire: &str| fields.iter().find(|field| field.wire_name == wire);
    let Some(items) = field(&convention.items_field) else {
        return;
    };
    let Type::Array(item_type) = &items.ty else {
        return;
    };
    let size = query(&convention.size_parameter)
        .filter(|p| integer(&p.ty))
        .map(|p| {
            (
                p.name.clone(),
                p.ty.clone(),
                p.default.as_deref().and_then(|text| text.parse().ok()),
            )
        });
    let total = field(&convention.total_field)
        .filter(|field| integer(&field.ty))
        .map(|field| {
            (
                field.name.clone(),
                field.ty.clone(),
                field.required && !field.nullable,
            )
        });
    operation.paging = Some(Paging {
        page_parameter: page.name.clone(),
        page_type: page.ty.clone(),
        size_parameter: size,
        items_field: items.name.clone(),
        items_required: items.required && !items.nullable,
        item_type: (**item_type).clone(),
        total_field: total,
    });
}

#[cfg(test)]
mod tests {
    use super::super::check::*;
    use crate::{Conventions, PagingConvention};

    #[test]
    fn paging_and_the_envelope_are_found_by_their_wire_names() {
        let conventions = Conventions {
            paging: Some(PagingConvention {
                page_parameter: "pageNum".to_owned(),
                size_parameter: "itemsPerPage".to_owned(),
                items_field: "results".to_owned(),
                total_field: "totalCount".to_owned(),
            }),
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
}
