//! A string that never shows itself in `Debug` output or logs.
//!
//! Tokens, private keys and API key secrets returned by the server are held in
//! [`Secret`]. Reading one takes an explicit [`ExposeSecret::expose_secret`] call,
//! so a secret cannot leak through `{:?}` or a tracing field by accident.

use std::fmt;

pub use secrecy::ExposeSecret;
use secrecy::SecretString;

/// A sensitive string: redacted in `Debug`, zeroed on drop, read with
/// [`ExposeSecret::expose_secret`].
#[derive(Clone)]
pub struct Secret(SecretString);

impl Secret {
    /// Wraps a sensitive value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(SecretString::from(value.into()))
    }
}

impl ExposeSecret<str> for Secret {
    fn expose_secret(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([REDACTED])")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

/// Compares the exposed values; not constant-time, so not for checking credentials.
impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.expose_secret() == other.expose_secret()
    }
}

impl serde::Serialize for Secret {
    /// Serialising is an explicit act (a request body, a cache the caller
    /// writes), so it writes the real value.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose_secret())
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::new)
    }
}
