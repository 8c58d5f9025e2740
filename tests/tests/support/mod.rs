//! Helpers shared by the integration tests in `tests/tests/`.
//!
//! Every test file that declares `mod support;` compiles its own copy of
//! this module, and no single file uses every helper: without the allowance
//! below, each of them would warn (and fail `clippy -D warnings`) about the
//! helpers it happens not to call.
#![allow(dead_code)]

pub mod fake_atlas;
pub mod prism;
