//! The operation modules: `operations` (the methods of `Client` itself) and
//! one module per API version, each with a request builder per operation.
//!
//! A method takes what the operation requires (path parameters, required
//! query parameters, a required body) and returns a builder; the builder has
//! a setter per optional parameter and is sent by `.await` or `.send()`.
//! `Client`'s own method for a versioned operation hands over to its newest
//! stable version's module, so pinning a version is `client.v2025_03_12()…`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::builders::{builder, parameter_type};
use super::docs::Docs;
use super::types::{Context, type_tokens};
use super::validation::has_checks;
use super::{Part, docs, gate, ident};
use crate::model::{Api, BodyEncoding, Operation, Parameter, Type, Version};

/// `src/operations.rs`, or the part of it `part` says: `Client`'s methods,
/// then the builders of unversioned operations, its items.
pub fn file(api: &Api, part: &Part, docs: &Docs) -> TokenStream {
    let unversioned = unversioned(api);
    let mut file = part.head(|| {
        let module_doc = quote! {
            //! One method of [`Client`] per operation, each returning a request builder.
            //!
            //! Required parameters are the method's arguments; optional ones are set
            //! on the builder, which sends the request when awaited.
        };
        let defaults: Vec<&Operation> = api.operations.iter().filter(|op| op.is_default).collect();
        if defaults.is_empty() {
            return module_doc;
        }
        let methods = defaults.iter().map(|operation| match &operation.version {
            None => client_method(operation, Receiver::Client, &[], docs),
            Some(version) => client_method(operation, Receiver::Delegate(version, api), &[], docs),
        });
        let imports = imports(api, &unversioned, &defaults, &[]);
        quote! {
            #module_doc
            #imports

            impl Client {
                #(#methods)*
            }
        }
    });
    file.extend(
        part.of(&unversioned)
            .iter()
            .map(|operation| builder(operation, api, &[], docs)),
    );
    file
}

/// The operations `Client` sends itself, without a version module: the
/// builders of [`file`].
fn unversioned(api: &Api) -> Vec<&Operation> {
    api.operations
        .iter()
        .filter(|op| op.is_default && op.version.is_none())
        .collect()
}

/// How many items (builders) [`file`] has.
pub fn file_items(api: &Api) -> usize {
    unversioned(api).len()
}

/// The operations of `version`, in the model's order.
fn of_version<'a>(api: &'a Api, version: &Version) -> Vec<&'a Operation> {
    api.operations
        .iter()
        .filter(|op| op.version.as_ref() == Some(version))
        .collect()
}

/// How many items (builders) [`version_file`] has.
pub fn version_items(api: &Api, version: &Version) -> usize {
    of_version(api, version).len()
}

/// `src/{version.module}.rs`, or the part of it `part` says: the
/// operations of one API version, with their builders as its items.
pub fn version_file(api: &Api, version: &Version, part: &Part, docs: &Docs) -> TokenStream {
    let operations = of_version(api, version);
    // `lib.rs` compiles the module under these.
    let enclosing = gate::of_version(api, version);
    let mut file = part.head(|| {
        let label = &version.label;
        let media_types = {
            let mut media_types: Vec<&str> =
                operations.iter().map(|op| op.accept.as_str()).collect();
            media_types.sort_unstable();
            media_types.dedup();
            media_types
                .iter()
                .map(|media_type| format!("`{media_type}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let stability = if version.is_preview() {
            "A preview: the server may change or remove these operations without notice, so \
             `Client`'s own methods never use it; calling through this module opts in."
        } else {
            "Calls through this module keep this version when a newer one is added to the \
             API description; `Client`'s own methods move to the newest stable version."
        };
        let module_doc = docs.inner(&docs::paragraphs([
            Some(
                format!(
                    "The operations of API version `{label}`, sent and accepted as {media_types}."
                )
                .as_str(),
            ),
            Some(stability),
        ]));
        let accessor = ident(&version.module);
        let accessor_doc = docs.outer(&format!(
            "The operations of API version `{label}`, for calls pinned to it."
        ));
        let view_doc = docs.outer(&format!(
            "The operations of API version `{label}`; made by [`Client::{}`].",
            version.module.trim_start_matches("r#")
        ));
        let methods = operations
            .iter()
            .map(|operation| client_method(operation, Receiver::Version(api), &enclosing, docs));
        // A builder another version owns is only made here, not defined.
        let (defined, borrowed): (Vec<&Operation>, Vec<&Operation>) = operations
            .iter()
            .partition(|operation| std::ptr::eq(api.builder_owner(operation), **operation));
        let imports = imports(api, &defined, &borrowed, &enclosing);
        quote! {
            #module_doc
            #imports

            impl Client {
                #accessor_doc
                pub fn #accessor(&self) -> Operations<'_> {
                    Operations { client: self }
                }
            }

            #view_doc
            #[derive(Clone, Copy, Debug)]
            pub struct Operations<'a> {
                client: &'a Client,
            }

            impl<'a> Operations<'a> {
                #(#methods)*
            }
        }
    });
    file.extend(part.of(&operations).iter().map(|operation| {
        let owner = api.builder_owner(operation);
        match (std::ptr::eq(owner, *operation), &owner.version) {
            (false, Some(version)) => {
                let module = ident(&version.module);
                let builder = format_ident!("{}", operation.builder_name);
                let cfg = gate::within(&operation.features, &enclosing);
                let doc = docs.line(&format!(
                    " Version `{}` has the same request builder as `{}`.",
                    operation
                        .version
                        .as_ref()
                        .map_or("", |own| own.label.as_str()),
                    version.label
                ));
                quote! {
                    #doc
                    #cfg
                    pub use crate::#module::#builder;
                }
            }
            _ => builder(operation, api, &enclosing, docs),
        }
    }));
    file
}

/// The `use` lines a module needs for the builders it defines and the
/// methods that only hand over to another module's builders, each compiled
/// under the features of the operations that need it (in a module compiled
/// under `enclosing`).
fn imports(
    api: &Api,
    with_builders: &[&Operation],
    handing_over: &[&Operation],
    enclosing: &[String],
) -> TokenStream {
    let needed_by = |operations: &mut dyn Iterator<Item = &&Operation>| {
        gate::needed_by(api, operations.map(|op| &op.features[..]), enclosing)
    };
    let runtime = match needed_by(&mut with_builders.iter()) {
        Some(cfg) if cfg.is_empty() => quote! {
            use std::future::IntoFuture;

            use crate::runtime::sending::{Sending, answer};
            use crate::runtime::{ApiResponse, Client, Error, Request};
        },
        Some(cfg) => quote! {
            #cfg
            use std::future::IntoFuture;

            use crate::runtime::Client;
            #cfg
            use crate::runtime::sending::{Sending, answer};
            #cfg
            use crate::runtime::{ApiResponse, Error, Request};
        },
        None => quote! { use crate::runtime::Client; },
    };
    let use_validate = needed_by(&mut with_builders.iter().filter(|operation| {
        operation
            .parameters
            .iter()
            .any(|parameter| has_checks(&parameter.ty, &parameter.constraints))
    }))
    .map(|cfg| quote! { #cfg use crate::runtime::validate; });
    let use_form = needed_by(&mut with_builders.iter().filter(|op| has_form_encoding(op)))
        .map(|cfg| quote! { #cfg use crate::runtime::form; });
    let use_types = needed_by(
        &mut with_builders
            .iter()
            .filter(|op| mentions_named_type(op))
            .chain(
                handing_over
                    .iter()
                    .filter(|op| arguments_mention_named_type(op)),
            ),
    )
    .map(|cfg| quote! { #cfg use crate::types; });
    quote! {
        #runtime
        #use_form
        #use_validate
        #use_types
    }
}

/// Whether the operation's form body has properties written in another
/// style than the default, which its send lists (as `form::FormField`s).
pub(super) fn has_form_encoding(operation: &Operation) -> bool {
    matches!(
        operation.body.as_ref().map(|body| &body.encoding),
        Some(BodyEncoding::Form(fields)) if !fields.is_empty()
    )
}

fn mentions_named_type(operation: &Operation) -> bool {
    operation.parameters.iter().any(|p| p.ty.mentions_named())
        || operation
            .body
            .as_ref()
            .is_some_and(|body| body.ty.mentions_named())
        || operation
            .success
            .ty
            .as_ref()
            .is_some_and(Type::mentions_named)
        || operation.error_type.mentions_named()
}

/// Whether the client method's own arguments name a type of `types`.
fn arguments_mention_named_type(operation: &Operation) -> bool {
    operation
        .parameters
        .iter()
        .any(|p| p.is_argument() && p.ty.mentions_named())
        || operation
            .body
            .as_ref()
            .is_some_and(|body| body.is_argument() && body.ty.mentions_named())
}

/// Where an operation's method lives, which decides its receiver and body.
enum Receiver<'m> {
    /// On `Client`, making the builder of an unversioned operation.
    Client,
    /// On a version module's `Operations`, making that version's builder
    /// (or the one it shares with a newer version).
    Version(&'m Api),
    /// On `Client`, handing over to the newest stable version's method.
    Delegate(&'m Version, &'m Api),
}

/// The method making `operation`'s builder, in an `impl` compiled under
/// `enclosing`.
fn client_method(
    operation: &Operation,
    receiver: Receiver<'_>,
    enclosing: &[String],
    docs: &Docs,
) -> TokenStream {
    let method = ident(&operation.method_name);
    let builder = format_ident!("{}", operation.builder_name);
    let required: Vec<&Parameter> = operation
        .parameters
        .iter()
        .filter(|p| p.is_argument())
        .collect();
    let arguments = required.iter().map(|parameter| {
        let name = ident(&parameter.name);
        let ty = parameter_type(&parameter.ty);
        quote! { #name: #ty }
    });
    let body_argument = operation
        .body
        .as_ref()
        .filter(|body| body.is_argument())
        .map(|body| {
            let ty = type_tokens(&body.ty, Context::Elsewhere);
            if body.is_owned() {
                quote! { body: impl Into<#ty> }
            } else {
                quote! { body: &'a #ty }
            }
        });
    let deprecated = operation.deprecated.then(|| quote! { #[deprecated] });
    let allow_many =
        super::allow_many_arguments(required.len() + usize::from(body_argument.is_some()), true);
    let cfg = gate::within(&operation.features, enclosing);
    let deprecated = quote! { #cfg #deprecated #allow_many };
    let doc = docs.outer(&method_doc(operation, &required, &receiver));
    if let Receiver::Delegate(version, _) = receiver {
        let module = ident(&version.module);
        let names = required
            .iter()
            .map(|parameter| ident(&parameter.name))
            .chain(body_argument.is_some().then(|| format_ident!("body")));
        // Handing over to a deprecated method is this method's own business.
        let allow = operation
            .deprecated
            .then(|| quote! { #[allow(deprecated)] });
        return quote! {
            #doc
            #deprecated
            #allow
            pub fn #method<'a>(&'a self, #(#arguments,)* #body_argument) -> crate::#module::#builder<'a> {
                self.#module().#method(#(#names),*)
            }
        };
    }
    let inits = operation.parameters.iter().map(|parameter| {
        let name = ident(&parameter.name);
        if parameter.is_argument() {
            quote! { #name }
        } else {
            quote! { #name: None }
        }
    });
    let body_init = operation.body.as_ref().map(|body| {
        if body.is_argument() && body.is_owned() {
            quote! { body: body.into(), }
        } else if body.is_argument() {
            quote! { body, }
        } else {
            quote! { body: None, }
        }
    });
    let media = match receiver {
        Receiver::Version(api) if api.builder_is_shared(api.builder_owner(operation)) => {
            let label = operation.version.as_ref().map(|version| &version.label);
            let accept = &operation.accept;
            let body = operation.body.as_ref().map_or("", |body| &body.media_type);
            Some(quote! {
                media: crate::runtime::VersionMedia {
                    label: #label,
                    accept: #accept,
                    body: #body,
                },
            })
        }
        _ => None,
    };
    let (generics, receiver, client) = match receiver {
        Receiver::Client => (quote! { <'a> }, quote! { &'a self }, quote! { self }),
        _ => (quote! {}, quote! { self }, quote! { self.client }),
    };
    quote! {
        #doc
        #deprecated
        pub fn #method #generics(#receiver, #(#arguments,)* #body_argument) -> #builder<'a> {
            #builder { client: #client, #(#inits,)* #body_init #media }
        }
    }
}

fn method_doc(operation: &Operation, required: &[&Parameter], receiver: &Receiver<'_>) -> String {
    let success = &operation.success;
    let described = success.description.trim().trim_end_matches('.');
    let answer = match (success.status, success.followed) {
        (Some(101), false) => format!(
            "the connection switches protocol (`101`: {described}), and the call hands it over, upgraded, for a websocket crate (say) to take over"
        ),
        (Some(status), false) if described.is_empty() => format!("success is `{status}`"),
        (Some(status), false) => format!("success is `{status}` ({described})"),
        (Some(status), true) => format!(
            "the answer is a redirect (`{status}`: {described}), which the client follows, returning the body it leads to"
        ),
        (None, _) if described.is_empty() => {
            "the description documents no success answer, so any 2xx status succeeds".to_owned()
        }
        (None, _) => format!("success is any 2xx status ({described})"),
    };
    let wire = format!(
        "Sends a `{}` request to `{}`; {answer}.",
        operation.http_method.as_str(),
        operation.path,
    );
    let version = match receiver {
        Receiver::Delegate(version, api) => Some(version_doc(operation, version, api)),
        _ => None,
    };
    let mut arguments: Vec<String> = required
        .iter()
        .map(|parameter| argument_doc(&parameter.name, parameter.description.as_deref()))
        .collect();
    if let Some(body) = operation.body.as_ref().filter(|body| body.is_argument()) {
        arguments.push(argument_doc("body", body.description.as_deref()));
    }
    let arguments =
        (!arguments.is_empty()).then(|| format!("# Arguments\n{}", arguments.join("\n")));
    docs::paragraphs([
        operation.summary.as_deref(),
        operation.description.as_deref(),
        Some(&wire),
        version.as_deref(),
        arguments.as_deref(),
    ])
}

/// Which version `Client`'s own method uses, and how to pin this or another.
fn version_doc(operation: &Operation, version: &Version, api: &Api) -> String {
    let pin = |version: &Version| {
        format!(
            "[`Client::{}`] (`{}`)",
            version.module.trim_start_matches("r#"),
            version.label
        )
    };
    let others: Vec<String> = api
        .operations
        .iter()
        .filter(|other| other.id == operation.id)
        .filter_map(|other| other.version.as_ref())
        .filter(|other| *other != version)
        .map(pin)
        .collect();
    let mut text = format!(
        "Uses API version `{}`, the newest stable one; [`Client::{}`] pins it.",
        version.label,
        version.module.trim_start_matches("r#"),
    );
    if !others.is_empty() {
        text.push_str(&format!(" Other versions: {}.", others.join(", ")));
    }
    text
}

/// A Markdown list item whose continuation lines stay inside the item.
fn argument_doc(name: &str, description: Option<&str>) -> String {
    let name = name.trim_start_matches("r#");
    match description.map(str::trim).filter(|text| !text.is_empty()) {
        Some(text) => {
            let text = text.replace("\n\n", "\n").replace('\n', "\n  ");
            format!("- `{name}`: {text}")
        }
        None => format!("- `{name}`"),
    }
}
