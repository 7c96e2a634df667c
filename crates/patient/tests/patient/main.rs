//! The patient service on its own: its router in process, real databases
//! and bus (one test binary; a module per area).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod access_address;
mod records;
mod stats;
mod support;
