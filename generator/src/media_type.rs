//! A media type's essence: what reading a document (`parse`) and lowering
//! it (`lower`) both classify media types by.

/// The type and subtype of `media_type`, lowercase, its parameters left
/// out (`Application/JSON; charset=utf-8` is `application/json`).
pub fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}
