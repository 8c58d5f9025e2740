//! How requests prove who sends them.

use super::secret::{ExposeSecret, Secret};

/// Credentials attached to every request a [`Client`](super::client::Client) sends.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub enum Auth {
    /// Send requests without credentials.
    #[default]
    None,
    /// Send `Authorization: Bearer <token>` with a token obtained elsewhere.
    Bearer(Secret),
}

impl Auth {
    /// Authenticates with a ready bearer token, such as a service account's access token.
    pub fn bearer(token: impl Into<Secret>) -> Self {
        Self::Bearer(token.into())
    }

    /// Adds this scheme's credentials to an outgoing request.
    pub(super) fn apply(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match self {
            Self::None => request,
            Self::Bearer(token) => request.bearer_auth(token.expose_secret()),
        }
    }
}
