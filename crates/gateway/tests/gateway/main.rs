//! The gateway's integration tests, one binary: routing and balancing
//! against real upstreams on loopback, and the web app it serves.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod balancing;
mod web_app;
