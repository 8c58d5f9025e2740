//! The workspace's integration tests, as one test binary with a module per
//! area: each file of `tests/tests/` at the top would be a crate of its own
//! to compile and link.
//!
//! - `generator`: the generator through its library: snapshots of generated
//!   code, located errors and fallbacks, bad input, the change summary, the
//!   generated crate's manifest, the fixture and vendor clients built and
//!   linted, and the fuzzer.
//! - `client`: the generated client end to end: every operation against
//!   wiremock, a conversation with the fake Atlas server (lifecycles and the
//!   fault matrix), behaviour beyond single calls, its `mock` feature, and
//!   the `manage_keys` example.
//! - `tools`: checks by independent tools: Spectral lints the spec, Prism
//!   serves it for a contract test.
//! - `support`: what they share: the fake Atlas server (and its self-test),
//!   the table of the client's operations, and Prism.
//!
//! The fuzzer runs only when asked (`#[ignore]`): it takes a minute, and
//! `cargo xtask fuzz` runs it as a step of its own. The tracing test is a
//! binary of its own (`tracing_spans.rs`).

mod client;
mod generator;
mod support;
mod tools;
