//! Helpers shared by the integration tests: the fake Atlas server and
//! Stoplight Prism.

pub mod fake_atlas;
pub mod prism;
