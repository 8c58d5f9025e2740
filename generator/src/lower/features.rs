//! Cargo features: one per tag of the operations generated, and which
//! features compile each operation and each type, and how each type is used.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use openapiv3::OpenAPI;

use crate::model::{Feature, FeatureOf, Operation, TypeDef, Usage, walk};
use crate::names::{self, RESERVED_FEATURE_NAMES, Scope};

/// The feature of the operations without tags.
const UNTAGGED: &str = "untagged";

/// The feature of the types no operation uses.
const UNUSED_TYPES: &str = "unused-types";

/// Sets each operation's features from its tags, and returns the crate's
/// features: the tags the operations have, in the order of the
/// description's `tags`, then the undeclared ones as operations use them,
/// then the untagged operations'.
pub(super) fn assign(doc: &OpenAPI, operations: &mut [Operation]) -> Vec<Feature> {
    let mut tags: Vec<(String, Option<String>)> = doc
        .tags
        .iter()
        .filter(|tag| operations.iter().any(|op| op.tags.contains(&tag.name)))
        .map(|tag| (tag.name.clone(), tag.description.clone()))
        .collect();
    for operation in operations.iter() {
        for tag in &operation.tags {
            if !tags.iter().any(|(name, _)| name == tag) {
                tags.push((tag.clone(), None));
            }
        }
    }
    let mut scope = Scope::with_reserved(RESERVED_FEATURE_NAMES);
    let mut features: Vec<Feature> = tags
        .into_iter()
        .map(|(tag, description)| Feature {
            name: scope.claim(names::feature(&tag)),
            of: FeatureOf::Tag {
                name: tag,
                description,
            },
        })
        .collect();
    if operations.iter().any(|op| op.tags.is_empty()) {
        features.push(Feature {
            name: scope.claim(UNTAGGED.to_owned()),
            of: FeatureOf::Untagged,
        });
    }
    let position = |tag: Option<&String>| {
        features
            .iter()
            .position(|feature| match (&feature.of, tag) {
                (FeatureOf::Tag { name, .. }, Some(tag)) => name == tag,
                (FeatureOf::Untagged, None) => true,
                _ => false,
            })
            .expect("every tag and the untagged have a feature")
    };
    for operation in operations.iter_mut() {
        let mut indices: Vec<usize> = match operation.tags.is_empty() {
            true => vec![position(None)],
            false => operation
                .tags
                .iter()
                .map(|tag| position(Some(tag)))
                .collect(),
        };
        indices.sort_unstable();
        indices.dedup();
        operation.features = match indices.len() == features.len() {
            true => Vec::new(),
            false => indices.iter().map(|&i| features[i].name.clone()).collect(),
        };
    }
    features
}

/// How a type is reached so far: through which features, and whether sent
/// or received.
#[derive(Default, Clone, PartialEq)]
struct Reached {
    features: BTreeSet<usize>,
    sent: bool,
    received: bool,
}

impl Reached {
    /// Adds `other`; whether anything was new.
    fn absorb(&mut self, other: &Reached) -> bool {
        let before = self.clone();
        self.features.extend(&other.features);
        self.sent |= other.sent;
        self.received |= other.received;
        *self != before
    }
}

/// Sets each type's features (those of the operations that reach it, at
/// any depth) and usage. The types no operation reaches get a feature of
/// their own (added to `features`), as does everything they hold, and are
/// used both ways, for whatever their user does with them. A type that
/// every operation's feature reaches is compiled whatever the features.
pub(super) fn gate_types(
    types: &mut BTreeMap<String, TypeDef>,
    operations: &[Operation],
    features: &mut Vec<Feature>,
) {
    let with_operations = features.len();
    let index: HashMap<&str, usize> = features
        .iter()
        .enumerate()
        .map(|(i, feature)| (feature.name.as_str(), i))
        .collect();
    let mut reached: HashMap<String, Reached> = HashMap::new();
    let mut names = Vec::new();
    for operation in operations {
        let features: BTreeSet<usize> = match operation.features.is_empty() {
            true => (0..features.len()).collect(),
            false => operation
                .features
                .iter()
                .map(|name| index[name.as_str()])
                .collect(),
        };
        for sent in [true, false] {
            names.clear();
            match sent {
                true => operation.sent_types(&mut names),
                false => operation.received_types(&mut names),
            }
            let how = Reached {
                features: features.clone(),
                sent,
                received: !sent,
            };
            spread(types, &mut reached, &names, &how);
        }
    }
    let unreached: Vec<&str> = types
        .keys()
        .map(String::as_str)
        .filter(|name| !reached.contains_key(*name))
        .collect();
    if !unreached.is_empty() {
        // Without operations, there is nothing to choose between.
        let mut own = BTreeSet::new();
        if with_operations > 0 {
            let taken: Vec<&str> = features.iter().map(|f| f.name.as_str()).collect();
            let mut scope = Scope::with_reserved(RESERVED_FEATURE_NAMES).with_more_reserved(&taken);
            features.push(Feature {
                name: scope.claim(UNUSED_TYPES.to_owned()),
                of: FeatureOf::UnusedTypes,
            });
            own.insert(with_operations);
        }
        let unused = Reached {
            features: own,
            sent: true,
            received: true,
        };
        spread(types, &mut reached, &unreached, &unused);
    }
    for (name, def) in types.iter_mut() {
        let how = &reached[name];
        let everywhere = (0..with_operations).all(|i| how.features.contains(&i));
        def.features = match everywhere {
            true => Vec::new(),
            false => how
                .features
                .iter()
                .map(|&i| features[i].name.clone())
                .collect(),
        };
        def.usage = Usage {
            sent: how.sent,
            received: how.received,
        };
    }
}

/// Adds `how` to the types named by `roots` and every type they hold.
fn spread(
    types: &BTreeMap<String, TypeDef>,
    reached: &mut HashMap<String, Reached>,
    roots: &[&str],
    how: &Reached,
) {
    walk(&|name| types.get(name), roots.to_vec(), |name| {
        types.contains_key(name) && reached.entry(name.to_owned()).or_default().absorb(how)
    });
}

#[cfg(test)]
mod tests {
    use super::super::check::*;

    const PATHS: &str = "/a:
  get:
    operationId: readA
    tags: [Alpha]
    parameters: [{name: mode, in: query, schema: {$ref: '#/components/schemas/Mode'}}]
    responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Shared'}}}}}
/b:
  post:
    operationId: writeB
    tags: [Beta, Mock]
    requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/Shared'}}}}
    responses: {'204': {description: done}}
/c:
  get:
    operationId: readC
    responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Only'}}}}}
";

    const SCHEMAS: &str = "Mode: {type: string, enum: [fast, slow]}
Shared: {type: object, properties: {inner: {$ref: '#/components/schemas/Inner'}}}
Inner: {type: object, properties: {n: {type: integer}}}
Only: {type: object, properties: {n: {type: integer}}}
Spare: {type: object, properties: {inner: {$ref: '#/components/schemas/Inner'}}}";

    #[test]
    fn tags_become_features_that_gate_operations_and_the_types_they_reach() {
        let outline = lowered(&with_paths(PATHS, SCHEMAS));
        has_lines(
            &outline,
            "feature alpha for tag \"Alpha\"
feature beta for tag \"Beta\"
feature mock2 for tag \"Mock\"
feature untagged for untagged operations
feature unused-types for unused types
operation readA GET /a -> read_a/ReadA, default
  with feature alpha
operation writeB POST /b -> write_b/WriteB, default
  with feature beta or mock2
operation readC GET /c -> read_c/ReadC, default
  with feature untagged",
        );
        // Through `Shared`, both tags' operations reach `Inner`, as does
        // the unused `Spare`; `Only` is the untagged operation's alone.
        let gate_of = |name: &str| {
            let mut lines = outline
                .lines()
                .skip_while(|line| !line.contains(&format!(" {name} (")));
            lines.next();
            lines
                .take_while(|line| line.starts_with("  "))
                .filter(|line| line.starts_with("  with") || line.starts_with("  only"))
                .collect::<Vec<_>>()
        };
        assert_eq!(gate_of("Mode"), ["  with feature alpha", "  only sent"]);
        assert_eq!(gate_of("Shared"), ["  with feature alpha or beta or mock2"]);
        assert_eq!(
            gate_of("Inner"),
            ["  with feature alpha or beta or mock2 or unused-types"]
        );
        assert_eq!(
            gate_of("Only"),
            ["  with feature untagged", "  only received"]
        );
        assert_eq!(gate_of("Spare"), ["  with feature unused-types"]);
    }

    #[test]
    fn a_type_every_operation_reaches_is_compiled_always() {
        let outline = lowered(&with_paths(
            "/a:
  get:
    operationId: readA
    tags: [Alpha]
    responses: {default: {description: no, content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}}}
/b:
  get:
    operationId: readB
    tags: [Beta]
    responses: {default: {description: no, content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}}}
",
            "Problem: {type: object, properties: {message: {type: string}}}",
        ));
        has_lines(
            &outline,
            "struct Problem (#/components/schemas/Problem)
  message: Option<String>
  only received
operation readA GET /a -> read_a/ReadA, default
  with feature alpha",
        );
        assert!(!outline.contains("unused-types"), "{outline}");
    }

    #[test]
    fn one_tag_gates_nothing() {
        let outline = lowered(&with_paths(
            "/a:
  get:
    operationId: readA
    tags: [Alpha]
    responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Shared'}}}}}
",
            "Shared: {type: object, properties: {n: {type: integer}}}",
        ));
        assert!(
            outline.contains("feature alpha for tag \"Alpha\"\n"),
            "{outline}"
        );
        assert!(!outline.contains("with feature"), "{outline}");
    }
}
