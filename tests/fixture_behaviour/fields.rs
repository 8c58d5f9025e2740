//! How the `fields` fixture's `Record` reads and writes, through the
//! `Serialize` and `Deserialize` the generator writes out for structs:
//! compiled and run inside its generated crate by
//! `tests/tests/generator/fixtures_build.rs` (with `mock`, under which a
//! type only received also serialises).

use fixture_fields::ExposeSecret;
use fixture_fields::types::Record;

#[test]
fn an_object_reads_by_wire_name_skipping_members_it_does_not_know() {
    let record: Record = serde_json::from_str(
        r#"{"id":"r1","deletedAt":null,"n\u006fte":"escaped key","type":"t","URL":"https://x",
            "password":"hunter2","count":3,"total":4,"ratio":0.5,"score":1.5,"active":true,
            "metadata":{"a":[1]},"unknown":{"nested":[1,2,3]},"lastSeen":"2024-01-02"}"#,
    )
    .unwrap();
    assert_eq!(record.id, "r1");
    assert_eq!(record.deleted_at, None);
    assert_eq!(record.note.as_deref(), Some("escaped key"));
    assert_eq!(record.r#type.as_deref(), Some("t"));
    assert_eq!(record.url.as_deref(), Some("https://x"));
    assert_eq!(
        record
            .password
            .as_ref()
            .map(|secret| secret.expose_secret()),
        Some("hunter2")
    );
    assert_eq!((record.count, record.total), (Some(3), Some(4)));
    assert_eq!(
        (record.ratio, record.score, record.active),
        (Some(0.5), Some(1.5), Some(true))
    );
    assert_eq!(record.metadata, Some(serde_json::json!({"a": [1]})));
    assert_eq!(
        record.last_seen.map(|date| date.to_string()).as_deref(),
        Some("2024-01-02")
    );
    // The same from a JSON value, as a one-of's shape is read.
    let value = serde_json::json!({"id": "r2", "deletedAt": "2024-01-02T03:04:05Z"});
    let record: Record = serde_json::from_value(value).unwrap();
    assert_eq!(
        record.deleted_at.map(|at| at.to_rfc3339()).as_deref(),
        Some("2024-01-02T03:04:05+00:00")
    );
}

#[test]
fn a_missing_or_mistyped_required_member_is_an_error_naming_it() {
    let missing = serde_json::from_str::<Record>(r#"{"deletedAt":null}"#).unwrap_err();
    assert!(
        missing.to_string().contains("missing field `id`"),
        "{missing}"
    );
    let null = serde_json::from_str::<Record>(r#"{"id":null,"deletedAt":null}"#).unwrap_err();
    assert!(null.to_string().contains("invalid type: null"), "{null}");
    let array = serde_json::from_str::<Record>(r#"["r1", null]"#).unwrap_err();
    assert!(
        array.to_string().contains("a JSON object (`Record`)"),
        "{array}"
    );
    // Required but nullable: absent reads as null, as serde's derive reads it.
    let record: Record = serde_json::from_str(r#"{"id":"r3"}"#).unwrap();
    assert_eq!(record.deleted_at, None);
}

#[test]
fn writing_leaves_out_unset_optional_members_and_keeps_required_nulls() {
    let record: Record =
        serde_json::from_str(r#"{"id":"r1","deletedAt":null,"type":"t","URL":"u"}"#).unwrap();
    assert_eq!(
        serde_json::to_value(&record).unwrap(),
        serde_json::json!({"id": "r1", "deletedAt": null, "type": "t", "URL": "u"})
    );
}
