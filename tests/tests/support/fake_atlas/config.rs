//! How a fake is set up: which authentication it demands ([`AuthMode`],
//! with [`DigestAlgorithm`] for Digest), which organizations it knows and
//! which versions it has retired ([`FakeConfig`]).

use std::time::Duration;

use digest_auth::AlgorithmType;

use super::{ApiVersion, DEFAULT_BEARER_TOKEN};

/// How API requests must authenticate.
#[derive(Clone, Debug)]
pub enum AuthMode {
    /// `Authorization: Bearer <token>` with exactly this token.
    Bearer(String),
    /// Bearer tokens issued by `POST /api/oauth/token` to a client
    /// authenticating with HTTP Basic `client_id:client_secret`; each token
    /// expires `token_ttl` after it is issued.
    ServiceAccount {
        client_id: String,
        client_secret: String,
        token_ttl: Duration,
    },
    /// HTTP Digest with username `public_key` and password `private_key`.
    Digest {
        public_key: String,
        private_key: String,
        algorithm: DigestAlgorithm,
    },
}

impl AuthMode {
    pub fn bearer(token: impl Into<String>) -> Self {
        Self::Bearer(token.into())
    }

    pub fn service_account(
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        token_ttl: Duration,
    ) -> Self {
        Self::ServiceAccount {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            token_ttl,
        }
    }

    pub fn digest(
        public_key: impl Into<String>,
        private_key: impl Into<String>,
        algorithm: DigestAlgorithm,
    ) -> Self {
        Self::Digest {
            public_key: public_key.into(),
            private_key: private_key.into(),
            algorithm,
        }
    }
}

/// Hash algorithm the digest challenge asks for; a response computed with
/// another one is rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DigestAlgorithm {
    Md5,
    Sha256,
}

impl DigestAlgorithm {
    /// The name in `algorithm=` of the challenge.
    pub fn name(self) -> &'static str {
        match self {
            Self::Md5 => "MD5",
            Self::Sha256 => "SHA-256",
        }
    }

    pub(super) fn as_digest_auth(self) -> digest_auth::Algorithm {
        let algo = match self {
            Self::Md5 => AlgorithmType::MD5,
            Self::Sha256 => AlgorithmType::SHA2_256,
        };
        digest_auth::Algorithm::new(algo, false)
    }
}

/// Configuration of one fake server.
#[derive(Clone, Debug)]
pub struct FakeConfig {
    pub auth: AuthMode,
    /// Organizations and the groups they contain; the organization endpoints
    /// answer 404 for any organization not listed here.
    pub orgs: Vec<(String, Vec<String>)>,
    /// How many authorized requests one digest nonce serves; the next request
    /// with it gets `401` with `stale=true` and a fresh nonce.
    pub nonce_max_uses: u32,
    /// Versions past their sunset: answered `410` `VERSION_GONE`.
    pub retired_versions: Vec<ApiVersion>,
}

impl FakeConfig {
    pub fn new(auth: AuthMode) -> Self {
        Self {
            auth,
            orgs: Vec::new(),
            nonce_max_uses: 1000,
            retired_versions: Vec::new(),
        }
    }

    pub fn bearer(token: impl Into<String>) -> Self {
        Self::new(AuthMode::bearer(token))
    }

    pub fn service_account(
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        token_ttl: Duration,
    ) -> Self {
        Self::new(AuthMode::service_account(
            client_id,
            client_secret,
            token_ttl,
        ))
    }

    pub fn digest(
        public_key: impl Into<String>,
        private_key: impl Into<String>,
        algorithm: DigestAlgorithm,
    ) -> Self {
        Self::new(AuthMode::digest(public_key, private_key, algorithm))
    }

    /// Adds an organization containing `group_ids`.
    pub fn with_org<G: Into<String>>(
        mut self,
        org_id: impl Into<String>,
        group_ids: impl IntoIterator<Item = G>,
    ) -> Self {
        self.orgs.push((
            org_id.into(),
            group_ids.into_iter().map(Into::into).collect(),
        ));
        self
    }

    /// Answers requests for `version` with `410` `VERSION_GONE`.
    pub fn with_retired_version(mut self, version: ApiVersion) -> Self {
        self.retired_versions.push(version);
        self
    }

    pub fn with_nonce_max_uses(mut self, uses: u32) -> Self {
        self.nonce_max_uses = uses;
        self
    }
}

impl Default for FakeConfig {
    /// Bearer authentication with [`DEFAULT_BEARER_TOKEN`] and no
    /// organizations.
    fn default() -> Self {
        Self::bearer(DEFAULT_BEARER_TOKEN)
    }
}
