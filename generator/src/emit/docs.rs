//! Doc comments from spec descriptions.
//!
//! Doc text is nearly half of a generated crate's bytes. As tokens, each
//! line would be escaped into a string literal, read back by `syn` and
//! printed by `prettyplease`, which cost about a sixth of a generation
//! while changing nothing in it. So a part of a file is emitted with a
//! [`Docs`] that keeps each doc comment's text aside while the tokens carry
//! a one-line placeholder (`///` + [`PLACEHOLDER`] + its index), which
//! rendering replaces with the text once the part is formatted.
//! [`Docs::inline`] keeps the text in the tokens instead.

use std::borrow::Borrow;
use std::cell::RefCell;

use proc_macro2::TokenStream;
use quote::quote;

/// Starts the text of a doc comment that stands for collected doc text;
/// the index into the collected texts follows it. No doc text that stays
/// in the tokens can print as such a comment line: spec text goes through
/// this module, and a text kept in the tokens (see [`Docs::line`]) prints
/// as a block comment.
pub const PLACEHOLDER: char = '\u{1}';

/// Where the doc comments of the part being emitted go: aside, each the
/// lines of one comment joined by `\n`, or into the tokens.
pub struct Docs {
    collected: Option<RefCell<Vec<String>>>,
}

impl Docs {
    /// Doc texts kept aside, for [`Docs::into_texts`].
    pub fn collecting() -> Self {
        Self {
            collected: Some(RefCell::default()),
        }
    }

    /// Doc texts left in the tokens.
    #[cfg(test)]
    pub fn inline() -> Self {
        Self { collected: None }
    }

    /// The texts kept aside, which the placeholders index.
    pub fn into_texts(self) -> Vec<String> {
        self.collected.map(RefCell::into_inner).unwrap_or_default()
    }

    /// `///` lines for `text`, one attribute per line.
    pub fn outer(&self, text: &str) -> TokenStream {
        let lines = lines(text);
        match self.placeholder(&lines) {
            Some(placeholder) => quote! { #[doc = #placeholder] },
            None => quote! { #(#[doc = #lines])* },
        }
    }

    /// `//!` lines for `text`.
    pub fn inner(&self, text: &str) -> TokenStream {
        let lines = lines(text);
        match self.placeholder(&lines) {
            Some(placeholder) => quote! { #![doc = #placeholder] },
            None => quote! { #(#![doc = #lines])* },
        }
    }

    /// One `///` attribute whose text is exactly `text` (with its leading
    /// space), for docs made of a name or value from the spec. A text that
    /// `prettyplease` would not print as one `///` line (it has a line
    /// break or starts with `/`) stays in the tokens.
    pub fn line(&self, text: &str) -> TokenStream {
        let prints_as_line = !text.contains('\n') && !text.starts_with('/');
        match prints_as_line.then(|| self.placeholder(&[text])).flatten() {
            Some(placeholder) => quote! { #[doc = #placeholder] },
            None => quote! { #[doc = #text] },
        }
    }

    /// A placeholder for `lines`, which are kept aside, when collecting.
    fn placeholder<S: Borrow<str>>(&self, lines: &[S]) -> Option<String> {
        if lines.is_empty() {
            return None;
        }
        let mut collected = self.collected.as_ref()?.borrow_mut();
        let index = collected.len();
        collected.push(lines.join("\n"));
        Some(format!("{PLACEHOLDER}{index}"))
    }
}

/// `text` broken into lines of at most 80 characters where it has spaces,
/// for doc sentences the generator writes itself (the spec's own prose
/// keeps its lines).
pub fn wrapped(text: &str) -> String {
    const WIDTH: usize = 80;
    let mut out = String::with_capacity(text.len());
    let mut line = 0;
    for word in text.split(' ') {
        if line > 0 && line + 1 + word.chars().count() > WIDTH {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += word.chars().count();
    }
    out
}

/// Paragraphs joined by blank lines, skipping absent ones.
pub fn paragraphs<'t>(parts: impl IntoIterator<Item = Option<&'t str>>) -> String {
    parts
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Each line with a leading space, so `#[doc = " x"]` prints as `/// x`,
/// and bare URLs in angle brackets, as rustdoc wants them (outside code
/// blocks, where they are code). A line that continues a list item is
/// indented to the item's text, as Markdown (and clippy) expect.
fn lines(text: &str) -> Vec<String> {
    let mut in_code = false;
    // The column where the current list item's text starts.
    let mut item_text: Option<usize> = None;
    // Whether the lines before were a block quote, which a line without
    // `>` continues lazily in Markdown: it gets the `>` (clippy asks for it).
    let mut in_quote = false;
    text.trim()
        .lines()
        .map(|line| {
            let line = line.trim_end();
            if line.trim_start().starts_with("```") {
                in_code = !in_code;
                return format!(" {line}");
            }
            if line.is_empty() {
                item_text = None;
                in_quote = false;
                return String::new();
            }
            if in_code {
                return format!(" {line}");
            }
            if line.trim_start().starts_with('>') {
                in_quote = true;
            } else if in_quote {
                return format!(" > {}", link_bare_urls(line.trim_start()));
            }
            let indent = line.len() - line.trim_start().len();
            let line = match (list_marker(line.trim_start()), item_text) {
                (Some(marker), _) => {
                    item_text = Some(indent + marker);
                    line.to_owned()
                }
                (None, Some(column)) if indent < column => {
                    format!("{}{}", " ".repeat(column), line.trim_start())
                }
                _ => line.to_owned(),
            };
            format!(" {}", link_bare_urls(&line))
        })
        .collect()
}

/// The width of a Markdown list marker at the start of `line` (`- `, `* `,
/// `+ `, `1. `, `1) `), if it starts with one.
fn list_marker(line: &str) -> Option<usize> {
    if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        return Some(2);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let rest = &line[digits..];
    (digits > 0 && (rest.starts_with(". ") || rest.starts_with(") "))).then_some(digits + 2)
}

/// Wraps `http(s)://…` words that are not already Markdown links or autolinks.
fn link_bare_urls(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 4);
    let mut rest = line;
    while let Some(start) = rest.find("http") {
        let (before, from) = rest.split_at(start);
        out.push_str(before);
        let end = from
            .find(|c: char| c.is_whitespace() || matches!(c, ')' | '>' | '`'))
            .unwrap_or(from.len());
        // Always at least "http", so the loop advances.
        let word = from[..end].trim_end_matches(['.', ',', ';']);
        let is_url = word.starts_with("https://") || word.starts_with("http://");
        if is_url && !before.ends_with(['(', '<', '`']) {
            out.push('<');
            out.push_str(word);
            out.push('>');
        } else {
            out.push_str(word);
        }
        rest = &from[word.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_sentences_wrap_at_spaces() {
        let text = "word ".repeat(30);
        let long = wrapped(text.trim_end());
        assert!(long.lines().all(|line| line.len() <= 80), "{long}");
        assert_eq!(long.replace('\n', " "), text.trim_end());
        assert_eq!(wrapped("short"), "short");
    }

    #[test]
    fn collected_docs_leave_placeholders_in_the_tokens() {
        let docs = Docs::collecting();
        let mut tokens = docs.outer("First line.\n\nSecond paragraph.");
        tokens.extend(docs.inner("Module."));
        tokens.extend(docs.line(" `a`"));
        // Would not print as one `///` line, so it stays in the tokens.
        tokens.extend(docs.line(" `a\nb`"));
        assert_eq!(
            docs.into_texts(),
            [" First line.\n\n Second paragraph.", " Module.", " `a`"]
        );
        assert_eq!(
            tokens.to_string(),
            quote! {
                #[doc = "\u{1}0"]
                #![doc = "\u{1}1"]
                #[doc = "\u{1}2"]
                #[doc = " `a\nb`"]
            }
            .to_string()
        );
    }

    #[test]
    fn inline_docs_stay_in_the_tokens() {
        let docs = Docs::inline();
        assert_eq!(
            docs.outer("One.\nTwo.").to_string(),
            quote! { #[doc = " One."] #[doc = " Two."] }.to_string()
        );
        assert_eq!(
            docs.line(" x").to_string(),
            quote! { #[doc = " x"] }.to_string()
        );
        assert!(docs.into_texts().is_empty());
    }

    #[test]
    fn bare_urls_become_autolinks() {
        assert_eq!(link_bare_urls("see https://a.b/c."), "see <https://a.b/c>.");
        assert_eq!(
            link_bare_urls("[x](https://a.b) and <https://c.d>"),
            "[x](https://a.b) and <https://c.d>"
        );
        assert_eq!(link_bare_urls("`https://e.f`"), "`https://e.f`");
        assert_eq!(link_bare_urls("httpx"), "httpx");
    }

    #[test]
    fn urls_in_code_blocks_stay_as_written() {
        assert_eq!(
            lines("see https://a.b\n```\nget(\"https://c.d\")\n```\nand https://e.f"),
            [
                " see <https://a.b>",
                " ```",
                " get(\"https://c.d\")",
                " ```",
                " and <https://e.f>"
            ]
        );
    }

    #[test]
    fn list_continuations_are_indented_to_the_item() {
        assert_eq!(
            lines("Values:\n- AWS\n-- `MSK` for Kafka\n  - nested\n  more\n\nAfter."),
            [
                " Values:",
                " - AWS",
                "   -- `MSK` for Kafka",
                "   - nested",
                "     more",
                "",
                " After."
            ]
        );
    }

    #[test]
    fn lazy_block_quote_lines_get_their_marker() {
        assert_eq!(
            lines("Intro.\n\n> **Note:** quoted.\nStill quoted.\n\nAfter."),
            [
                " Intro.",
                "",
                " > **Note:** quoted.",
                " > Still quoted.",
                "",
                " After."
            ]
        );
    }

    #[test]
    fn paragraphs_skip_empty_parts() {
        assert_eq!(
            paragraphs([Some(" a "), None, Some(""), Some("b")]),
            "a\n\nb"
        );
    }
}
