//! Whole-model passes, once every type and operation is lowered: boxing
//! recursive fields and marking the types that `validate`.

use std::collections::{BTreeMap, HashSet};

use crate::model::{Operation, Type, TypeDef, TypeKind};

/// Boxes every struct field through which its struct contains itself by
/// value (directly or via other structs and aliases): such a type would have
/// no finite size. `Vec` and maps already hold their items on the heap.
pub(super) fn box_recursive_fields(types: &mut BTreeMap<String, TypeDef>) {
    let mut recursive = Vec::new();
    for (name, def) in types.iter() {
        if let TypeKind::Struct(fields) = &def.kind {
            for (index, field) in fields.iter().enumerate() {
                if holds_by_value(types, &field.ty, name, &mut HashSet::new()) {
                    recursive.push((name.clone(), index));
                }
            }
        }
    }
    for (name, index) in recursive {
        if let Some(TypeKind::Struct(fields)) = types.get_mut(&name).map(|def| &mut def.kind) {
            fields[index].boxed = true;
        }
    }
}

fn holds_by_value<'t>(
    types: &'t BTreeMap<String, TypeDef>,
    ty: &'t Type,
    target: &str,
    seen: &mut HashSet<&'t str>,
) -> bool {
    let name = match ty {
        Type::Named(name) => name,
        // A tuple holds its items by value.
        Type::Tuple(items) => {
            return items
                .iter()
                .any(|item| holds_by_value(types, item, target, seen));
        }
        _ => return false,
    };
    if name == target {
        return true;
    }
    if !seen.insert(name) {
        return false;
    }
    match types.get(name).map(|def| &def.kind) {
        Some(TypeKind::Struct(fields)) => fields
            .iter()
            .any(|field| holds_by_value(types, &field.ty, target, seen)),
        Some(TypeKind::Alias(inner)) => holds_by_value(types, inner, target, seen),
        _ => false,
    }
}

/// Marks the types whose values are checked before sending: those in
/// request bodies (at any depth) with a constrained field, or a field of a
/// marked type.
pub(super) fn mark_validated(types: &mut BTreeMap<String, TypeDef>, operations: &[Operation]) {
    let mut in_bodies = HashSet::new();
    let mut pending: Vec<&Type> = operations
        .iter()
        .filter_map(|operation| operation.body.as_ref().map(|body| &body.ty))
        .collect();
    while let Some(ty) = pending.pop() {
        match ty {
            Type::Array(inner) | Type::Map(inner) => pending.push(inner),
            Type::Tuple(items) => pending.extend(items),
            Type::Named(name) if in_bodies.insert(name.clone()) => {
                match types.get(name).map(|def| &def.kind) {
                    Some(TypeKind::Struct(fields)) => {
                        pending.extend(fields.iter().map(|field| &field.ty))
                    }
                    Some(TypeKind::Alias(inner)) => pending.push(inner),
                    _ => {}
                }
            }
            _ => {}
        }
    }
    let mut validated: HashSet<String> = HashSet::new();
    loop {
        let before = validated.len();
        for name in &in_bodies {
            if let Some(TypeKind::Struct(fields)) = types.get(name).map(|def| &def.kind) {
                let checks = fields.iter().any(|field| {
                    !field.constraints.is_empty()
                        || named_struct(&field.ty).is_some_and(|inner| validated.contains(inner))
                });
                if checks {
                    validated.insert(name.clone());
                }
            }
        }
        if validated.len() == before {
            break;
        }
    }
    for name in validated {
        if let Some(def) = types.get_mut(&name) {
            def.validated = true;
        }
    }
}

/// The named type a field holds, directly or as the items of an array: the
/// two places a generated `validate` looks into.
fn named_struct(ty: &Type) -> Option<&str> {
    match ty {
        Type::Named(name) => Some(name),
        Type::Array(inner) => match &**inner {
            Type::Named(name) => Some(name),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::check::*;

    #[test]
    fn recursive_fields_are_boxed_and_constrained_bodies_validated() {
        let outline = lowered(&with_paths(
            "/a:
  post:
    operationId: make
    requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/Outer'}}}}
    responses: {'204': {description: done}}
",
            "Outer: {type: object, properties: {inner: {$ref: '#/components/schemas/Inner'}}}
Inner: {type: object, properties: {name: {type: string, maxLength: 3}}}
Node: {type: object, required: [next], properties: {next: {$ref: '#/components/schemas/Node'}, all: {type: array, items: {$ref: '#/components/schemas/Node'}}}}",
        ));
        has_lines(
            &outline,
            "struct Outer (#/components/schemas/Outer, validated)
struct Inner (#/components/schemas/Inner, validated)
struct Node (#/components/schemas/Node)
  next: Box<types::Node>, required
  all: Option<Vec<types::Node>>",
        );
    }
}
