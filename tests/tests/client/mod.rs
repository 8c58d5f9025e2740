//! The generated client (`atlas_ai_model_api_keys`) end to end, against
//! loopback servers.

mod behaviour;
mod example_manage_keys;
mod fake_atlas;
mod mock_server;
mod operations;
