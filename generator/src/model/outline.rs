//! The model as text, a line per item (the API, each type, field, variant,
//! operation, parameter, body and answer, each fallback), indented under
//! its owner: what a lowering change is reviewed as, before any Rust.

use std::fmt::{self, Write};

use super::{
    Api, BodyEncoding, Constraints, FeatureOf, Field, KeyLocation, Operation, Paging, PagingStyle,
    SchemeKind, SecurityScheme, TokenUrl, Type, TypeDef, TypeKind,
};

/// The outline of `api`; deterministic, like the model.
pub fn outline(api: &Api) -> String {
    let mut text = String::new();
    write_api(api, &mut text).expect("writing to a String cannot fail");
    text
}

fn write_api(api: &Api, out: &mut String) -> fmt::Result {
    write!(out, "api {:?} version {:?}", api.title, api.version)?;
    if let Some(base_url) = &api.base_url {
        write!(out, " at {base_url}")?;
    }
    writeln!(out)?;
    for feature in &api.features {
        match &feature.of {
            FeatureOf::Tag { name, .. } => {
                writeln!(out, "feature {} for tag {name:?}", feature.name)?
            }
            FeatureOf::Untagged => {
                writeln!(out, "feature {} for untagged operations", feature.name)?
            }
            FeatureOf::UnusedTypes => writeln!(out, "feature {} for unused types", feature.name)?,
        }
    }
    for def in &api.types {
        write_type(def, out)?;
        write_gate(&def.features, out)?;
        match (def.usage.sent, def.usage.received) {
            (true, false) => writeln!(out, "  only sent")?,
            (false, true) => writeln!(out, "  only received")?,
            _ => {}
        }
    }
    for scheme in &api.security_schemes {
        write_scheme(scheme, out)?;
    }
    for operation in &api.operations {
        write_operation(operation, out)?;
        let owner = api.builder_owner(operation);
        if let Some(version) = &owner.version
            && !std::ptr::eq(owner, operation)
        {
            writeln!(out, "  builder of {:?}", version.label)?;
        }
    }
    for webhook in &api.webhooks {
        writeln!(out, "webhook {webhook}: sent by the API, not generated")?;
    }
    for fallback in &api.fallbacks {
        writeln!(out, "fallback {}: {}", fallback.pointer, fallback.reason)?;
    }
    Ok(())
}

/// The features an item is compiled under, when not always.
fn write_gate(features: &[String], out: &mut String) -> fmt::Result {
    match features {
        [] => Ok(()),
        features => writeln!(out, "  with feature {}", features.join(" or ")),
    }
}

fn write_type(def: &TypeDef, out: &mut String) -> fmt::Result {
    let validated = if def.validated { ", validated" } else { "" };
    match &def.kind {
        TypeKind::Struct(fields) => {
            writeln!(out, "struct {} ({}{validated})", def.name, def.source)?;
            for field in fields {
                write_field(field, out)?;
            }
        }
        TypeKind::Enum(variants) => {
            let variants: Vec<String> = variants
                .iter()
                .map(|variant| format!("{} {:?}", variant.name, variant.wire_name))
                .collect();
            writeln!(
                out,
                "enum {} ({}): {}",
                def.name,
                def.source,
                variants.join(", ")
            )?;
        }
        TypeKind::Alias(ty) => {
            writeln!(out, "alias {} = {} ({})", def.name, ty.prose(), def.source)?;
        }
        TypeKind::OneOf {
            discriminator,
            variants,
        } => {
            let by = discriminator
                .as_ref()
                .map_or_else(|| "first that decodes".to_owned(), |tag| format!("{tag:?}"));
            writeln!(out, "shapes {} by {by} ({})", def.name, def.source)?;
            for shape in &variants[..] {
                write!(out, "  {}({})", shape.name, shape.ty.prose())?;
                if !shape.tags.is_empty() {
                    write!(out, " when {:?}", shape.tags)?;
                }
                writeln!(out)?;
            }
        }
    }
    Ok(())
}

fn write_field(field: &Field, out: &mut String) -> fmt::Result {
    write!(out, "  {}: {}", field.name, field.prose())?;
    if field.wire_name != field.name.trim_start_matches("r#") {
        write!(out, " as {:?}", field.wire_name)?;
    }
    let marks = [
        (field.required, "required"),
        (field.nullable, "nullable"),
        (field.read_only, "read-only"),
        (field.write_only, "write-only"),
    ];
    for (_, mark) in marks.iter().filter(|(set, _)| *set) {
        write!(out, ", {mark}")?;
    }
    write_constraints(&field.constraints, out)?;
    writeln!(out)
}

fn write_constraints(constraints: &Constraints, out: &mut String) -> fmt::Result {
    let Constraints {
        min_length,
        max_length,
        pattern,
        minimum,
        exclusive_minimum,
        maximum,
        exclusive_maximum,
        requires,
    } = constraints;
    if let Some(min) = min_length {
        write!(out, ", length >= {min}")?;
    }
    if let Some(max) = max_length {
        write!(out, ", length <= {max}")?;
    }
    if let Some(pattern) = pattern {
        write!(out, ", pattern {pattern:?}")?;
    }
    if let Some(min) = minimum {
        let sign = if *exclusive_minimum { ">" } else { ">=" };
        write!(out, ", {sign} {min}")?;
    }
    if let Some(max) = maximum {
        let sign = if *exclusive_maximum { "<" } else { "<=" };
        write!(out, ", {sign} {max}")?;
    }
    if !requires.is_empty() {
        write!(out, ", requires {requires:?}")?;
    }
    Ok(())
}

fn write_operation(operation: &Operation, out: &mut String) -> fmt::Result {
    write!(
        out,
        "operation {} {} {} -> {}/{}",
        operation.id,
        operation.http_method.as_str(),
        operation.path,
        operation.method_name,
        operation.builder_name
    )?;
    if let Some(version) = &operation.version {
        write!(out, " in {:?} as {}", version.label, version.module)?;
    }
    for (set, mark) in [
        (operation.is_default, "default"),
        (operation.deprecated, "deprecated"),
    ] {
        if set {
            write!(out, ", {mark}")?;
        }
    }
    writeln!(out)?;
    write_gate(&operation.features, out)?;
    for parameter in &operation.parameters {
        let role = if parameter.is_argument() {
            "argument"
        } else {
            "setter"
        };
        write!(
            out,
            "  {:?} parameter {}: {} ({role}",
            parameter.location,
            parameter.name,
            parameter.ty.prose()
        )?;
        if parameter.wire_name != parameter.name.trim_start_matches("r#") {
            write!(out, ", as {:?}", parameter.wire_name)?;
        }
        if let Some(default) = &parameter.default {
            write!(out, ", default {default}")?;
        }
        write_constraints(&parameter.constraints, out)?;
        writeln!(out, ")")?;
    }
    if let Some(body) = &operation.body {
        let role = if body.is_argument() {
            "argument"
        } else {
            "setter"
        };
        writeln!(
            out,
            "  body {}: {} ({role})",
            body.media_type,
            body.ty.prose()
        )?;
        write_body_encoding(&body.encoding, out)?;
    }
    let success = operation
        .success
        .ty
        .as_ref()
        .map_or("()".to_owned(), Type::prose);
    let status = operation
        .success
        .status
        .map_or_else(|| "any 2xx".to_owned(), |status| status.to_string());
    let followed = if operation.success.followed {
        ", followed"
    } else {
        ""
    };
    let reading = match (&operation.success.ty, &operation.success.stream_end) {
        (Some(Type::Text), _) => " (text)".to_owned(),
        (Some(Type::EventStream(_)), Some(end)) => format!(" (until `{end}`)"),
        _ => String::new(),
    };
    writeln!(
        out,
        "  answer {status}{followed}: {success}{reading}, accepting {}; errors {}",
        operation.accept,
        operation.error_type.prose()
    )?;
    if let Some(paging) = &operation.paging {
        paging_line(out, paging)?;
    }
    if let Some(envelope) = &operation.envelope_parameter {
        writeln!(out, "  envelope {envelope}")?;
    }
    if !operation.security.is_empty() {
        let alternatives: Vec<String> = operation
            .security
            .iter()
            .map(|requirement| {
                let schemes: Vec<String> = requirement
                    .iter()
                    .map(|(scheme, scopes)| match &scopes[..] {
                        [] => scheme.clone(),
                        scopes => format!("{scheme} {scopes:?}"),
                    })
                    .collect();
                match &schemes[..] {
                    [] => "anonymous".to_owned(),
                    schemes => schemes.join(" + "),
                }
            })
            .collect();
        writeln!(out, "  security {}", alternatives.join(" | "))?;
    }
    Ok(())
}

fn write_scheme(scheme: &SecurityScheme, out: &mut String) -> fmt::Result {
    write!(
        out,
        "security scheme {:?} ({}): ",
        scheme.name, scheme.method_name
    )?;
    match &scheme.kind {
        SchemeKind::Basic => write!(out, "HTTP Basic")?,
        SchemeKind::Bearer { format } => {
            write!(out, "HTTP Bearer")?;
            if let Some(format) = format {
                write!(out, " ({format})")?;
            }
        }
        SchemeKind::Digest => write!(out, "HTTP Digest")?,
        SchemeKind::ApiKey { location, name } => {
            let location = match location {
                KeyLocation::Header => "header",
                KeyLocation::Query => "query parameter",
                KeyLocation::Cookie => "cookie",
            };
            write!(out, "API key in {location} {name:?}")?;
        }
        SchemeKind::ClientCredentials {
            token_url,
            scopes,
            with_method,
            token_method,
        } => {
            match token_url {
                TokenUrl::OnServer(path) => {
                    write!(out, "OAuth 2.0 client credentials at {path} on the server")?
                }
                TokenUrl::Absolute(url) => write!(out, "OAuth 2.0 client credentials at {url}")?,
            }
            if !scopes.is_empty() {
                write!(out, ", scopes {scopes:?}")?;
            }
            write!(out, " (also {with_method}, {token_method})")?;
        }
        SchemeKind::AccessToken { flow } => write!(out, "access token from {flow}")?,
    }
    writeln!(out)
}

/// `  pages by page_num, items in results: Key, size items_per_page, total total_count`
fn paging_line(out: &mut String, paging: &Paging) -> fmt::Result {
    let path = |steps: &[(String, bool)]| {
        let names: Vec<&str> = steps.iter().map(|(name, _)| name.as_str()).collect();
        names.join(".")
    };
    let items = match &paging.items_field {
        Some((field, _)) => format!("items in {field}"),
        None => "items in the body".to_owned(),
    };
    let item = paging.item_type.prose();
    match &paging.style {
        PagingStyle::PageNumber {
            page_parameter,
            size_parameter,
            total_field,
            ..
        } => {
            write!(out, "  pages by {page_parameter}, {items}: {item}")?;
            if let Some((size, ..)) = size_parameter {
                write!(out, ", size {size}")?;
            }
            if let Some((total, ..)) = total_field {
                write!(out, ", total {total}")?;
            }
        }
        PagingStyle::OffsetLimit {
            offset_parameter,
            limit_parameter,
            total_field,
            ..
        } => {
            write!(out, "  pages by offset {offset_parameter}, {items}: {item}")?;
            if let Some((limit, ..)) = limit_parameter {
                write!(out, ", limit {limit}")?;
            }
            if let Some((total, ..)) = total_field {
                write!(out, ", total {total}")?;
            }
        }
        PagingStyle::Cursor {
            cursor_parameter,
            cursor_field,
        } => write!(
            out,
            "  pages by cursor {cursor_parameter} from {}, {items}: {item}",
            path(cursor_field)
        )?,
        PagingStyle::NextLink {
            next_url_field: Some(field),
        } => write!(
            out,
            "  pages by the URL in {}, {items}: {item}",
            path(field)
        )?,
        PagingStyle::NextLink {
            next_url_field: None,
        } => write!(out, "  pages by the Link header, {items}: {item}")?,
    }
    writeln!(out)
}

/// A line per form property whose encoding is not the default, and per
/// multipart part.
fn write_body_encoding(encoding: &BodyEncoding, out: &mut String) -> fmt::Result {
    match encoding {
        BodyEncoding::Json | BodyEncoding::Raw => {}
        BodyEncoding::Form(fields) => {
            for field in fields {
                let explode = if field.explode {
                    "exploded"
                } else {
                    "not exploded"
                };
                writeln!(
                    out,
                    "    form field {}: {:?}, {explode}",
                    field.wire_name, field.style
                )?;
            }
        }
        BodyEncoding::Multipart(parts) => {
            for part in parts {
                let kind = match (part.file, part.repeated) {
                    (true, true) => "a file each",
                    (true, false) => "file",
                    (false, _) => "text",
                };
                let optional = if part.optional { ", optional" } else { "" };
                write!(out, "    part {}: {kind}{optional}", part.wire_name)?;
                if let Some(content_type) = &part.content_type {
                    write!(out, ", {content_type}")?;
                }
                writeln!(out)?;
            }
        }
    }
    Ok(())
}
