//! The doctor service on its own (router in process, real databases and
//! bus): specialties, profiles from user events, the public directory,
//! a doctor's own profile and credentials, applications, and what lands
//! in the outbox. One test binary, a module per area.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod applications;
mod directory;
mod openapi;
mod own;
mod profiles;
mod specialties;
mod stats;
mod support;
