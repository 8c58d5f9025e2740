//! Which operation a request is: the version its `Accept` picks (406 for
//! none, 410 `VERSION_GONE` for a retired one), then its method and path.

use axum::http::request::Parts;
use axum::http::{Method, StatusCode, header};

use super::keys::{Ops, check_object_id};
use super::reply::{Query, Reply, has_media_type};
use super::state::Shared;
use super::{API_PREFIX, ApiVersion, PREVIEW_MEDIA_TYPE, STABLE_MEDIA_TYPE};

pub(super) fn route(
    shared: &Shared,
    parts: &Parts,
    body: &[u8],
    query: &Query,
    caller: &str,
) -> Reply {
    let accepts =
        |version: ApiVersion| has_media_type(&parts.headers, header::ACCEPT, version.media_type());
    let Some(version) = [ApiVersion::Stable, ApiVersion::Preview]
        .into_iter()
        .find(|version| accepts(*version))
    else {
        return Reply::error(
            StatusCode::NOT_ACCEPTABLE,
            format!("The request must accept {STABLE_MEDIA_TYPE} or {PREVIEW_MEDIA_TYPE}."),
        );
    };
    if shared.config.retired_versions.contains(&version) {
        return Reply::error_with_code(
            StatusCode::GONE,
            "VERSION_GONE",
            format!("The API version {} has been retired.", version.media_type()),
        );
    }
    let mut reply = route_version(shared, parts, body, query, caller, version);
    reply.media_type = version.media_type();
    reply
}

fn route_version(
    shared: &Shared,
    parts: &Parts,
    body: &[u8],
    query: &Query,
    caller: &str,
    version: ApiVersion,
) -> Reply {
    let path = parts.uri.path();
    let Some(rest) = path.strip_prefix(API_PREFIX) else {
        return Reply::not_found(format!("No resource at {path}."));
    };
    let segments: Vec<&str> = rest.split('/').collect();
    let method = &parts.method;
    let ops = Ops {
        shared,
        version,
        self_href: format!(
            "{}{}",
            shared.base_url,
            parts.uri.path_and_query().map_or(path, |pq| pq.as_str())
        ),
    };
    match segments.as_slice() {
        ["groups", group, "aiModelApiKeys"] => match *method {
            Method::GET => ops.list(&[*group], group, query, false),
            Method::POST => ops.create(group, parts, body, caller),
            _ => method_not_allowed(method, path),
        },
        ["groups", group, "aiModelApiKeys", key] => match *method {
            Method::GET => ops.get(&[*group], group, key, false),
            Method::PATCH => ops.update(group, key, parts, body),
            Method::DELETE => ops.delete(group, key),
            _ => method_not_allowed(method, path),
        },
        ["orgs", org, "aiModelApiKeys"] => match *method {
            Method::GET => match shared.org_groups(org) {
                Ok(groups) => ops.list(&groups, org, query, true),
                Err(reply) => reply,
            },
            _ => method_not_allowed(method, path),
        },
        ["orgs", org, "aiModelApiKeys", key] => match *method {
            Method::GET => match shared.org_groups(org) {
                Ok(groups) => ops.get(&groups, org, key, true),
                Err(reply) => reply,
            },
            _ => method_not_allowed(method, path),
        },
        _ => Reply::not_found(format!("No resource at {path}.")),
    }
}

fn method_not_allowed(method: &Method, path: &str) -> Reply {
    Reply::error(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("{method} is not allowed on {path}."),
    )
}

impl Shared {
    /// The groups of a configured organization.
    fn org_groups(&self, org: &str) -> Result<Vec<&str>, Reply> {
        check_object_id("orgId", org)?;
        self.config
            .orgs
            .iter()
            .find(|(id, _)| id == org)
            .map(|(_, groups)| groups.iter().map(String::as_str).collect())
            .ok_or_else(|| Reply::not_found(format!("No organization with id {org}.")))
    }
}
