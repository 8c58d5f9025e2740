//! `#[cfg(feature = …)]` attributes: an item is compiled under the features
//! the model gives it (an operation's tags, the tags whose operations reach
//! a type), and a `use` under those of the items that need it.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Api, Version};

/// The attribute compiling an item under any of `features`; nothing when it
/// is compiled whatever the features.
pub fn cfg(features: &[String]) -> TokenStream {
    match features {
        [] => TokenStream::new(),
        [one] => quote! { #[cfg(feature = #one)] },
        many => quote! { #[cfg(any(#(feature = #many),*))] },
    }
}

/// [`cfg`] for an item inside another compiled under `enclosing`: nothing
/// when the two agree.
pub fn within(features: &[String], enclosing: &[String]) -> TokenStream {
    if features == enclosing {
        TokenStream::new()
    } else {
        cfg(features)
    }
}

/// The features under which any of several items is compiled, in the
/// crate's order: none (always) when one of them is always compiled or
/// when together they take every feature. This gates what the items need
/// (a `use`, a module), which must not be there without them.
pub fn union<'a>(api: &Api, each: impl IntoIterator<Item = &'a [String]>) -> Vec<String> {
    let mut wanted = vec![false; api.features.len()];
    for features in each {
        if features.is_empty() {
            return Vec::new();
        }
        for name in features {
            if let Some(index) = api
                .features
                .iter()
                .position(|feature| feature.name == *name)
            {
                wanted[index] = true;
            }
        }
    }
    if wanted.iter().all(|&wanted| wanted) {
        return Vec::new();
    }
    api.features
        .iter()
        .zip(wanted)
        .filter(|(_, wanted)| *wanted)
        .map(|(feature, _)| feature.name.clone())
        .collect()
}

/// The attribute of something (a `use`) that items compiled under each of
/// `features` need, inside an item compiled under `enclosing`: `None`
/// when no item needs it, so it is not written at all.
pub fn needed_by<'a>(
    api: &Api,
    features: impl IntoIterator<Item = &'a [String]>,
    enclosing: &[String],
) -> Option<TokenStream> {
    let features: Vec<&[String]> = features.into_iter().collect();
    (!features.is_empty()).then(|| within(&union(api, features), enclosing))
}

/// The features under which a version's module (and its mock view) is
/// compiled: those of its operations, so that a module is never there
/// without any.
pub fn of_version(api: &Api, version: &Version) -> Vec<String> {
    union(
        api,
        api.operations
            .iter()
            .filter(|operation| operation.version.as_ref() == Some(version))
            .map(|operation| &operation.features[..]),
    )
}
