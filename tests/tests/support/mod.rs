//! Helpers shared by the integration tests: the fake Atlas server, the
//! table of the client's operations, and Stoplight Prism.

pub mod fake_atlas;
pub mod operations;
pub mod prism;
