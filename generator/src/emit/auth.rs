//! `src/auth.rs`: `Auth`, with one method per security scheme of the
//! description that sets the scheme's credential, and what each method
//! takes, for the crate guide's examples.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::Docs;
use super::ident;
use crate::Environment;
use crate::model::{Api, KeyLocation, SchemeKind, SecurityScheme, TokenUrl};

/// A way to set a scheme's credential: an `Auth` method and its arguments.
pub struct Setter<'a> {
    pub scheme: &'a SecurityScheme,
    pub method: &'a str,
    /// Each argument's name, a placeholder value for examples, and the part
    /// of the credential it is (`username`, `token`, …).
    pub arguments: &'static [(&'static str, &'static str)],
    /// What the method sets, in a sentence fragment: "an API key sent in
    /// the `X-Key` header".
    pub what: String,
    /// Which of its scheme's methods this is, for a scheme with several.
    pub variant: Option<&'static str>,
}

/// Every way `Auth` can set a credential, scheme by scheme in the
/// description's order; a client-credentials scheme has its id-and-secret
/// method first, then its ready-token one.
pub fn setters(api: &Api) -> Vec<Setter<'_>> {
    let mut setters = Vec::new();
    for scheme in &api.security_schemes {
        let method = scheme.method_name.as_str();
        let mut add = |method, arguments, what: String| {
            let variant = match &scheme.kind {
                SchemeKind::ClientCredentials { .. } if method == scheme.method_name => {
                    Some("client id and secret")
                }
                SchemeKind::ClientCredentials { .. } => Some("access token"),
                _ => None,
            };
            setters.push(Setter {
                scheme,
                method,
                arguments,
                what,
                variant,
            })
        };
        match &scheme.kind {
            SchemeKind::Basic => add(
                method,
                USER_AND_PASSWORD,
                "HTTP Basic authentication with a user name and password".to_owned(),
            ),
            SchemeKind::Digest => add(
                method,
                USER_AND_PASSWORD,
                "HTTP Digest authentication with a user name and password; the client \
                 answers the server's challenge and reuses it"
                    .to_owned(),
            ),
            SchemeKind::Bearer { format } => add(
                method,
                TOKEN,
                match format {
                    Some(format) => format!("a bearer token ({format})"),
                    None => "a bearer token".to_owned(),
                },
            ),
            SchemeKind::ApiKey { location, name } => {
                let place = match location {
                    KeyLocation::Header => "header",
                    KeyLocation::Query => "query parameter",
                    KeyLocation::Cookie => "cookie",
                };
                add(
                    method,
                    KEY,
                    format!("an API key, sent as the `{name}` {place}"),
                )
            }
            SchemeKind::ClientCredentials { token_method, .. } => {
                add(
                    method,
                    CLIENT_ID_AND_SECRET,
                    "OAuth 2.0 client credentials; the client exchanges them for an \
                     access token, caches it and fetches a new one before it expires"
                        .to_owned(),
                );
                add(
                    token_method,
                    TOKEN,
                    "an OAuth 2.0 access token obtained elsewhere".to_owned(),
                );
            }
            SchemeKind::AccessToken { flow } => add(
                method,
                TOKEN,
                format!("an access token obtained through {flow}"),
            ),
        }
    }
    setters
}

const USER_AND_PASSWORD: &[(&str, &str)] = &[("username", "user"), ("password", "password")];
const TOKEN: &[(&str, &str)] = &[("token", "access-token")];
const KEY: &[(&str, &str)] = &[("key", "api-key")];
const CLIENT_ID_AND_SECRET: &[(&str, &str)] = &[
    ("client_id", "client-id"),
    ("client_secret", "client-secret"),
];

/// `src/auth.rs`.
pub fn file(api: &Api, environment: &Environment, docs: &Docs) -> TokenStream {
    let setters = setters(api);
    let from_env = from_env(&setters, environment, docs);
    let methods = api.security_schemes.iter().flat_map(|scheme| {
        let own = setters
            .iter()
            .filter(|setter| setter.scheme == scheme)
            .map(|setter| method(setter, docs));
        let configured = match &scheme.kind {
            SchemeKind::ClientCredentials {
                token_url,
                scopes,
                with_method,
                ..
            } => Some(configured_client_credentials(
                scheme,
                token_url,
                scopes,
                with_method,
                docs,
            )),
            _ => None,
        };
        own.chain(configured).collect::<Vec<_>>()
    });
    let imports = imports(api, environment);
    quote! {
        //! Credentials for the security schemes of the API description.

        #imports

        /// Credentials for the API's security schemes: set those you have.
        ///
        /// Each call sends the credentials of the first security alternative
        /// its operation accepts that every credential is set for, and none
        /// if there is no such alternative.
        #[derive(Clone, Debug, Default)]
        #[must_use]
        pub struct Auth(Credentials);

        impl Auth {
            /// No credentials yet.
            pub fn new() -> Self {
                Self::default()
            }

            #from_env
            #(#methods)*
        }

        impl From<Auth> for Credentials {
            fn from(auth: Auth) -> Self {
                auth.0
            }
        }
    }
}

/// The method setting a scheme's credential as `setter` says.
fn method(setter: &Setter<'_>, docs: &Docs) -> TokenStream {
    let scheme = setter.scheme;
    let name = &scheme.name;
    let doc = docs.outer(&super::docs::paragraphs([
        Some(
            super::docs::wrapped(&format!("Authenticates with `{name}`: {}.", setter.what))
                .as_str(),
        ),
        scheme.description.as_deref(),
    ]));
    let method = ident(setter.method);
    let credential = match &scheme.kind {
        SchemeKind::Basic => quote! {
            Credential::Basic {
                username: username.into(),
                password: password.into(),
            }
        },
        SchemeKind::Digest => quote! { Credential::Digest(DigestKey::new(username, password)) },
        SchemeKind::ApiKey { location, name } => {
            let location = match location {
                KeyLocation::Header => quote! { KeyLocation::Header },
                KeyLocation::Query => quote! { KeyLocation::Query },
                KeyLocation::Cookie => quote! { KeyLocation::Cookie },
            };
            quote! {
                Credential::ApiKey {
                    location: #location,
                    name: #name,
                    key: key.into(),
                }
            }
        }
        SchemeKind::ClientCredentials { with_method, .. }
            if setter.method == scheme.method_name =>
        {
            let with = ident(with_method);
            return quote! {
                #doc
                pub fn #method(
                    self,
                    client_id: impl Into<String>,
                    client_secret: impl Into<Secret>,
                ) -> Self {
                    self.#with(ClientCredentials::new(client_id, client_secret))
                }
            };
        }
        SchemeKind::Bearer { .. }
        | SchemeKind::ClientCredentials { .. }
        | SchemeKind::AccessToken { .. } => quote! { Credential::Bearer(token.into()) },
    };
    let parameters = setter.arguments.iter().map(|(argument, _)| {
        let ty = if *argument == "username" {
            quote! { String }
        } else {
            quote! { Secret }
        };
        let argument = ident(argument);
        quote! { #argument: impl Into<#ty> }
    });
    quote! {
        #doc
        pub fn #method(self, #(#parameters),*) -> Self {
            let credential = #credential;
            Self(self.0.with(#name, credential))
        }
    }
}

/// A client-credentials scheme's method taking [`ClientCredentials`]
/// configured by the caller.
fn configured_client_credentials(
    scheme: &SecurityScheme,
    token_url: &TokenUrl,
    scopes: &[String],
    with_method: &str,
    docs: &Docs,
) -> TokenStream {
    let name = &scheme.name;
    let doc = docs.outer(&super::docs::wrapped(&format!(
        "Authenticates with `{name}` using client credentials configured further: another token URL, other scopes, another refresh margin."
    )));
    let method = ident(with_method);
    let url = match token_url {
        TokenUrl::OnServer(path) => quote! { TokenUrl::OnServer(#path) },
        TokenUrl::Absolute(url) => quote! { TokenUrl::Absolute(#url) },
    };
    quote! {
        #doc
        pub fn #method(self, credentials: ClientCredentials) -> Self {
            let endpoint = TokenEndpoint {
                url: #url,
                scopes: &[#(#scopes),*],
            };
            let credential = Credential::ClientCredentials {
                endpoint,
                credentials,
            };
            Self(self.0.with(#name, credential))
        }
    }
}

/// The setters whose every argument has a variable in `environment`, with
/// those variables, in the description's order.
pub fn from_environment<'s, 'a>(
    setters: &'s [Setter<'a>],
    environment: &'s Environment,
) -> Vec<(&'s Setter<'a>, Vec<&'s str>)> {
    setters
        .iter()
        .filter_map(|setter| {
            let variables = environment.credentials.get(&setter.scheme.name)?;
            let names = setter
                .arguments
                .iter()
                .map(|(part, _)| variables.get(*part).map(String::as_str))
                .collect::<Option<Vec<&str>>>()?;
            Some((setter, names))
        })
        .collect()
}

/// `Auth::from_env`, when the conventions name variables for a scheme:
/// each scheme gets the credential of its first method whose variables
/// are all set.
fn from_env(setters: &[Setter<'_>], environment: &Environment, docs: &Docs) -> Option<TokenStream> {
    let found = from_environment(setters, environment);
    if found.is_empty() {
        return None;
    }
    let mut sentences = Vec::new();
    let mut statements = Vec::new();
    let mut previous_scheme: Option<&str> = None;
    for (setter, variables) in &found {
        let names: Vec<String> = variables.iter().map(|name| format!("`{name}`")).collect();
        let bindings: Vec<_> = setter
            .arguments
            .iter()
            .map(|(argument, _)| ident(argument))
            .collect();
        let (pattern, values) = match &bindings[..] {
            [one] => (quote! { Some(#one) }, quote! { variable(#(#variables)*) }),
            many => (
                quote! { (#(Some(#many)),*) },
                quote! { (#(variable(#variables)),*) },
            ),
        };
        let method = ident(setter.method);
        let statement = quote! {
            if let #pattern = #values {
                auth = auth.#method(#(#bindings),*);
            }
        };
        let same_scheme = previous_scheme == Some(setter.scheme.name.as_str());
        if same_scheme {
            let last: &mut TokenStream = statements.last_mut().expect("a previous statement");
            last.extend(quote! { else #statement });
            let sentence: &mut String = sentences.last_mut().expect("a previous sentence");
            sentence.push_str(&format!(" (else {})", names.join(" and ")));
        } else {
            statements.push(statement);
            sentences.push(format!(
                "`{}` from {}",
                setter.scheme.name,
                names.join(" and ")
            ));
        }
        previous_scheme = Some(&setter.scheme.name);
    }
    let sets = found
        .iter()
        .map(|(_, variables)| quote! { &[#(#variables),*] });
    let tool = environment
        .used_by
        .as_ref()
        .map_or_else(String::new, |tool| format!(", those {tool} reads"));
    let doc = docs.outer(&format!(
        "{}\n\n# Errors\n\n[`MissingCredentials`] when no scheme's variables are set.",
        super::docs::wrapped(&format!(
            "Credentials from environment variables{tool}: {}. Every scheme whose variables are set gets its credential; an empty variable counts as unset.",
            sentences.join(", ")
        ))
    ));
    let from_variables_doc = docs.outer(&format!(
        "{}\n\n# Errors\n\n[`MissingCredentials`] when `variable` has none of them.",
        super::docs::wrapped(
            "The credentials [`Auth::from_env`] reads, with `variable` looking up each variable instead of the environment (a configuration file, a test's values)."
        )
    ));
    Some(quote! {
        #doc
        pub fn from_env() -> Result<Self, MissingCredentials> {
            Self::from_variables(variable)
        }

        #from_variables_doc
        pub fn from_variables(
            variable: impl Fn(&str) -> Option<String>,
        ) -> Result<Self, MissingCredentials> {
            let mut auth = Self::new();
            #(#statements)*
            if auth.0.is_empty() {
                return Err(MissingCredentials {
                    variables: &[#(#sets),*],
                });
            }
            Ok(auth)
        }
    })
}

/// What `auth.rs` uses of the runtime, and no more.
fn imports(api: &Api, environment: &Environment) -> TokenStream {
    let kinds: Vec<&SchemeKind> = api.security_schemes.iter().map(|s| &s.kind).collect();
    let mut names = vec![quote! { Credentials }];
    if !kinds.is_empty() {
        names.push(quote! { Credential });
    }
    if kinds
        .iter()
        .any(|kind| matches!(kind, SchemeKind::ClientCredentials { .. }))
    {
        names.extend([
            quote! { ClientCredentials },
            quote! { TokenEndpoint },
            quote! { TokenUrl },
        ]);
    }
    if kinds.iter().any(|kind| matches!(kind, SchemeKind::Digest)) {
        names.push(quote! { DigestKey });
    }
    if kinds
        .iter()
        .any(|kind| matches!(kind, SchemeKind::ApiKey { .. }))
    {
        names.push(quote! { KeyLocation });
    }
    if !from_environment(&setters(api), environment).is_empty() {
        names.extend([quote! { MissingCredentials }, quote! { variable }]);
    }
    let secret = (!kinds.is_empty()).then(|| quote! { use crate::runtime::Secret; });
    quote! {
        use crate::runtime::auth::{#(#names),*};
        #secret
    }
}
