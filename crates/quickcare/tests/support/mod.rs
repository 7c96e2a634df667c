//! Whole-platform test support: the `harness` crate driving this package's
//! own `quickcare` binary, plus an HTTP client for the API.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

pub mod api;

#[allow(unused_imports)] // each test file uses a different part
pub use harness::{Mode, Options, Platform, modes, redis_server::PrivateRedis};

/// Starts a platform of this build's binary.
pub async fn start(mode: Mode, opts: Options) -> Platform {
    Platform::start(std::path::Path::new(env!("CARGO_BIN_EXE_quickcare")), mode, opts).await.unwrap()
}
