//! References to other files (`common.yaml#/components/schemas/Error`,
//! `./schemas/pet.json`), brought into the document before it is read: each
//! file is loaded once, through the caller's loader (the library does no
//! I/O), and each target is copied under the document's own components,
//! where the reference then points. A target inside `components` keeps its
//! section and name; a whole file, or another place in one, becomes a
//! schema named after the file and the place. References inside a copied
//! target are relative to its file, and are followed the same way.
//! References to the network are refused.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::error::{Error, Pointer};
use crate::names;

/// Loads the file at a path relative to the main document's directory
/// (with `/` separators), as a value, or fails with a located error.
pub type Load<'l> = dyn FnMut(&str) -> Result<Value, Error> + 'l;

/// The loader of a caller that reads no files: each is an error.
pub fn no_files(path: &str) -> Result<Value, Error> {
    Err(Error::at(
        &Pointer::root(),
        format!(
            "`{path}` is another document, which this reads only through a loader (the command line reads files beside the description)"
        ),
    ))
}

/// Brings every file `document` refers to into it; `false` when it refers
/// to none (and is left as it was).
pub fn bundle(document: &mut Value, load: &mut Load<'_>) -> Result<bool, Error> {
    let mut bundler = Bundler {
        load,
        files: HashMap::new(),
        placed: HashMap::new(),
    };
    let mut pending = Vec::new();
    collect(document, &Pointer::root(), &mut pending);
    if pending.is_empty() {
        return Ok(false);
    }
    for (at, reference) in pending {
        let local = bundler.place(document, "", &reference, &at)?;
        if let Some(node) = document.pointer_mut(&json_pointer(&at)) {
            node["$ref"] = Value::String(local);
        }
    }
    Ok(true)
}

struct Bundler<'b, 'l> {
    load: &'b mut Load<'l>,
    /// Each file loaded, by its path from the main document's directory.
    files: HashMap<String, Value>,
    /// Where each target was copied to, by file and pointer.
    placed: HashMap<(String, String), String>,
}

impl Bundler<'_, '_> {
    /// Copies the target of `reference` (written in the file `base`, `""`
    /// for the main document) into `document` if it is not there yet, and
    /// returns the local reference to it; references inside the copy are
    /// brought in the same way.
    fn place(
        &mut self,
        document: &mut Value,
        base: &str,
        reference: &str,
        at: &Pointer,
    ) -> Result<String, Error> {
        let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        if path.contains("://") {
            return Err(Error::at(
                at,
                format!(
                    "`$ref: {reference}` is on the network, which the generator never reaches; save it beside the description and refer to the file"
                ),
            ));
        }
        let file = join(base, path);
        let fragment = Pointer::from_ref(&format!("#{fragment}")).ok_or_else(|| {
            Error::at(
                at,
                format!("`$ref: {reference}` has a fragment that is no JSON pointer"),
            )
        })?;
        let key = (file.clone(), fragment.to_string());
        if let Some(local) = self.placed.get(&key) {
            return Ok(local.clone());
        }
        if !self.files.contains_key(&file) {
            // Located at the reference; the message says where in the file.
            let loaded = (self.load)(&file).map_err(|error| {
                Error::at(at, format!("`$ref: {reference}`: {}", error.message))
            })?;
            self.files.insert(file.clone(), loaded);
        }
        let mut target = self.files[&file]
            .pointer(&json_pointer(&fragment))
            .cloned()
            .ok_or_else(|| {
                Error::at(
                    at,
                    format!("`$ref: {reference}` points to nothing in {file}"),
                )
            })?;
        let segments: Vec<String> = fragment.segments().collect();
        let (section, name) = match segments.as_slice() {
            [components, section, name] if components == "components" => {
                (section.clone(), name.clone())
            }
            _ => {
                let stem = file.rsplit('/').next().unwrap_or(&file);
                let stem = stem.split('.').next().unwrap_or(stem);
                let words = std::iter::once(stem.to_owned()).chain(segments);
                (
                    "schemas".to_owned(),
                    names::pascal(&words.collect::<Vec<_>>().join(" ")),
                )
            }
        };
        let components = document
            .as_object_mut()
            .ok_or_else(|| Error::at(&Pointer::root(), "an OpenAPI document must be a mapping"))?
            .entry("components")
            .or_insert_with(|| Value::Object(Map::new()));
        let section_map = components
            .as_object_mut()
            .ok_or_else(|| Error::at(at, "`components` must be a mapping"))?
            .entry(section.clone())
            .or_insert_with(|| Value::Object(Map::new()))
            .as_object_mut()
            .ok_or_else(|| Error::at(at, format!("`components/{section}` must be a mapping")))?;
        let name = (1..)
            .map(|n| {
                if n == 1 {
                    name.clone()
                } else {
                    format!("{name}{n}")
                }
            })
            .find(|candidate| !section_map.contains_key(candidate))
            .expect("an unbounded range always yields a free name");
        let place = Pointer::root()
            .join("components")
            .join(&section)
            .join(&name);
        let local = place.to_string();
        self.placed.insert(key, local.clone());
        // References inside the copy are relative to its file.
        relative_to(&mut target, &file);
        let mut inner = Vec::new();
        collect(&target, &place, &mut inner);
        section_map.insert(name, target);
        for (inner_at, inner_reference) in inner {
            let local = self.place(document, "", &inner_reference, &inner_at)?;
            if let Some(node) = document.pointer_mut(&json_pointer(&inner_at)) {
                node["$ref"] = Value::String(local);
            }
        }
        Ok(local)
    }
}

/// Every reference to another file under `node`, with where it is;
/// extensions and data (examples, defaults) are not the document's to
/// follow.
fn collect(node: &Value, at: &Pointer, found: &mut Vec<(Pointer, String)>) {
    match node {
        Value::Object(object) => {
            if let Some(Value::String(reference)) = object.get("$ref") {
                if !reference.starts_with('#') {
                    found.push((at.clone(), reference.clone()));
                }
                return;
            }
            for (key, child) in object {
                let data = matches!(key.as_str(), "example" | "examples" | "default" | "enum");
                if !data && !key.starts_with("x-") {
                    collect(child, &at.join(key), found);
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                collect(item, &at.join(index), found);
            }
        }
        _ => {}
    }
}

/// Rewrites the references of a node copied out of `file` so they hold in
/// the main document: `#/x` becomes `file#/x`, `other.yaml` becomes the
/// path of `other.yaml` beside `file`.
fn relative_to(node: &mut Value, file: &str) {
    match node {
        Value::Object(object) => {
            if let Some(Value::String(reference)) = object.get_mut("$ref") {
                let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
                let path = if path.is_empty() {
                    file.to_owned()
                } else {
                    join(file, path)
                };
                *reference = format!("{path}#{fragment}");
                return;
            }
            object
                .values_mut()
                .for_each(|child| relative_to(child, file));
        }
        Value::Array(items) => items.iter_mut().for_each(|item| relative_to(item, file)),
        _ => {}
    }
}

/// `path` as seen from the main document's directory, when written in the
/// file `base` (`""` for the main document): `../a.yaml` from `x/b.yaml`
/// is `a.yaml`.
fn join(base: &str, path: &str) -> String {
    let mut parts: Vec<&str> = base.split('/').collect();
    parts.pop();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|last| *last != "..") => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    parts.retain(|part| !part.is_empty());
    parts.join("/")
}

fn json_pointer(at: &Pointer) -> String {
    at.to_string().split_off(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn files() -> HashMap<&'static str, Value> {
        HashMap::from([
            (
                "common.yaml",
                json!({"components": {"schemas": {
                    "Error": {"type": "object", "properties": {"code": {"$ref": "#/components/schemas/Code"}}},
                    "Code": {"type": "integer"},
                }}}),
            ),
            (
                "schemas/pet.json",
                json!({"type": "object", "properties": {"owner": {"$ref": "../common.yaml#/components/schemas/Error"}}}),
            ),
        ])
    }

    fn bundled(mut document: Value) -> Result<(Value, Vec<String>), Error> {
        let files = files();
        let mut loaded = Vec::new();
        let mut load = |path: &str| {
            loaded.push(path.to_owned());
            files
                .get(path)
                .cloned()
                .ok_or_else(|| Error::at(&Pointer::root(), format!("{path}: no such file")))
        };
        bundle(&mut document, &mut load)?;
        Ok((document, loaded))
    }

    #[test]
    fn files_are_loaded_once_and_targets_become_components() {
        let (document, mut loaded) = bundled(json!({
            "paths": {"/pets": {"get": {"responses": {"200": {"content": {"application/json": {
                "schema": {"$ref": "./schemas/pet.json"}
            }}}, "400": {"content": {"application/json": {
                "schema": {"$ref": "common.yaml#/components/schemas/Error"}
            }}}}}}},
        }))
        .unwrap();
        loaded.sort();
        assert_eq!(loaded, ["common.yaml", "schemas/pet.json"]);
        let schemas = &document["components"]["schemas"];
        assert_eq!(
            schemas["Pet"]["properties"]["owner"],
            json!({"$ref": "#/components/schemas/Error"})
        );
        assert_eq!(
            schemas["Error"]["properties"]["code"],
            json!({"$ref": "#/components/schemas/Code"})
        );
        assert_eq!(schemas["Code"], json!({"type": "integer"}));
        let responses = &document["paths"]["/pets"]["get"]["responses"];
        assert_eq!(
            responses["200"]["content"]["application/json"]["schema"],
            json!({"$ref": "#/components/schemas/Pet"})
        );
    }

    #[test]
    fn references_in_extensions_and_examples_are_not_followed() {
        let document = json!({
            "x-policy": {"$ref": "../policies.yaml"},
            "components": {"schemas": {"A": {"type": "object", "example": {"$ref": "gone.yaml"}}}},
        });
        let (bundled, loaded) = bundled(document.clone()).unwrap();
        assert_eq!(bundled, document);
        assert!(loaded.is_empty());
    }

    #[test]
    fn the_network_and_missing_files_are_located_errors() {
        let error = bundled(
            json!({"components": {"schemas": {"A": {"$ref": "https://example.com/a.json"}}}}),
        )
        .unwrap_err();
        assert_eq!(error.pointer, "#/components/schemas/A");
        assert!(error.message.contains("network"), "{error}");
        let error = bundled(json!({"components": {"schemas": {"A": {"$ref": "gone.yaml#/A"}}}}))
            .unwrap_err();
        assert_eq!(error.pointer, "#/components/schemas/A");
        assert!(error.message.contains("gone.yaml: no such file"), "{error}");
    }

    #[test]
    fn paths_join_from_the_referring_file() {
        assert_eq!(join("", "./schemas/pet.json"), "schemas/pet.json");
        assert_eq!(join("schemas/pet.json", "../common.yaml"), "common.yaml");
        assert_eq!(join("a/b.yaml", "c.yaml"), "a/c.yaml");
        assert_eq!(join("", "../up.yaml"), "../up.yaml");
    }
}
