//! A subset of the description: only the operations asked for, and the
//! types they reach.

use std::collections::{BTreeMap, HashSet};

use crate::Subset;
use crate::error::{Error, Pointer};
use crate::model::{Fallback, Operation, TypeDef, walk};

/// Refuses a subset naming a tag or an operation that none of the
/// generated operations has: a misspelt name would otherwise make a crate
/// without what was asked for.
pub(super) fn check(subset: &Subset, operations: &[Operation]) -> Result<(), Error> {
    for wanted in &subset.tags {
        let found = operations
            .iter()
            .any(|operation| operation.tags.iter().any(|tag| Subset::names(wanted, tag)));
        if !found {
            return Err(Error::at(
                &Pointer::root().join("tags"),
                format!("the subset names the tag `{wanted}`, which no operation has"),
            ));
        }
    }
    for id in &subset.operations {
        if !operations.iter().any(|operation| operation.id == *id) {
            return Err(Error::at(
                &Pointer::root().join("paths"),
                format!(
                    "the subset names the operation `{id}`, which the description does not have"
                ),
            ));
        }
    }
    Ok(())
}

/// Keeps only the types the operations reach, at any depth, and drops the
/// fallbacks found inside the others: what is not generated has nothing to
/// warn about.
pub(super) fn prune(
    types: &mut BTreeMap<String, TypeDef>,
    operations: &[Operation],
    fallbacks: &mut Vec<Fallback>,
) {
    let mut roots = Vec::new();
    for operation in operations {
        operation.sent_types(&mut roots);
        operation.received_types(&mut roots);
    }
    let mut kept: HashSet<String> = HashSet::new();
    walk(&|name| types.get(name), roots, |name| {
        kept.insert(name.to_owned())
    });
    let dropped: Vec<String> = types
        .values()
        .filter(|def| !kept.contains(&def.name))
        .map(|def| def.source.clone())
        .collect();
    types.retain(|name, _| kept.contains(name));
    fallbacks.retain(|fallback| {
        !dropped.iter().any(|source| {
            fallback
                .pointer
                .strip_prefix(source.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
    });
}

#[cfg(test)]
mod tests {
    use super::super::check::*;
    use crate::{Conventions, Subset};

    const PATHS: &str = "/a:
  get:
    operationId: readA
    tags: [Alpha Things]
    responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/A'}}}}}
/b:
  get:
    operationId: readB
    tags: [Beta]
    responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/B'}}}}}
  post:
    operationId: writeB
    responses: {'204': {description: done}}
";

    const SCHEMAS: &str =
        "A: {type: object, properties: {inner: {$ref: '#/components/schemas/Inner'}}}
B: {type: object, properties: {x: {type: string, pattern: '(?<'}}}
Inner: {type: object, properties: {n: {type: integer}}}
Spare: {type: object, properties: {s: {type: string}}}";

    fn subset(tags: &[&str], operations: &[&str]) -> Conventions {
        Conventions {
            subset: Subset {
                tags: tags.iter().map(|tag| (*tag).to_owned()).collect(),
                operations: operations.iter().map(|id| (*id).to_owned()).collect(),
            },
            ..Conventions::default()
        }
    }

    fn type_names(outline: &str) -> Vec<&str> {
        outline
            .lines()
            .filter_map(|line| line.strip_prefix("struct "))
            .filter_map(|rest| rest.split(' ').next())
            .collect()
    }

    #[test]
    fn a_subset_keeps_its_operations_and_the_types_they_reach() {
        let text = with_paths(PATHS, SCHEMAS);
        // By the tag as written or as its feature, and by operationId.
        for by_tag in ["Alpha Things", "alpha-things"] {
            let outline = lowered_with(&text, &subset(&[by_tag], &["writeB"])).unwrap();
            assert_eq!(type_names(&outline), ["A", "Inner"], "{outline}");
            let operations: Vec<&str> = outline
                .lines()
                .filter(|line| line.starts_with("operation "))
                .collect();
            assert_eq!(operations.len(), 2, "{outline}");
            // `B`'s pattern warning goes with `B`.
            assert!(!outline.contains("fallback"), "{outline}");
        }
        let whole = lowered_with(&text, &Conventions::default()).unwrap();
        assert_eq!(type_names(&whole), ["A", "B", "Inner", "Spare"]);
        assert!(
            whole.contains("fallback #/components/schemas/B/"),
            "{whole}"
        );
    }

    #[test]
    fn a_subset_naming_nothing_is_refused() {
        let text = with_paths(PATHS, SCHEMAS);
        let error = lowered_with(&text, &subset(&["Gamma"], &[])).unwrap_err();
        assert!(error.message.contains("the tag `Gamma`"), "{error}");
        let error = lowered_with(&text, &subset(&[], &["readZ"])).unwrap_err();
        assert!(error.message.contains("the operation `readZ`"), "{error}");
    }
}
