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
    /// The generator failed on this input, which is a bug in the generator
    /// (such as a panic in it or in a dependency), not in the spec.
    pub internal: bool,
}

impl Error {
    pub(crate) fn at(pointer: &Pointer, message: impl Into<String>) -> Self {
        Self {
            pointer: pointer.to_string(),
            line: None,
            message: message.into(),
            internal: false,
        }
    }

    /// The error for a panic caught while generating, from its payload.
    pub(crate) fn from_panic(payload: &(dyn std::any::Any + Send)) -> Self {
        let what = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("a panic without a message");
        Self {
            internal: true,
            ..Self::at(
                &Pointer::root(),
                format!(
                    "internal error, a bug in the generator and not in the description: {what}; \
                     please report it with the description that caused it"
                ),
            )
        }
    }
}

/// Runs `generation`, turning a panic in it (in the generator or in any
/// dependency) into an internal [`Error`]; generating never unwinds into
/// the caller.
pub(crate) fn catch_panics<T>(generation: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
    // Nothing `generation` borrows is used again after a panic but the
    // input text, which a panic cannot have changed.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(generation))
        .unwrap_or_else(|payload| Err(Error::from_panic(payload.as_ref())))
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

    /// Parses a local `$ref` such as `#/components/schemas/Key`: a URI
    /// fragment, so percent escapes (`%20`) are decoded.
    pub fn from_ref(reference: &str) -> Option<Self> {
        if reference != "#" && !reference.starts_with("#/") {
            return None;
        }
        let decoded = percent_encoding::percent_decode_str(reference).decode_utf8_lossy();
        Some(Self(decoded.into_owned()))
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
pub(crate) mod tests {
    use super::*;

    #[test]
    fn segments_are_escaped_and_unescaped() {
        let pointer = Pointer::root().join("paths").join("/keys/{id}").join("a~b");
        assert_eq!(pointer.to_string(), "#/paths/~1keys~1{id}/a~0b");
        let segments: Vec<_> = pointer.segments().collect();
        assert_eq!(segments, ["paths", "/keys/{id}", "a~b"]);
    }

    /// Held by each test that sets the process's panic hook.
    pub(crate) static PANIC_HOOK: std::sync::Mutex<()> = std::sync::Mutex::new(());

    #[test]
    fn a_panic_becomes_an_internal_error_at_the_root() {
        let _hook_is_ours = PANIC_HOOK.lock();
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let error = catch_panics::<()>(|| panic!("the {} went wrong", "thing")).unwrap_err();
        let static_text = catch_panics::<()>(|| panic!("plain")).unwrap_err();
        std::panic::set_hook(hook);
        assert!(error.internal);
        assert_eq!(error.pointer, "#");
        assert!(error.message.contains("the thing went wrong"), "{error}");
        assert!(error.message.contains("a bug in the generator"), "{error}");
        assert!(static_text.message.contains("plain"), "{static_text}");
        assert_eq!(catch_panics(|| Ok(7)), Ok(7));
    }

    #[test]
    fn only_local_refs_are_pointers() {
        assert!(Pointer::from_ref("#/components/schemas/A").is_some());
        assert!(Pointer::from_ref("other.yaml#/components/schemas/A").is_none());
        let escaped =
            Pointer::from_ref("#/components/schemas/My%20Pet/properties/a~1b~0c").unwrap();
        let segments: Vec<_> = escaped.segments().collect();
        assert_eq!(
            segments,
            ["components", "schemas", "My Pet", "properties", "a/b~c"]
        );
    }
}
