//! Support code shared by every operation: the HTTP client, authentication,
//! errors, responses (downloads and event streams among them) and secrets,
//! and (with the `mock` feature) test doubles.
//!
//! Written once in the generator's `client-runtime` crate, where it is
//! compiled and tested, and copied verbatim into each generated client as its
//! `runtime` module. Modules refer to each other only through `super::`,
//! which resolves the same way in both places.
#![deny(missing_docs)]

pub mod auth;
pub mod body;
pub mod client;
pub mod de;
pub mod download;
pub mod error;
pub mod events;
pub mod form;
#[cfg(feature = "mock")]
pub mod mock;
pub mod multipart;
pub mod paging;
pub mod request;
pub mod response;
pub mod retry;
pub mod secret;
pub mod sending;
pub mod validate;

pub use auth::{
    ClientCredentials, Credential, Credentials, DigestKey, KeyLocation, MissingCredentials,
    Requirements, TokenEndpoint, TokenUrl,
};
pub use body::Body;
pub use client::{BuildError, Client, ClientBuilder};
pub use download::{BodyError, ByteStream};
pub use error::{Error, InvalidInput};
pub use events::{Event, EventStream};
pub use multipart::{FilePart, Multipart};
pub use request::{Request, VersionMedia};
pub use response::ApiResponse;
pub use retry::RetryPolicy;
pub use secret::Secret;
pub use sending::Sending;
