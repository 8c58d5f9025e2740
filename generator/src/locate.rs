//! The line of a JSON pointer in the spec text, for error messages.
//!
//! `serde_yaml` keeps no positions once a document is parsed, and
//! `openapiv3` none at all, so errors found after parsing know only their
//! pointer. When one is reported, this reads the text again as a stream of
//! YAML events (with `yaml-rust2`, whose events carry their line) and
//! follows the pointer through it. It runs only on failure.

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::error::Pointer;

/// The 1-based line where the node at `pointer` starts, if the text has it.
pub fn line(text: &str, pointer: &str) -> Option<usize> {
    let pointer = Pointer::from_ref(pointer)?;
    let mut finder = Finder {
        target: pointer.segments().collect(),
        path: Vec::new(),
        frames: Vec::new(),
        found: None,
    };
    // A document that does not parse has no lines to give beyond its error's.
    Parser::new_from_str(text).load(&mut finder, false).ok()?;
    finder.found
}

struct Finder {
    target: Vec<String>,
    /// The segments of the node being read.
    path: Vec<String>,
    frames: Vec<Frame>,
    found: Option<usize>,
}

enum Frame {
    /// A mapping, holding the key whose value comes next and the key's line,
    /// which is where people look for a member (`get:`), rather than the
    /// line its value starts on.
    Mapping(Option<(String, usize)>),
    Sequence(usize),
    /// A collection used as a mapping key, at some nesting depth below its
    /// start line: skipped, it has no pointer segment of its own.
    ComplexKey {
        depth: usize,
        line: usize,
    },
}

/// Where the node that starts now sits in its parent.
enum Place {
    Root,
    Key,
    Value(String, Option<usize>),
    InsideComplexKey,
}

impl Finder {
    fn place(&mut self) -> Place {
        match self.frames.last_mut() {
            None => Place::Root,
            Some(Frame::ComplexKey { .. }) => Place::InsideComplexKey,
            Some(Frame::Mapping(key)) => match key.take() {
                Some((key, line)) => Place::Value(key, Some(line)),
                None => Place::Key,
            },
            Some(Frame::Sequence(next)) => {
                *next += 1;
                Place::Value((*next - 1).to_string(), None)
            }
        }
    }

    /// A node starts at `line`; `collection` when it has children.
    fn start(&mut self, scalar: Option<String>, collection: Option<Frame>, line: usize) {
        match self.place() {
            Place::InsideComplexKey => {
                if let (Some(Frame::ComplexKey { depth, .. }), Some(_)) =
                    (self.frames.last_mut(), &collection)
                {
                    *depth += 1;
                }
            }
            Place::Key => match collection {
                Some(_) => self.frames.push(Frame::ComplexKey { depth: 0, line }),
                None => {
                    if let Some(Frame::Mapping(key)) = self.frames.last_mut() {
                        *key = Some((scalar.unwrap_or_default(), line));
                    }
                }
            },
            place => {
                let (segment, key_line) = match place {
                    Place::Value(segment, key_line) => (Some(segment), key_line),
                    _ => (None, None),
                };
                if let Some(segment) = &segment {
                    self.path.push(segment.clone());
                }
                if self.found.is_none() && self.path == self.target {
                    self.found = Some(key_line.unwrap_or(line));
                }
                match collection {
                    Some(frame) => self.frames.push(frame),
                    None if segment.is_some() => {
                        self.path.pop();
                    }
                    None => {}
                }
            }
        }
    }

    fn end(&mut self) {
        match self.frames.pop() {
            Some(Frame::ComplexKey { depth, line }) if depth > 0 => {
                self.frames.push(Frame::ComplexKey {
                    depth: depth - 1,
                    line,
                });
            }
            Some(Frame::ComplexKey { line, .. }) => {
                // The skipped key's value follows, under serde's `?` for a
                // key that is not a string.
                if let Some(Frame::Mapping(key)) = self.frames.last_mut() {
                    *key = Some(("?".to_owned(), line));
                }
            }
            Some(_) => {
                self.path.pop();
            }
            None => {}
        }
    }
}

impl MarkedEventReceiver for Finder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        let line = mark.line();
        match event {
            Event::Scalar(value, ..) => self.start(Some(value), None, line),
            Event::Alias(_) => self.start(None, None, line),
            Event::MappingStart(..) => self.start(None, Some(Frame::Mapping(None)), line),
            Event::SequenceStart(..) => self.start(None, Some(Frame::Sequence(0)), line),
            Event::MappingEnd | Event::SequenceEnd => self.end(),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::line;

    const SPEC: &str = "openapi: 3.0.3\npaths:\n  /keys/{id}:\n    get:\n      parameters:\n        - name: id\n          in: path\n        - {name: q, in: query}\n? [complex, key]\n: ignored\ntail: {a: [1, 2]}\n";

    #[test]
    fn pointers_find_their_lines() {
        assert_eq!(line(SPEC, "#"), Some(1));
        assert_eq!(line(SPEC, "#/openapi"), Some(1));
        assert_eq!(line(SPEC, "#/paths/~1keys~1{id}/get"), Some(4));
        assert_eq!(
            line(SPEC, "#/paths/~1keys~1{id}/get/parameters/0/in"),
            Some(7)
        );
        assert_eq!(line(SPEC, "#/paths/~1keys~1{id}/get/parameters/1"), Some(8));
        assert_eq!(line(SPEC, "#/tail/a/1"), Some(11));
        // A collection as a key: its value is `?`, as serde names it.
        assert_eq!(line(SPEC, "#/?"), Some(9));
    }

    #[test]
    fn absent_pointers_and_broken_text_have_no_line() {
        assert_eq!(line(SPEC, "#/paths/~1other"), None);
        assert_eq!(line(SPEC, "#/tail/a/2"), None);
        assert_eq!(line("a: [", "#/a"), None);
        assert_eq!(line(SPEC, "not a pointer"), None);
    }
}
