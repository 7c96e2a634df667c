//! The auth service on its own: its router in process, real databases,
//! bus and Redis (one test binary; a module per area).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts;
mod avatars;
mod browser_session;
mod legacy_import;
mod login_throttle;
mod refresh_rotation;
mod stats;
mod support;
