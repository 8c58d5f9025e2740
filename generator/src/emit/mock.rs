//! `src/mock.rs`: one method of the runtime's `MockServer` per operation,
//! behind the generated crate's `mock` feature.
//!
//! Each method mirrors the client method it stands in for: the same name,
//! the same path parameters, and an `Expectation` typed with the answer and
//! error bodies that client method decodes. Operations of several versions
//! get a view per version (`server.preview().…`), as the client does.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::Docs;
use super::types::{Context, type_tokens};
use super::{gate, ident};
use crate::model::{Api, BodyEncoding, Location, Operation, Type, Version};

pub fn file(api: &Api, docs: &Docs) -> TokenStream {
    let module_doc = quote! {
        //! Test doubles for code that uses [`Client`](crate::Client): a loopback
        //! server that answers each operation with values a test gives.
        //!
        //! [`MockServer::client`] makes a client of the server; code that takes
        //! a base URL can use [`MockServer::base_url`] instead. Each operation's
        //! method takes the operation's path parameters and returns an
        //! [`Expectation`] that answers in the client's own types.
        //!
        //! Compiled with the `mock` feature, for `[dev-dependencies]`.
    };
    let direct = api
        .operations
        .iter()
        .filter(|operation| operation.is_default || operation.version.is_none());
    let direct_methods = direct.map(|operation| match &operation.version {
        Some(version) if operation.is_default => delegate(operation, version, docs),
        _ => method(operation, quote! { self }, quote! { '_ }, &[], docs),
    });
    let versions = api.versions();
    let accessors = versions.iter().map(|version| {
        let accessor = ident(&version.module);
        let cfg = gate::cfg(&gate::of_version(api, version));
        let view = view_name(version);
        let doc = docs.outer(&format!(
            "Expectations of API version `{}`, as [`Client::{}`](crate::Client::{1}) calls it.",
            version.label,
            version.module.trim_start_matches("r#"),
        ));
        quote! {
            #doc
            #cfg
            pub fn #accessor(&self) -> #view<'_> {
                #view { server: self }
            }
        }
    });
    let views = versions.iter().map(|version| view(api, version, docs));
    // Each `use` is compiled under the features of the operations that need it.
    let needed_by = |needs: &dyn Fn(&Operation) -> bool| {
        let operations = api.operations.iter().filter(|operation| needs(operation));
        gate::needed_by(
            api,
            operations.map(|operation| &operation.features[..]),
            &[],
        )
    };
    let types_import = needed_by(&mentions_named_type).map(|cfg| quote! { #cfg use crate::types; });
    let form_import = needed_by(&super::operations::has_form_encoding)
        .map(|cfg| quote! { #cfg use crate::runtime::form; });
    let request_import =
        needed_by(&|_| true).map(|cfg| quote! { #cfg use crate::runtime::Request; });
    let mut file = quote! {
        #module_doc

        pub use crate::runtime::mock::{Expectation, MockServer};
        #request_import
        #form_import
        #types_import

        impl MockServer {
            #(#accessors)*
            #(#direct_methods)*
        }
    };
    file.extend(views);
    file
}

/// `V2025_03_12` for module `v2025_03_12`: the view's type name.
fn view_name(version: &Version) -> proc_macro2::Ident {
    format_ident!(
        "{}",
        heck::AsUpperCamelCase(version.module.trim_start_matches("r#")).to_string()
    )
}

/// One version's view: a method per operation of that version.
fn view(api: &Api, version: &Version, docs: &Docs) -> TokenStream {
    let name = view_name(version);
    let enclosing = gate::of_version(api, version);
    let doc = docs.outer(&format!(
        "Expectations of the operations of API version `{}`; made by [`MockServer::{}`].",
        version.label,
        version.module.trim_start_matches("r#"),
    ));
    let methods = api
        .operations
        .iter()
        .filter(|operation| operation.version.as_ref() == Some(version))
        .map(|operation| {
            method(
                operation,
                quote! { self.server },
                quote! { 's },
                &enclosing,
                docs,
            )
        });
    let cfg = gate::cfg(&enclosing);
    quote! {
        #doc
        #cfg
        #[derive(Clone, Copy, Debug)]
        pub struct #name<'s> {
            server: &'s MockServer,
        }

        #cfg
        impl<'s> #name<'s> {
            #(#methods)*
        }
    }
}

/// Whether the expectation of `operation` names a type of `types`.
fn mentions_named_type(operation: &Operation) -> bool {
    operation
        .success
        .ty
        .as_ref()
        .is_some_and(Type::mentions_named)
        || operation.error_type.mentions_named()
        || path_parameters(operation).any(|parameter| parameter.ty.mentions_named())
}

/// The parameters filled into the path, which the mock matches exactly.
fn path_parameters(operation: &Operation) -> impl Iterator<Item = &crate::model::Parameter> {
    operation
        .parameters
        .iter()
        .filter(|parameter| parameter.location == Location::Path)
}

/// `name: type` of each path parameter, typed as the client method takes it.
fn arguments(operation: &Operation) -> Vec<TokenStream> {
    path_parameters(operation)
        .map(|parameter| {
            let name = ident(&parameter.name);
            let ty = match &parameter.ty {
                Type::String => quote! { &str },
                other => type_tokens(other, Context::Elsewhere),
            };
            quote! { #name: #ty }
        })
        .collect()
}

/// `Expectation<'lifetime, Answer, Error>` for `operation`.
fn expectation_type(operation: &Operation, lifetime: &TokenStream) -> TokenStream {
    let success = match &operation.success.ty {
        Some(ty) => type_tokens(ty, Context::Elsewhere),
        None => quote! { () },
    };
    let error = type_tokens(&operation.error_type, Context::Elsewhere);
    quote! { Expectation<#lifetime, #success, #error> }
}

/// The method that expects `operation`'s request, on `server`.
fn method(
    operation: &Operation,
    server: TokenStream,
    lifetime: TokenStream,
    enclosing: &[String],
    docs: &Docs,
) -> TokenStream {
    let name = ident(&operation.method_name);
    let arguments = arguments(operation);
    let output = expectation_type(operation, &lifetime);
    let id = &operation.id;
    let http_method = format_ident!("{}", operation.http_method.as_str());
    let path = &operation.path;
    let accept = &operation.accept;
    let fills = path_parameters(operation).map(|parameter| {
        let wire = &parameter.wire_name;
        let name = ident(&parameter.name);
        quote! { request.path_parameter(#wire, &#name); }
    });
    let mutable = path_parameters(operation).next().map(|_| quote! { mut });
    let doc = docs.outer(&format!(
        "Expects `{}` (`{} {}`), as {} sends it.",
        operation.id,
        operation.http_method.as_str(),
        operation.path,
        client_link(operation),
    ));
    let allow_many = super::allow_many_arguments(arguments.len(), true);
    // `with_form_body` writes fields as the operation does.
    let (form_encoding, encoded_as) = match operation.body.as_ref().map(|body| &body.encoding) {
        Some(BodyEncoding::Form(fields)) if !fields.is_empty() => {
            let encoding = super::builders::form_encoding(fields);
            (
                Some(quote! { const FORM_ENCODING: &[form::FormField] = #encoding; }),
                Some(quote! { .form_encoding(FORM_ENCODING) }),
            )
        }
        _ => (None, None),
    };
    let cfg = gate::within(&operation.features, enclosing);
    quote! {
        #doc
        #cfg
        #allow_many
        pub fn #name(&self, #(#arguments),*) -> #output {
            #form_encoding
            let #mutable request = Request::new(#id, reqwest::Method::#http_method, #path, #accept);
            #(#fills)*
            #server.expect(request)#encoded_as
        }
    }
}

/// A default operation's method: its newest stable version's expectation.
fn delegate(operation: &Operation, version: &Version, docs: &Docs) -> TokenStream {
    let name = ident(&operation.method_name);
    let arguments = arguments(operation);
    let output = expectation_type(operation, &quote! { '_ });
    let accessor = ident(&version.module);
    let names = path_parameters(operation).map(|parameter| ident(&parameter.name));
    let doc = docs.outer(&format!(
        "Expects [`Client::{method}`](crate::Client::{method}), which uses API version `{label}`.",
        method = operation.method_name.trim_start_matches("r#"),
        label = version.label,
    ));
    let allow_many = super::allow_many_arguments(arguments.len(), true);
    let cfg = gate::cfg(&operation.features);
    quote! {
        #doc
        #cfg
        #allow_many
        pub fn #name(&self, #(#arguments),*) -> #output {
            self.#accessor().#name(#(#names),*)
        }
    }
}

/// Markdown naming the client method that sends `operation`.
fn client_link(operation: &Operation) -> String {
    let method = operation.method_name.trim_start_matches("r#");
    match &operation.version {
        None => format!("[`Client::{method}`](crate::Client::{method})"),
        Some(version) => {
            let module = version.module.trim_start_matches("r#");
            format!("[`{module}::Operations::{method}`](crate::{module}::Operations::{method})")
        }
    }
}
