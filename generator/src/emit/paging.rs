//! `stream()` of a paged list's request builder: every item of every page,
//! walked in the paging style the operation's `Paging` names (page
//! numbers, offsets, a cursor or the next page's URL).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::Docs;
use super::ident;
use super::types::{Context, type_tokens};
use crate::model::{Int, Operation, Paging, PagingStyle, Type};

/// `stream()`: every item of every page, for a paged list.
pub(super) fn stream_method(operation: &Operation, paging: &Paging, docs: &Docs) -> TokenStream {
    let item = type_tokens(&paging.item_type, Context::Elsewhere);
    let error = type_tokens(&operation.error_type, Context::Elsewhere);
    let (doc, body) = match &paging.style {
        PagingStyle::PageNumber {
            page_parameter,
            page_type,
            size_parameter,
            total_field,
        } => {
            let page = ident(page_parameter);
            let to_page = match page_type {
                Type::Int(Int::I64) => quote! { i64::from(page) },
                ty => {
                    let ty = type_tokens(ty, Context::Elsewhere);
                    quote! { #ty::try_from(page).unwrap_or(#ty::MAX) }
                }
            };
            let page_size = page_size(size_parameter.as_ref());
            let items = items(paging);
            let total = total(total_field.as_ref());
            let doc = format!(
                "Every item of every page, as a stream: pages are fetched one at a time, from `{}` (or\nthe page this builder sets), until the list's total is reached or a page comes back short.\nA failed page ends the stream with its error.",
                wire_name(operation, page_parameter)
            );
            let body = quote! {
                let first_page = self.#page.and_then(|page| u32::try_from(page).ok()).unwrap_or(1);
                let page_size = #page_size;
                crate::runtime::paging::items(first_page, page_size, move |page| {
                    let request = self.clone().#page(#to_page);
                    async move {
                        let page = request.send().await?.into_inner();
                        Ok(crate::runtime::paging::Page {
                            items: #items,
                            total: #total,
                        })
                    }
                })
            };
            (doc, body)
        }
        PagingStyle::OffsetLimit {
            offset_parameter,
            offset_type,
            limit_parameter,
            total_field,
        } => {
            let offset = ident(offset_parameter);
            let to_offset = match offset_type {
                Type::Int(Int::U64) => quote! { offset },
                ty => {
                    let ty = type_tokens(ty, Context::Elsewhere);
                    quote! { #ty::try_from(offset).unwrap_or(#ty::MAX) }
                }
            };
            let limit = page_size(limit_parameter.as_ref());
            let items = items(paging);
            let total = total(total_field.as_ref());
            let doc = format!(
                "Every item of every page, as a stream: pages are fetched one at a time, from `{}` 0 (or\nthe offset this builder sets) on by the items received, until the list's total is reached or\na page comes back short. A failed page ends the stream with its error.",
                wire_name(operation, offset_parameter)
            );
            let body = quote! {
                let first_offset = self.#offset.and_then(|offset| u64::try_from(offset).ok()).unwrap_or(0);
                let limit = #limit;
                crate::runtime::paging::by_offset(first_offset, limit, move |offset| {
                    let request = self.clone().#offset(#to_offset);
                    async move {
                        let page = request.send().await?.into_inner();
                        Ok(crate::runtime::paging::Page {
                            items: #items,
                            total: #total,
                        })
                    }
                })
            };
            (doc, body)
        }
        PagingStyle::Cursor {
            cursor_parameter,
            cursor_field,
        } => {
            let doc = format!(
                "Every item of every page, as a stream: pages are fetched one at a time, each with the\n`{cursor_parameter}` the previous one gave (`{}`), until a page gives none.\nA failed page ends the stream with its error.",
                field_path(cursor_field)
            );
            (doc, linked_stream(paging, &field_value(cursor_field)))
        }
        PagingStyle::NextLink {
            next_url_field: Some(field),
        } => {
            let doc = format!(
                "Every item of every page, as a stream: pages are fetched one at a time, each from the URL\nthe previous one gave (`{}`), until a page gives none.\nA failed page ends the stream with its error.",
                field_path(field)
            );
            (doc, linked_stream(paging, &field_value(field)))
        }
        PagingStyle::NextLink {
            next_url_field: None,
        } => {
            let doc = "Every item of every page, as a stream: pages are fetched one at a time, each from the URL\nof the previous one's `Link` header (`rel=\"next\"`), until a page has none.\nA failed page ends the stream with its error.".to_owned();
            let next = quote! { crate::runtime::paging::next_link(response.headers()) };
            (doc, linked_stream(paging, &next))
        }
    };
    let doc = docs.outer(&doc);
    quote! {
        #doc
        pub fn stream(self) -> impl futures_util::Stream<Item = Result<#item, Error<#error>>> + 'a {
            #body
        }
    }
}

/// The body of `stream()` for pages that name the next: `next` reads it
/// from `response` (headers and all) or from `page` (the body).
fn linked_stream(paging: &Paging, next: &TokenStream) -> TokenStream {
    let items = items(paging);
    let (response, page) = if paging_reads_headers(paging) {
        (
            quote! { let response = request.send_page(at).await?; let next = #next; let page = response.into_inner(); },
            quote! {},
        )
    } else {
        (
            quote! { let page = request.send_page(at).await?.into_inner(); },
            quote! { let next = #next; },
        )
    };
    quote! {
        crate::runtime::paging::linked(move |at| {
            let request = self.clone();
            async move {
                #response
                #page
                Ok(crate::runtime::paging::Linked {
                    items: #items,
                    next,
                })
            }
        })
    }
}

/// Whether the next page's URL comes from the `Link` header.
fn paging_reads_headers(paging: &Paging) -> bool {
    matches!(
        paging.style,
        PagingStyle::NextLink {
            next_url_field: None
        }
    )
}

/// The page's items, from the response body `page`.
fn items(paging: &Paging) -> TokenStream {
    match &paging.items_field {
        Some((name, true)) => {
            let name = ident(name);
            quote! { page.#name }
        }
        Some((name, false)) => {
            let name = ident(name);
            quote! { page.#name.unwrap_or_default() }
        }
        None => quote! { page },
    }
}

/// The page size a builder sets (or the server's default), as `usize`.
fn page_size(parameter: Option<&(String, Type, Option<i64>)>) -> TokenStream {
    match parameter {
        Some((name, _, default)) => {
            let name = ident(name);
            let fallback = default.map(|size| {
                let size = proc_macro2::Literal::i64_unsuffixed(size);
                quote! { .or(Some(#size)) }
            });
            quote! { self.#name #fallback.and_then(|size| usize::try_from(size).ok()) }
        }
        None => quote! { None },
    }
}

/// The list's total, from the response body `page`, as `Option<u64>`.
fn total(field: Option<&(String, Type, bool)>) -> TokenStream {
    match field {
        Some((name, _, true)) => {
            let name = ident(name);
            quote! { u64::try_from(page.#name).ok() }
        }
        Some((name, _, false)) => {
            let name = ident(name);
            quote! { page.#name.and_then(|total| u64::try_from(total).ok()) }
        }
        None => quote! { None },
    }
}

/// The string at `steps` in the response body `page`, as `Option<String>`:
/// fields that are no `Option` are reached directly, the rest through
/// `and_then` (or `map`, for a required field inside an optional one).
fn field_value(steps: &[(String, bool)]) -> TokenStream {
    let direct = steps
        .iter()
        .position(|(_, optional)| *optional)
        .unwrap_or(steps.len());
    let names: Vec<_> = steps.iter().map(|(name, _)| ident(name)).collect();
    let (leading, rest) = names.split_at(direct);
    let base = quote! { page #(.#leading)* };
    let Some((first, rest)) = rest.split_first() else {
        return quote! { Some(#base.clone()) };
    };
    if rest.is_empty() {
        return quote! { #base.#first.clone() };
    }
    let mut value = quote! { #base.#first.as_ref() };
    for ((_, optional), name) in steps[direct + 1..].iter().zip(rest) {
        value = match optional {
            true => quote! { #value.and_then(|value| value.#name.as_ref()) },
            false => quote! { #value.map(|value| &value.#name) },
        };
    }
    quote! { #value.cloned() }
}

/// `meta.next_cursor`: a field path in Rust names, for docs.
fn field_path(steps: &[(String, bool)]) -> String {
    let names: Vec<&str> = steps
        .iter()
        .map(|(name, _)| name.trim_start_matches("r#"))
        .collect();
    names.join(".")
}

/// The wire name of the parameter whose Rust name is `name`.
fn wire_name<'o>(operation: &'o Operation, name: &str) -> &'o str {
    operation
        .parameters
        .iter()
        .find(|parameter| parameter.name == name)
        .map_or("", |parameter| parameter.wire_name.as_str())
}
