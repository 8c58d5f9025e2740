//! How the `openapi31_schemas` fixture's types, written in JSON Schema
//! 2020-12, read and write: a tuple, type lists with `null` and with
//! several types, `const`, `$defs`, maps by pattern; and exclusive integer
//! and number bounds and `dependentRequired` checked before sending.
//! Compiled and run inside its generated crate by
//! `tests/tests/generator/fixtures_build.rs`.

use fixture_openapi31_schemas::Error;
use fixture_openapi31_schemas::mock::MockServer;
use fixture_openapi31_schemas::runtime::FilePart;
use fixture_openapi31_schemas::types::{
    Place, PlaceCode, PlaceKind, PlaceOpening, UploadPhotoBody,
};
use serde_json::json;

#[test]
fn a_place_reads_its_tuple_type_lists_constant_and_maps() {
    let place: Place = serde_json::from_value(json!({
        "name": "Home",
        "location": [13.4, 52.5],
        "kind": "place",
        "note": null,
        "parent": null,
        "code": 7,
        "labels": {"door": "red"},
        "counts": {"rooms": 3},
        "address": {"street": "Main", "zip": null},
    }))
    .unwrap();
    assert_eq!(place.location, (13.4, 52.5));
    assert_eq!(place.kind, PlaceKind::Place);
    assert_eq!(place.note, None);
    assert_eq!(place.parent, None);
    assert_eq!(place.code, Some(PlaceCode::Integer(7)));
    assert_eq!(place.labels.unwrap()["door"], "red");
    assert_eq!(place.counts.unwrap()["rooms"], 3);
    let address = place.address.unwrap();
    assert_eq!((address.street.as_deref(), address.zip), (Some("Main"), None));

    let named: Place = serde_json::from_value(json!({
        "name": "Work", "location": [0.0, 0.0], "kind": "place", "code": "w1",
    }))
    .unwrap();
    assert_eq!(named.code, Some(PlaceCode::String("w1".to_owned())));
}

#[test]
fn a_tuple_takes_exactly_its_items() {
    for location in [json!([1.0]), json!([1.0, 2.0, 3.0]), json!({"x": 1.0})] {
        let read = serde_json::from_value::<Place>(json!({
            "name": "n", "location": location, "kind": "place",
        }));
        assert!(read.is_err(), "{location} read as a point");
    }
}

#[test]
fn a_place_writes_its_tuple_as_an_array_and_leaves_unset_members_out() {
    let mut place = Place::new("Home", (13.4, 52.5), PlaceKind::Place);
    place.code = Some(PlaceCode::String("h".to_owned()));
    assert_eq!(
        serde_json::to_value(&place).unwrap(),
        json!({"name": "Home", "location": [13.4, 52.5], "kind": "place", "code": "h"})
    );
}

#[tokio::test]
async fn a_tuple_in_the_query_is_sent_as_its_items() {
    let server = MockServer::start().await;
    server.list_places().respond(200, &Vec::<Place>::new()).await;

    let places = server.client().list_places().near((13.4, 52.5)).await.unwrap();

    assert!(places.body().is_empty());
    let request = &server.received_requests().await[0];
    assert_eq!(request.url.query(), Some("near=13.4&near=52.5"));
}

#[tokio::test]
async fn an_exclusive_integer_bound_is_checked_before_sending() {
    let server = MockServer::start().await;
    let body = UploadPhotoBody::new(FilePart::new(vec![1, 2, 3]));
    for size in [0, 4097] {
        let refused = server
            .client()
            .upload_photo("p1", &body)
            .size(size)
            .await;
        match refused {
            Err(Error::InvalidInput { field, .. }) => assert_eq!(field, "size"),
            other => panic!("sent with size {size}: {other:?}"),
        }
    }
    assert!(server.received_requests().await.is_empty());
}

#[tokio::test]
async fn an_exclusive_number_bound_is_checked_before_sending() {
    let server = MockServer::start().await;
    let mut place = Place::new("Shop", (0.0, 0.0), PlaceKind::Place);
    for (rating, rule) in [
        (0.0, "must be greater than 0 (is 0)"),
        (-0.5, "must be greater than 0 (is -0.5)"),
        (5.5, "must be at most 5 (is 5.5)"),
    ] {
        place.rating = Some(rating);
        match server.client().create_place(&place).await {
            Err(Error::InvalidInput { field, rule: got }) => {
                assert_eq!((field.as_str(), got.as_str()), ("rating", rule));
            }
            other => panic!("sent with rating {rating}: {other:?}"),
        }
    }
    assert!(server.received_requests().await.is_empty());
    for rating in [0.1, 5.0] {
        place.rating = Some(rating);
        assert!(place.validate().is_ok(), "rating {rating}");
    }
}

#[tokio::test]
async fn a_field_another_requires_is_checked_before_sending() {
    let server = MockServer::start().await;
    let mut place = Place::new("Shop", (0.0, 0.0), PlaceKind::Place);
    let mut opening = PlaceOpening::default();
    opening.from = Some("09:00".to_owned());
    place.opening = Some(opening.clone());

    match server.client().create_place(&place).await {
        Err(Error::InvalidInput { field, rule }) => {
            assert_eq!(field, "opening.to");
            assert_eq!(rule, "must be set when `from` is");
        }
        other => panic!("sent: {other:?}"),
    }
    assert!(server.received_requests().await.is_empty());

    opening.to = Some("18:00".to_owned());
    place.opening = Some(opening);
    assert!(place.validate().is_ok());
    let mut alone = PlaceOpening::default();
    alone.to = Some("18:00".to_owned());
    assert!(alone.validate().is_ok(), "`to` alone requires nothing");
}
