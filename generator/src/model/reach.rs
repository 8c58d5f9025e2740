//! Which named types a type, a type definition and an operation refer to:
//! what feature gating, serde traits and subsets follow through the model.

use super::{Operation, Type, TypeDef, TypeKind};

/// Walks from the named types `roots` through every type they hold, at
/// any depth, calling `enter` on each name met; the types `enter` returns
/// true for are looked inside, the others not (so `enter` also stops
/// cycles). `lookup` finds a name's definition.
pub fn walk<'a>(
    lookup: &dyn Fn(&str) -> Option<&'a TypeDef>,
    mut roots: Vec<&'a str>,
    mut enter: impl FnMut(&'a str) -> bool,
) {
    let mut held = Vec::new();
    while let Some(name) = roots.pop() {
        if !enter(name) {
            continue;
        }
        if let Some(def) = lookup(name) {
            held.clear();
            def.kind.named_types(&mut held);
            roots.extend(&held);
        }
    }
}

impl Type {
    /// Pushes the names of the `types` this type is or holds.
    pub fn named_types<'a>(&'a self, into: &mut Vec<&'a str>) {
        match self {
            Type::Named(name) => into.push(name),
            Type::Array(inner) | Type::Map(inner) | Type::EventStream(inner) => {
                inner.named_types(into)
            }
            Type::Tuple(items) => items.iter().for_each(|item| item.named_types(into)),
            _ => {}
        }
    }
}

impl TypeKind {
    /// Pushes the names of the `types` a value of this kind holds directly.
    pub fn named_types<'a>(&'a self, into: &mut Vec<&'a str>) {
        match self {
            TypeKind::Struct(fields) => fields.iter().for_each(|field| field.ty.named_types(into)),
            TypeKind::Alias(ty) => ty.named_types(into),
            TypeKind::OneOf { variants, .. } => {
                variants.iter().for_each(|shape| shape.ty.named_types(into))
            }
            TypeKind::Enum(_) => {}
        }
    }
}

impl Operation {
    /// Pushes the names of the `types` the operation sends: in its
    /// parameters and body.
    pub fn sent_types<'a>(&'a self, into: &mut Vec<&'a str>) {
        for parameter in &self.parameters {
            parameter.ty.named_types(into);
        }
        if let Some(body) = &self.body {
            body.ty.named_types(into);
        }
    }

    /// Pushes the names of the `types` the operation receives: its answer
    /// and its API error.
    pub fn received_types<'a>(&'a self, into: &mut Vec<&'a str>) {
        if let Some(ty) = &self.success.ty {
            ty.named_types(into);
        }
        self.error_type.named_types(into);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_types_are_found_inside_containers() {
        let ty = Type::Map(Box::new(Type::Array(Box::new(Type::EventStream(
            Box::new(Type::Named("Tick".to_owned())),
        )))));
        let mut names = Vec::new();
        ty.named_types(&mut names);
        Type::String.named_types(&mut names);
        assert_eq!(names, ["Tick"]);
    }
}
