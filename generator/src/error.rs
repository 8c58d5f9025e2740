//! Generation errors, each located by a JSON pointer into the spec.

use std::fmt;

/// Why a spec could not be turned into a client, and where in the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// JSON pointer to the offending node, e.g. `#/paths/~1keys/get/parameters/2`.
    pub pointer: String,
    /// 1-based line in the spec text, when the YAML parser could tell.
    pub line: Option<usize>,
    /// What is wrong, in a sentence.
    pub message: String,
}

impl Error {
    pub(crate) fn at(pointer: &Pointer, message: impl Into<String>) -> Self {
        Self {
            pointer: pointer.to_string(),
            line: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{} (line {line}): {}", self.pointer, self.message),
            None => write!(f, "{}: {}", self.pointer, self.message),
        }
    }
}

impl std::error::Error for Error {}

/// A JSON pointer (RFC 6901) under construction, as a URI fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pointer(String);

impl Pointer {
    /// The document root, `#`.
    pub fn root() -> Self {
        Self("#".to_owned())
    }

    /// Parses a local `$ref` such as `#/components/schemas/Key`.
    pub fn from_ref(reference: &str) -> Option<Self> {
        (reference == "#" || reference.starts_with("#/")).then(|| Self(reference.to_owned()))
    }

    /// This pointer extended by one unescaped segment.
    pub fn join(&self, segment: impl fmt::Display) -> Self {
        let segment = segment.to_string().replace('~', "~0").replace('/', "~1");
        Self(format!("{}/{segment}", self.0))
    }

    /// The unescaped segments after `#`.
    pub fn segments(&self) -> impl Iterator<Item = String> + '_ {
        self.0
            .split('/')
            .skip(1)
            .map(|segment| segment.replace("~1", "/").replace("~0", "~"))
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_escaped_and_unescaped() {
        let pointer = Pointer::root().join("paths").join("/keys/{id}").join("a~b");
        assert_eq!(pointer.to_string(), "#/paths/~1keys~1{id}/a~0b");
        let segments: Vec<_> = pointer.segments().collect();
        assert_eq!(segments, ["paths", "/keys/{id}", "a~b"]);
    }

    #[test]
    fn only_local_refs_are_pointers() {
        assert!(Pointer::from_ref("#/components/schemas/A").is_some());
        assert!(Pointer::from_ref("other.yaml#/components/schemas/A").is_none());
    }
}
