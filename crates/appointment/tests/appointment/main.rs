//! The appointment service's integration tests, one binary with a module
//! per area. Every behaviour runs once per backend (`kit::per_backend!`),
//! so a failure names the backend that broke.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod booking;
mod contention;
mod departures;
mod jobs;
mod listing;
mod policy;
mod reports;
mod slots;
mod stats;
mod support;
mod time_zones;
mod transitions;
