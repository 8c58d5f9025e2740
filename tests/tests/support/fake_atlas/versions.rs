//! The two versions of the endpoints, as a request's `Accept` picks them,
//! and what differs between them: the media type, the fields a create
//! takes and the fields a key shows. Paths, methods and everything else
//! are the same (`routes.rs`, `keys.rs`).

use serde_json::{Value, json};

use super::state::StoredKey;
use super::{KEY_ENDPOINT, PREVIEW_MEDIA_TYPE, STABLE_MEDIA_TYPE};

/// A version of the endpoints, as a request's `Accept` picks it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiVersion {
    /// `2025-03-12`: keys have `cloud`, `geography` and `endpoint`.
    Stable,
    /// `preview`: keys have a name only.
    Preview,
}

impl ApiVersion {
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Stable => STABLE_MEDIA_TYPE,
            Self::Preview => PREVIEW_MEDIA_TYPE,
        }
    }

    /// The members a create request takes, `name` first; the others must
    /// be `"ANY"`. A stable key is scoped to a cloud and a geography.
    pub(super) fn create_fields(self) -> &'static [&'static str] {
        match self {
            Self::Stable => &["name", "cloud", "geography"],
            Self::Preview => &["name"],
        }
    }

    /// Adds to `key`, a stored key as JSON, the members only this version
    /// shows.
    pub(super) fn add_version_fields(self, key: &mut Value, stored: &StoredKey) {
        if self == Self::Stable {
            key["cloud"] = json!(stored.cloud);
            key["geography"] = json!(stored.geography);
            key["endpoint"] = json!(KEY_ENDPOINT);
        }
    }
}
