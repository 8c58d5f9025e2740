//! How the `compositions` fixture's types decode: compiled and run inside
//! its generated crate by `tests/tests/generator/fixtures_build.rs`.

use fixture_compositions::types::{Alert, Filter, GroupRegion, LeafValue};

#[test]
fn the_discriminator_picks_the_shape_and_several_values_can_name_one() {
    for kind in ["HOST_DOWN", "HOST_RECOVERED"] {
        let text = format!(r#"{{"kind":"{kind}","id":"a1","hostname":"db-0"}}"#);
        let alert: Alert = serde_json::from_str(&text).unwrap();
        let Alert::HostAlert(host) = &alert else {
            panic!("{kind}: {alert:?}")
        };
        assert_eq!((host.kind.as_str(), host.hostname.as_str()), (kind, "db-0"));
        // The shape keeps its tag, so writing it back gives the same JSON.
        assert_eq!(serde_json::to_string(&alert).unwrap(), text);
    }
    let alert: Alert =
        serde_json::from_str(r#"{"kind":"CLUSTER_PAUSED","id":"a2","created":"2024-01-02"}"#)
            .unwrap();
    let Alert::ClusterAlert(cluster) = alert else {
        panic!("{alert:?}")
    };
    assert_eq!(cluster.created.unwrap().to_string(), "2024-01-02");
}

#[test]
fn an_unknown_tag_still_decodes_and_a_broken_shape_is_an_error() {
    let alert: Alert = serde_json::from_str(r#"{"kind":"DISK_FULL","id":"a3"}"#).unwrap();
    let Alert::Unknown(value) = alert else {
        panic!("{alert:?}")
    };
    assert_eq!(value["kind"], "DISK_FULL");

    let error = serde_json::from_str::<Alert>(r#"{"kind":"HOST_DOWN","id":"a4"}"#).unwrap_err();
    assert!(error.to_string().contains("hostname"), "{error}");
}

#[test]
fn without_a_discriminator_the_first_shape_that_decodes_wins() {
    let tree: Filter = serde_json::from_str(
        r#"{"all":[{"field":"a","value":1},{"field":"b","value":true},{"field":"c","value":"x"},{"all":[]}],"region":"EASTUS"}"#,
    )
    .unwrap();
    let Filter::Group(group) = tree else {
        panic!("{tree:?}")
    };
    let values: Vec<&LeafValue> = group
        .all
        .iter()
        .filter_map(|node| match node {
            Filter::Leaf(leaf) => Some(&leaf.value),
            _ => None,
        })
        .collect();
    assert_eq!(
        values,
        [
            &LeafValue::Integer(1),
            &LeafValue::Boolean(true),
            &LeafValue::String("x".to_owned())
        ]
    );
    assert!(matches!(group.all[3], Filter::Group(_)));
    assert_eq!(group.region, Some(GroupRegion::Eastus));

    let other: Filter = serde_json::from_str("[1, 2]").unwrap();
    assert!(matches!(other, Filter::Unknown(_)), "{other:?}");
}

#[test]
fn string_choices_are_one_open_enum() {
    let known: GroupRegion = serde_json::from_str(r#""EU_WEST_1""#).unwrap();
    assert_eq!(known, GroupRegion::EuWest1);
    let added: GroupRegion = serde_json::from_str(r#""AP_SOUTH_1""#).unwrap();
    assert_eq!(added, GroupRegion::Unknown("AP_SOUTH_1".to_owned()));
}
