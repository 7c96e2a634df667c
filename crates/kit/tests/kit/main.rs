//! kit's integration tests, one binary: each module is one mechanism on
//! real storage (SQLite, and MariaDB + Redis where the backend says so).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod connect_existing;
mod events_flow;
mod http_stack;
mod internal_learn;
mod support;
mod transient;
