//! The crate root, `src/lib.rs`: crate docs, modules and re-exports.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use crate::model::Api;

pub fn file(api: &Api) -> TokenStream {
    let generated_from = format!(
        "Generated from version {} of the API description; every file of this crate is generator output.",
        api.version
    );
    let heading = format!("# {}", api.title);
    let crate_doc = docs::inner(&docs::paragraphs([
        Some(heading.as_str()),
        api.description.as_deref(),
        Some(generated_from.as_str()),
    ]));
    let builder = match &api.base_url {
        Some(url) => quote! {
            /// The server the API description names.
            pub const DEFAULT_BASE_URL: &str = #url;

            impl Client {
                /// Starts configuring a client for [`DEFAULT_BASE_URL`].
                pub fn builder() -> ClientBuilder {
                    ClientBuilder::new(DEFAULT_BASE_URL)
                }
            }
        },
        None => quote! {
            impl Client {
                /// Starts configuring a client for the server at `base_url`.
                pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
                    ClientBuilder::new(base_url)
                }
            }
        },
    };
    let version_modules = api.versions().into_iter().map(|version| {
        let module = super::ident(&version.module);
        quote! { pub mod #module; }
    });
    quote! {
        #crate_doc
        #![deny(missing_docs)]

        pub mod operations;
        pub mod runtime;
        pub mod types;
        #(#version_modules)*

        pub use runtime::{
            ApiResponse, Auth, BuildError, Client, ClientBuilder, DigestKey, Error, InvalidInput,
            RetryPolicy, Secret, ServiceAccount,
        };
        pub use runtime::secret::ExposeSecret;

        #builder
    }
}
