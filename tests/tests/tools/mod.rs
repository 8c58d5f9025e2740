//! Checks by independent tools, installed by `cargo xtask test`.

mod contract_prism;
mod spec_lint;
