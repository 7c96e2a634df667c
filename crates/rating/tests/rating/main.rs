//! The rating service served on a loopback port, its read models fed
//! through the real bus. One test binary, a module per area.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod analytics;
mod concurrency;
mod events;
mod moderation;
mod stats;
mod submit;
mod support;
