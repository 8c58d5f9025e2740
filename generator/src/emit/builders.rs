//! Request builders: one per operation (and version), holding its
//! arguments, with a setter per optional parameter, the checks made before
//! sending and the send itself (`stream()` of a paged list is in `paging.rs`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::Docs;
use super::paging::stream_method;
use super::types::{Context, type_tokens};
use super::validation::{checks, has_checks};
use super::{docs, gate, ident};
use crate::model::{
    Api, BodyEncoding, FormEncoding, Location, MultipartPart, Operation, PagingStyle, Parameter,
    RequestBody, Type,
};

/// The builder of `operation`, in a module compiled under `enclosing`.
pub(super) fn builder(
    operation: &Operation,
    api: &Api,
    enclosing: &[String],
    docs: &Docs,
) -> TokenStream {
    let validated = |name: &str| api.is_validated(name);
    let name = format_ident!("{}", operation.builder_name);
    let method = &operation.method_name;
    // Versions that share the builder make it from their own modules.
    let shared = api.builder_is_shared(operation);
    let visibility = shared.then(|| quote! { pub(crate) });
    let fields = operation.parameters.iter().map(|parameter| {
        let name = ident(&parameter.name);
        let ty = parameter_type(&parameter.ty);
        if parameter.is_argument() {
            quote! { #visibility #name: #ty, }
        } else {
            quote! { #visibility #name: Option<#ty>, }
        }
    });
    let media_field = shared.then(|| {
        quote! {
            /// The media types of the version this request is sent in.
            pub(crate) media: crate::runtime::VersionMedia,
        }
    });
    let body_field = operation.body.as_ref().map(|body| {
        let ty = type_tokens(&body.ty, Context::Elsewhere);
        let ty = match body.is_owned() {
            true => ty,
            false => quote! { &'a #ty },
        };
        if body.is_argument() {
            quote! { #visibility body: #ty, }
        } else {
            quote! { #visibility body: Option<#ty>, }
        }
    });
    let setters = operation
        .parameters
        .iter()
        .filter(|p| !p.is_argument())
        .map(|parameter| setter(parameter, docs));
    let body_setter = operation
        .body
        .as_ref()
        .filter(|body| !body.is_argument())
        .map(|body| {
            let ty = type_tokens(&body.ty, Context::Elsewhere);
            let doc = docs.outer(
                body.description
                    .as_deref()
                    .unwrap_or("Sets the request body."),
            );
            if body.is_owned() {
                return quote! {
                    #doc
                    pub fn body(mut self, body: impl Into<#ty>) -> Self {
                        self.body = Some(body.into());
                        self
                    }
                };
            }
            quote! {
                #doc
                pub fn body(mut self, body: &'a #ty) -> Self {
                    self.body = Some(body);
                    self
                }
            }
        });
    let output = output_type(operation);
    let answer = answer_type(operation);
    let send = send_methods(operation, &answer, shared, &validated, docs);
    let stream = operation
        .paging
        .as_ref()
        .map(|paging| stream_method(operation, paging, docs));
    let made_by = if operation.version.is_some() {
        "Operations"
    } else {
        "Client"
    };
    let doc = format!(
        " A request built by [`{made_by}::{}`]: set optional parameters, then `.await` it.",
        method.trim_start_matches("r#")
    );
    let doc = docs.line(&doc);
    let cfg = gate::within(&operation.features, enclosing);
    quote! {
        #doc
        #cfg
        #[derive(Clone, Debug)]
        #[must_use = "a request does nothing until it is awaited"]
        pub struct #name<'a> {
            #visibility client: &'a Client,
            #(#fields)*
            #body_field
            #media_field
        }

        #cfg
        impl<'a> #name<'a> {
            #(#setters)*
            #body_setter

            #send

            #stream
        }

        #cfg
        impl<'a> IntoFuture for #name<'a> {
            type Output = #output;
            type IntoFuture = Sending<'a, #answer>;

            fn into_future(self) -> Self::IntoFuture {
                self.send()
            }
        }
    }
}

fn setter(parameter: &Parameter, docs: &Docs) -> TokenStream {
    let name = ident(&parameter.name);
    let ty = parameter_type(&parameter.ty);
    let default = parameter
        .default
        .as_ref()
        .map(|value| format!("The server's default is `{value}`."));
    let doc = docs.outer(&docs::paragraphs([
        parameter.description.as_deref(),
        default.as_deref(),
    ]));
    let doc = if doc.is_empty() {
        docs.line(&format!(" Sets `{}`.", parameter.wire_name))
    } else {
        doc
    };
    quote! {
        #doc
        pub fn #name(mut self, value: #ty) -> Self {
            self.#name = Some(value);
            self
        }
    }
}

fn output_type(operation: &Operation) -> TokenStream {
    let success = match &operation.success.ty {
        Some(ty) => type_tokens(ty, Context::Elsewhere),
        None => quote! { () },
    };
    let error = type_tokens(&operation.error_type, Context::Elsewhere);
    quote! { Result<ApiResponse<#success>, Error<#error>> }
}

/// Checks of the parameters and the body, before anything is sent.
fn input_checks(operation: &Operation, validated: &dyn Fn(&str) -> bool) -> TokenStream {
    let parameters = operation.parameters.iter().map(|parameter| {
        if !has_checks(&parameter.ty, &parameter.constraints) {
            return quote! {};
        }
        let name = ident(&parameter.name);
        let wire = &parameter.wire_name;
        if parameter.is_argument() {
            checks(
                wire,
                &quote! { self.#name },
                &parameter.ty,
                &parameter.constraints,
            )
        } else {
            let checks = checks(
                wire,
                &quote! { value },
                &parameter.ty,
                &parameter.constraints,
            );
            quote! { if let Some(value) = self.#name { #checks } }
        }
    });
    let body = operation.body.as_ref().and_then(|body| {
        let Type::Named(name) = &body.ty else {
            return None;
        };
        if !validated(name) {
            return None;
        }
        Some(if body.is_argument() {
            quote! { self.body.validate()?; }
        } else {
            quote! {
                if let Some(body) = self.body {
                    body.validate()?;
                }
            }
        })
    });
    quote! { #(#parameters)* #body }
}

/// `send()`, which makes the runtime's `Sending` of the request, and
/// `into_request`, which checks the values and builds it; for a list
/// whose pages name the next, also `send_page`, which `stream()` calls for
/// the later pages.
fn send_methods(
    operation: &Operation,
    answer: &TokenStream,
    shared: bool,
    validated: &dyn Fn(&str) -> bool,
    docs: &Docs,
) -> TokenStream {
    let doc = docs.outer(&send_doc(operation));
    let end = match &operation.success.stream_end {
        Some(end) => quote! { Some(#end) },
        None => quote! { None },
    };
    let build = build_request(operation, shared, validated);
    let next_page = match operation.paging.as_ref().map(|paging| &paging.style) {
        Some(PagingStyle::Cursor {
            cursor_parameter, ..
        }) => Some(quote! { request.replace_query(#cursor_parameter, at); }),
        Some(PagingStyle::NextLink { .. }) => Some(quote! { request.follow(at); }),
        _ => None,
    };
    let send_page = next_page.map(|next_page| {
        quote! {
            /// Sends the request for a page: the first as built, or the one
            /// `at` (a cursor or URL) that the previous page named.
            fn send_page(self, at: Option<String>) -> Sending<'a, #answer> {
                let client = self.client;
                let mut request = self.into_request();
                if let (Ok(request), Some(at)) = (&mut request, at) {
                    #next_page
                }
                Sending::new(client, request, #end)
            }
        }
    });
    quote! {
        #doc
        pub fn send(self) -> Sending<'a, #answer> {
            let client = self.client;
            Sending::new(client, self.into_request(), #end)
        }

        /// The request as it goes out, its values checked.
        fn into_request(self) -> Result<Request, crate::runtime::InvalidInput> {
            #build
            Ok(request)
        }

        #send_page
    }
}

/// The kind of answer the operation reads, which names its `Sending` and,
/// through the runtime's `Answer`, the client method that reads it.
fn answer_type(operation: &Operation) -> TokenStream {
    let error = type_tokens(&operation.error_type, Context::Elsewhere);
    match &operation.success.ty {
        Some(Type::Bytes) => quote! { answer::Bytes<#error> },
        Some(Type::Text) => quote! { answer::Text<#error> },
        Some(Type::ByteStream) => quote! { answer::Streamed<#error> },
        Some(Type::EventStream(data)) if **data == Type::String => {
            quote! { answer::TextEvents<#error> }
        }
        Some(Type::EventStream(data)) => {
            let data = type_tokens(data, Context::Elsewhere);
            quote! { answer::Events<#data, #error> }
        }
        Some(Type::Upgraded) => quote! { answer::Upgrade<#error> },
        Some(ty) => {
            let ty = type_tokens(ty, Context::Elsewhere);
            quote! { answer::Json<#ty, #error> }
        }
        None => quote! { answer::Empty<#error> },
    }
}

/// What `send` does with the answer, by how its body is read.
fn send_doc(operation: &Operation) -> String {
    match &operation.success.ty {
        Some(Type::Text) => "Sends the request and reads the response as UTF-8 text.".to_owned(),
        Some(Type::ByteStream) => "Sends the request and hands over the response body unread: take it whole with\n[`ByteStream::bytes`](crate::ByteStream::bytes), or read it chunk by chunk as a stream.".to_owned(),
        Some(Type::EventStream(_)) => {
            let end = match &operation.success.stream_end {
                Some(end) => format!(", or at an event whose data is `{end}`"),
                None => String::new(),
            };
            format!("Sends the request and reads the response's server-sent events as they arrive, as a\nstream that ends with the body{end}.")
        }
        _ => "Sends the request and decodes the response.".to_owned(),
    }
}

/// Checks the builder's values and builds its request; the media types are
/// the operation's own, or, for a builder `shared` by versions, its field's.
fn build_request(
    operation: &Operation,
    shared: bool,
    validated: &dyn Fn(&str) -> bool,
) -> TokenStream {
    let media = |own: &str, field: &str| match shared {
        true => {
            let field = format_ident!("{field}");
            quote! { self.media.#field }
        }
        false => quote! { #own },
    };
    let input_checks = input_checks(operation, validated);
    let envelope = operation.envelope_parameter.as_ref().map(|name| {
        let required = operation
            .parameters
            .iter()
            .any(|parameter| parameter.name == *name && parameter.is_argument());
        let name = ident(name);
        let condition = if required {
            quote! { self.#name }
        } else {
            quote! { self.#name == Some(true) }
        };
        quote! {
            if #condition {
                request.expect_envelope();
            }
        }
    });
    let id = &operation.id;
    let method = format_ident!("{}", operation.http_method.as_str());
    let accept = media(&operation.accept, "accept");
    let path = &operation.path;
    let parameters = operation.parameters.iter().map(|parameter| {
        let wire = &parameter.wire_name;
        let name = ident(&parameter.name);
        let adder = match parameter.location {
            Location::Path => return quote! { request.path_parameter(#wire, &self.#name); },
            Location::Query => quote! { query },
            Location::Header => quote! { header },
        };
        let value = if parameter.is_argument() {
            quote! { Some(&self.#name) }
        } else {
            quote! { self.#name.as_ref() }
        };
        quote! { request.#adder(#wire, #value); }
    });
    let body = operation.body.as_ref().map(|body| {
        let media_type = media(&body.media_type, "body");
        if body.is_argument() {
            set_body(body, &media_type, &quote! { self.body })
        } else {
            let set = set_body(body, &media_type, &quote! { body });
            quote! {
                if let Some(body) = self.body {
                    #set
                }
            }
        }
    });
    let mutable =
        (!operation.parameters.is_empty() || operation.body.is_some()).then(|| quote! { mut });
    let version = operation.version.as_ref().map(|version| {
        let label = media(&version.label, "label");
        quote! { request.api_version(#label); }
    });
    let security = (!operation.security.is_empty()).then(|| {
        let alternatives = operation.security.iter().map(|requirement| {
            let schemes = requirement.iter().map(|(scheme, _)| scheme);
            quote! { &[#(#schemes),*] }
        });
        quote! { request.security(&[#(#alternatives),*]); }
    });
    let mutable =
        (mutable.is_some() || version.is_some() || security.is_some()).then(|| quote! { mut });
    quote! {
        #input_checks
        let #mutable request = Request::new(#id, reqwest::Method::#method, #path, #accept);
        #version
        #security
        #(#parameters)*
        #envelope
        #body
    }
}

/// Sets `value` (the builder's body, present) as the request's, written
/// as its media type says and labelled `media_type`.
fn set_body(body: &RequestBody, media_type: &TokenStream, value: &TokenStream) -> TokenStream {
    match &body.encoding {
        BodyEncoding::Json => quote! { request.json_body(#media_type, #value); },
        BodyEncoding::Raw => quote! { request.raw_body(#media_type, #value); },
        BodyEncoding::Form(fields) => {
            let encoding = form_encoding(fields);
            quote! { request.form_body(#media_type, #value, #encoding); }
        }
        BodyEncoding::Multipart(parts) => {
            let parts = parts.iter().map(|part| multipart_part(part, value));
            quote! {
                let mut parts = crate::runtime::Multipart::new();
                #(#parts)*
                request.multipart_body(parts);
            }
        }
    }
}

/// `&[form::FormField::new(…), …]`: how each property whose encoding is
/// not the default is written; the runtime reads it when encoding the body.
/// The file imports `crate::runtime::form` (see `has_form_encoding`).
pub(super) fn form_encoding(fields: &[FormEncoding]) -> TokenStream {
    let fields = fields.iter().map(|field| {
        let wire = &field.wire_name;
        let style = format_ident!("{}", format!("{:?}", field.style));
        let explode = field.explode;
        quote! { form::FormField::new(#wire, form::FormStyle::#style, #explode) }
    });
    quote! { &[#(#fields),*] }
}

/// Adds the part (or parts) of one field of the multipart body `body`.
fn multipart_part(part: &MultipartPart, body: &TokenStream) -> TokenStream {
    let field = ident(&part.field);
    let wire = &part.wire_name;
    let content_type = match &part.content_type {
        Some(content_type) => quote! { Some(#content_type) },
        None => quote! { None },
    };
    let add = |value: TokenStream| match (part.file, part.repeated) {
        (true, true) => quote! {
            for file in #value {
                parts.file(#wire, file, #content_type);
            }
        },
        (true, false) => quote! { parts.file(#wire, #value, #content_type); },
        (false, _) => quote! { parts.field(#wire, #value, #content_type); },
    };
    if part.optional {
        let add = add(quote! { value });
        quote! {
            if let Some(value) = &#body.#field {
                #add
            }
        }
    } else {
        add(quote! { &#body.#field })
    }
}

/// How a parameter is held and passed: strings borrowed, the rest by value.
pub(super) fn parameter_type(ty: &Type) -> TokenStream {
    match ty {
        Type::String => quote! { &'a str },
        other => type_tokens(other, Context::Elsewhere),
    }
}
