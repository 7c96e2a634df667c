//! Shared mechanisms of the QuickCare services: one place for what every
//! service does the same way, so services hold only their own domain.

pub mod accounts;
pub mod authz;
pub mod client_ip;
pub mod config;
pub mod crypto;
pub mod db;
pub mod discovery;
pub mod error;
pub mod events;
pub mod extract;
pub mod fanout;
pub mod http;
pub mod idempotency;
pub mod identity;
pub mod ids;
pub mod import;
pub mod internal;
pub mod json;
pub mod mail;
pub mod metric_handles;
pub mod objects;
pub mod openapi;
pub mod pagination;
pub mod peer;
pub mod problem;
pub mod ratelimit;
pub mod redis_conn;
pub mod rejection;
pub mod security_headers;
pub mod service;
pub mod signing;
pub mod stats;
pub mod telemetry;
#[cfg(feature = "testing")]
pub mod testing;
pub mod validate;

pub use error::{Error, OnConstraint, Result};
pub use problem::Problem;
