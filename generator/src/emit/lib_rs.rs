//! The crate root, `src/lib.rs`: crate docs, modules and re-exports.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::Docs;
use super::{auth, docs, guide};
use crate::Options;
use crate::model::{Api, SchemeKind};

pub fn file(api: &Api, options: &Options, docs: &Docs) -> TokenStream {
    let generated_from = format!(
        "Generated from version {} of the API description; every file of this crate is generator output.",
        api.version
    );
    let heading = format!("# {}", api.title);
    let versions = versions_doc(api);
    let guide = guide::markdown(api, &options.crate_name, &options.conventions.environment);
    let crate_doc = docs.inner(&docs::paragraphs([
        Some(heading.as_str()),
        api.description.as_deref(),
        guide.as_deref(),
        versions.as_deref(),
        Some(generated_from.as_str()),
    ]));
    let user_agent = options
        .conventions
        .user_agent
        .as_ref()
        .map(|user_agent| quote! { .user_agent(#user_agent) });
    let builder = match &api.base_url {
        Some(url) => quote! {
            /// The server the API description names.
            pub const DEFAULT_BASE_URL: &str = #url;

            impl Client {
                /// Starts configuring a client for [`DEFAULT_BASE_URL`].
                pub fn builder() -> ClientBuilder {
                    ClientBuilder::new(DEFAULT_BASE_URL) #user_agent
                }
            }
        },
        None => quote! {
            impl Client {
                /// Starts configuring a client for the server at `base_url`.
                pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
                    ClientBuilder::new(base_url) #user_agent
                }
            }
        },
    };
    let client_credentials = api
        .security_schemes
        .iter()
        .any(|scheme| matches!(scheme.kind, SchemeKind::ClientCredentials { .. }))
        .then(|| quote! { pub use runtime::ClientCredentials; });
    let missing_credentials =
        (!auth::from_environment(&auth::setters(api), &options.conventions.environment).is_empty())
            .then(|| quote! { pub use runtime::MissingCredentials; });
    let version_modules = api.versions().into_iter().map(|version| {
        let module = super::ident(&version.module);
        let cfg = super::gate::cfg(&super::gate::of_version(api, version));
        quote! { #cfg pub mod #module; }
    });
    quote! {
        #crate_doc
        #![deny(missing_docs)]

        pub mod auth;
        #[cfg(feature = "mock")]
        pub mod mock;
        pub mod operations;
        pub mod runtime;
        pub mod types;
        #(#version_modules)*

        pub use auth::Auth;
        pub use runtime::{
            ApiResponse, BodyError, BuildError, ByteStream, Client, ClientBuilder, Error, Event,
            EventStream, InvalidInput, RetryPolicy, Secret,
        };
        #client_credentials
        #missing_credentials
        pub use runtime::secret::ExposeSecret;

        #builder
    }
}

/// How versions work, for a crate whose operations come in several.
fn versions_doc(api: &Api) -> Option<String> {
    let versions = api.versions();
    if versions.is_empty() {
        return None;
    }
    let modules: Vec<String> = versions
        .iter()
        .map(|version| {
            let module = version.module.trim_start_matches("r#");
            format!(
                "- [`{module}`]: API version `{}`, through [`Client::{module}`]",
                version.label
            )
        })
        .collect();
    Some(format!(
        "## API versions\n\nThe server picks the version of each call by its media type. `Client`'s own methods\nuse each operation's newest stable version; to keep a version when a newer one\nappears, or to opt in to a preview, call through its module:\n\n{}",
        modules.join("\n")
    ))
}
