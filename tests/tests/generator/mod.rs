//! The generator, tested through its library and on its output.

mod bad_input;
mod change_summary;
mod errors;
mod fixtures_build;
mod fuzz;
mod generated_crate;
mod knows_no_api;
mod openapi31;
mod snapshots;
mod vendor_spec;
