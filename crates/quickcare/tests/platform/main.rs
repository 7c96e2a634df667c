//! The whole platform, as its users and operators meet it: this package's
//! own `quickcare` binary started embedded (one process, SQLite) or
//! distributed (a process per service, MariaDB + Redis) by the `harness`
//! crate, and driven over HTTP through the gateway. One binary; a module
//! per area; each test starts a platform of its own.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api;
mod booking;
mod edge;
mod events;
mod hardening;
mod legacy_appointments;
mod legacy_default_scale;
mod legacy_delta;
mod legacy_doctors;
mod legacy_import;
mod legacy_taken;
mod notification_crash;
mod notifications;
mod probes;
mod ratings;
mod read_your_writes;
mod rejections;
mod revocation;
mod routes;
mod scaling;
mod security;
mod support;
