//! Security: the schemes a description declares and the alternatives each
//! operation accepts, as the generated `Auth` and every request send them.

/// A security scheme of `components/securitySchemes` that the client can send.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityScheme {
    /// The scheme's name in the description, which requirements use.
    pub name: String,
    /// The snake_case name of `Auth`'s method that sets its credential,
    /// unique among the schemes.
    pub method_name: String,
    pub description: Option<String>,
    pub kind: SchemeKind,
}

/// How a scheme's credential is sent.
#[derive(Debug, Clone, PartialEq)]
pub enum SchemeKind {
    /// HTTP Basic: a user name and password.
    Basic,
    /// HTTP Bearer: a token, described by `format` (e.g. `JWT`).
    Bearer { format: Option<String> },
    /// HTTP Digest: a user name and password answering a challenge.
    Digest,
    /// An API key under `name` in a header, query parameter or cookie.
    ApiKey { location: KeyLocation, name: String },
    /// OAuth 2.0 client credentials, exchanged for tokens at `token_url`.
    /// `scopes` are those the description's operations require of the
    /// scheme, asked for with each token. Besides the scheme's own method
    /// (client id and secret), `Auth` has `with_method` (configured
    /// credentials) and `token_method` (a token obtained elsewhere).
    ClientCredentials {
        token_url: TokenUrl,
        scopes: Vec<String>,
        with_method: String,
        token_method: String,
    },
    /// A token obtained elsewhere (another OAuth 2.0 flow, OpenID Connect),
    /// sent as a bearer token; `flow` says where it comes from.
    AccessToken { flow: String },
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyLocation {
    Header,
    Query,
    Cookie,
}

/// A token endpoint's URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenUrl {
    /// A path on the description's server (the URL began with the server's
    /// URL, or was relative): it follows the client's base URL.
    OnServer(String),
    /// Another server's URL.
    Absolute(String),
}

/// One way to satisfy an operation's security: schemes sent together, by
/// name, each with the scopes it needs.
pub type Requirement = Vec<(String, Vec<String>)>;
