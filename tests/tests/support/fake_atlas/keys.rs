//! The operations on the key store (list, get, create, rename, delete; an
//! organization's list and get span its groups), each validating what
//! Atlas validates: id formats, page bounds, and each version's body shape
//! and media type.

use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde_json::{Map, Value, json};

use super::ApiVersion;
use super::reply::{Query, Reply, has_media_type};
use super::state::{Shared, StoredKey};

const MAX_NAME_CHARS: usize = 250;
const DEFAULT_ITEMS_PER_PAGE: u64 = 100;
const MAX_ITEMS_PER_PAGE: u64 = 500;

pub(super) struct Ops<'a> {
    pub(super) shared: &'a Shared,
    pub(super) version: ApiVersion,
    pub(super) self_href: String,
}

impl Ops<'_> {
    pub(super) fn list(&self, groups: &[&str], owner: &str, query: &Query, org: bool) -> Reply {
        if !org {
            if let Err(reply) = check_object_id("groupId", owner) {
                return reply;
            }
        }
        let (items_per_page, page_num) = match (
            query.bounded("itemsPerPage", DEFAULT_ITEMS_PER_PAGE, MAX_ITEMS_PER_PAGE),
            query.bounded("pageNum", 1, i32::MAX as u64),
        ) {
            (Ok(items), Ok(page)) => (items as usize, page as usize),
            (Err(reply), _) | (_, Err(reply)) => return reply,
        };
        let state = self.shared.lock();
        let keys: Vec<&StoredKey> = state
            .keys
            .iter()
            .filter(|k| groups.contains(&k.group_id.as_str()))
            .collect();
        let results: Vec<Value> = keys
            .iter()
            .skip((page_num - 1).saturating_mul(items_per_page))
            .take(items_per_page)
            .map(|k| k.json(false, self.version))
            .collect();
        Reply::list(json!({
            "links": [{ "href": self.self_href, "rel": "self" }],
            "results": results,
            "totalCount": keys.len(),
        }))
    }

    pub(super) fn get(&self, groups: &[&str], owner: &str, key_id: &str, org: bool) -> Reply {
        if !org {
            if let Err(reply) = check_object_id("groupId", owner) {
                return reply;
            }
        }
        let state = self.shared.lock();
        match state
            .keys
            .iter()
            .find(|k| k.id == key_id && groups.contains(&k.group_id.as_str()))
        {
            Some(key) => Reply::ok(StatusCode::OK, key.json(false, self.version)),
            None => key_not_found(key_id),
        }
    }

    pub(super) fn create(&self, group: &str, parts: &Parts, body: &[u8], caller: &str) -> Reply {
        let name = match check_object_id("groupId", group)
            .and_then(|()| name_of(parts, body, self.version, self.version.create_fields()))
        {
            Ok(name) => name,
            Err(reply) => return reply,
        };
        let mut state = self.shared.lock();
        Reply::ok(
            StatusCode::CREATED,
            state
                .insert_key(group, &name, caller)
                .json(true, self.version),
        )
    }

    pub(super) fn update(&self, group: &str, key_id: &str, parts: &Parts, body: &[u8]) -> Reply {
        let name = match check_object_id("groupId", group)
            .and_then(|()| name_of(parts, body, self.version, &["name"]))
        {
            Ok(name) => name,
            Err(reply) => return reply,
        };
        let mut state = self.shared.lock();
        match state
            .keys
            .iter_mut()
            .find(|k| k.id == key_id && k.group_id == group)
        {
            Some(key) => {
                key.name = name;
                Reply::ok(StatusCode::OK, key.json(false, self.version))
            }
            None => key_not_found(key_id),
        }
    }

    pub(super) fn delete(&self, group: &str, key_id: &str) -> Reply {
        if let Err(reply) = check_object_id("groupId", group) {
            return reply;
        }
        let mut state = self.shared.lock();
        let before = state.keys.len();
        state
            .keys
            .retain(|k| !(k.id == key_id && k.group_id == group));
        if state.keys.len() == before {
            key_not_found(key_id)
        } else {
            Reply::no_content()
        }
    }
}

fn key_not_found(key_id: &str) -> Reply {
    Reply::not_found(format!("Cannot find resource AI model API key {key_id}."))
}

pub(super) fn is_object_id(id: &str) -> bool {
    id.len() == 24 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

pub(super) fn check_object_id(parameter: &str, id: &str) -> Result<(), Reply> {
    if is_object_id(id) {
        Ok(())
    } else {
        Err(Reply::error(
            StatusCode::BAD_REQUEST,
            format!("{parameter} must be 24 lowercase hexadecimal digits, got {id:?}."),
        ))
    }
}

/// The `name` of a create or update request, checked as Atlas checks it:
/// the version's media type, a JSON object with a `name` of 1..=250
/// characters and the other members of `allowed` (a stable create's
/// `cloud` and `geography`), each `ANY`; nothing else.
fn name_of(
    parts: &Parts,
    body: &[u8],
    version: ApiVersion,
    allowed: &[&str],
) -> Result<String, Reply> {
    let media_type = version.media_type();
    if !has_media_type(&parts.headers, header::CONTENT_TYPE, media_type) {
        return Err(Reply::error(
            StatusCode::BAD_REQUEST,
            format!("The request body must have Content-Type {media_type}."),
        ));
    }
    let invalid_field = |field: &str, description: &str| {
        let mut reply = Reply::error(StatusCode::BAD_REQUEST, description);
        if let Some(body) = &mut reply.body {
            body["badRequestDetail"] = json!({
                "fields": [{ "field": field, "description": description }]
            });
        }
        reply
    };
    let invalid = |description: &str| invalid_field("name", description);
    let fields: Map<String, Value> = match serde_json::from_slice(body) {
        Ok(Value::Object(fields)) => fields,
        Ok(_) => return Err(invalid("The request body must be a JSON object.")),
        Err(_) => return Err(invalid("The request body is not valid JSON.")),
    };
    if let Some(unknown) = fields.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(invalid(&format!("Unknown attribute {unknown:?}.")));
    }
    for scope in &allowed[1..] {
        match fields.get(*scope) {
            Some(Value::String(value)) if value == "ANY" => {}
            Some(_) => return Err(invalid_field(scope, &format!("{scope} must be \"ANY\"."))),
            None => return Err(invalid_field(scope, &format!("{scope} is required."))),
        }
    }
    match fields.get("name") {
        Some(Value::String(name)) if (1..=MAX_NAME_CHARS).contains(&name.chars().count()) => {
            Ok(name.clone())
        }
        Some(Value::String(_)) => Err(invalid("name must have 1 to 250 characters.")),
        Some(_) => Err(invalid("name must be a string.")),
        None => Err(invalid("name is required.")),
    }
}
