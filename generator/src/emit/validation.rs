//! Checks of the API description's constraints, as statements that return
//! early with `InvalidInput` (through `?`) before a request is sent.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::ident;
use crate::model::{Constraints, Field, Type, TypeDef, TypeKind};

/// Statements checking `value` (a `&str` for strings, a number by value)
/// named `field` on the wire.
pub fn checks(
    field: &str,
    value: &TokenStream,
    ty: &Type,
    constraints: &Constraints,
) -> TokenStream {
    let mut statements = Vec::new();
    if matches!(ty, Type::String) {
        if constraints.min_length.is_some() || constraints.max_length.is_some() {
            let min = optional(constraints.min_length.map(Literal::usize_unsuffixed));
            let max = optional(constraints.max_length.map(Literal::usize_unsuffixed));
            statements.push(quote! { validate::length(#field, #value, #min, #max)?; });
        }
        if let Some(pattern) = &constraints.pattern {
            statements.push(quote! { validate::pattern(#field, #value, #pattern)?; });
        }
    }
    // Inclusive bounds go to `range`, exclusive ones to `exclusive_range`:
    // `(0, 5]` is one call of each.
    for (exclusive, check) in [(false, quote!(range)), (true, quote!(exclusive_range))] {
        let bound = |bound: Option<f64>, flag: bool| bound.filter(|_| flag == exclusive);
        let min = bound(constraints.minimum, constraints.exclusive_minimum);
        let max = bound(constraints.maximum, constraints.exclusive_maximum);
        if min.is_some() || max.is_some() {
            let literal = |bound: Option<f64>| optional(bound.and_then(|bound| number(ty, bound)));
            let (min, max) = (literal(min), literal(max));
            statements.push(quote! { validate::#check(#field, #value, #min, #max)?; });
        }
    }
    quote! { #(#statements)* }
}

/// A bound as a literal of the value's type, or `None` when no value of
/// that type can cross it (the check would be vacuous).
fn number(ty: &Type, bound: f64) -> Option<Literal> {
    let integer = |min: f64, max: f64| {
        (bound.fract() == 0.0 && (min..=max).contains(&bound))
            .then(|| Literal::i64_unsuffixed(bound as i64))
    };
    match ty {
        Type::Int(int) => {
            let (min, max) = int.range();
            integer(min, max)
        }
        Type::F32 | Type::F64 => Some(Literal::f64_unsuffixed(bound)),
        _ => None,
    }
}

fn optional(literal: Option<Literal>) -> TokenStream {
    match literal {
        Some(literal) => quote! { Some(#literal) },
        None => quote! { None },
    }
}

/// Whether checking a field of type `ty` with these constraints does anything.
pub fn has_checks(ty: &Type, constraints: &Constraints) -> bool {
    !checks("", &quote! { value }, ty, constraints).is_empty()
}

/// The `validate` method of a type that needs one.
pub fn validate_method(def: &TypeDef, validated: &dyn Fn(&str) -> bool) -> Option<TokenStream> {
    let TypeKind::Struct(fields) = &def.kind else {
        return None;
    };
    if !def.validated {
        return None;
    }
    let statements = fields.iter().map(|field| {
        let own = field_checks(field, validated);
        let requires = requires_checks(field, fields);
        quote! { #own #requires }
    });
    Some(quote! {
        /// Checks the rules the API description sets for these fields;
        /// sending does this before any request leaves.
        pub fn validate(&self) -> Result<(), validate::InvalidInput> {
            #(#statements)*
            Ok(())
        }
    })
}

/// The checks that the fields `field` requires are set when it is: none
/// for a field the struct always holds.
fn requires_checks(field: &Field, fields: &[Field]) -> TokenStream {
    let wire = &field.wire_name;
    let checks = field.constraints.requires.iter().filter_map(|other| {
        let other = fields
            .iter()
            .find(|candidate| &candidate.wire_name == other)?;
        let (name, other_wire) = (ident(&other.name), &other.wire_name);
        other.is_optional().then(|| {
            quote! { validate::required_with(#other_wire, self.#name.is_some(), #wire)?; }
        })
    });
    let checks: TokenStream = checks.collect();
    if checks.is_empty() || !field.is_optional() {
        return checks;
    }
    let name = ident(&field.name);
    quote! { if self.#name.is_some() { #checks } }
}

fn field_checks(field: &Field, validated: &dyn Fn(&str) -> bool) -> TokenStream {
    let wire = &field.wire_name;
    let name = ident(&field.name);
    let optional = field.is_optional();
    // `value` is the field itself; `items` is what a `for` loop walks.
    let nested = |value: TokenStream, items: TokenStream| match &field.ty {
        Type::Named(inner) if validated(inner) => {
            quote! { #value.validate().map_err(|error| error.within(#wire))?; }
        }
        Type::Array(item) if matches!(&**item, Type::Named(inner) if validated(inner)) => quote! {
            for item in #items {
                item.validate().map_err(|error| error.within(#wire))?;
            }
        },
        _ => quote! {},
    };
    if has_checks(&field.ty, &field.constraints) {
        let by_value = !matches!(field.ty, Type::String);
        return if optional {
            let value = if by_value {
                quote! { *value }
            } else {
                quote! { value }
            };
            let checks = checks(wire, &value, &field.ty, &field.constraints);
            quote! { if let Some(value) = &self.#name { #checks } }
        } else {
            let value = if by_value {
                quote! { self.#name }
            } else {
                quote! { &self.#name }
            };
            checks(wire, &value, &field.ty, &field.constraints)
        };
    }
    if optional {
        let inner = nested(quote! { value }, quote! { value });
        if inner.is_empty() {
            return inner;
        }
        quote! { if let Some(value) = &self.#name { #inner } }
    } else {
        nested(quote! { self.#name }, quote! { &self.#name })
    }
}
