//! The notification service's integration tests, one binary: a module per
//! kind of message, each test on a service of its own (own storage, own
//! SMTP sink and SMS provider) against a real SQLite or MariaDB + Redis.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod applications;
mod bookings;
mod learn;
mod password_reset;
mod retries;
mod stats;
mod stream;
mod support;
mod templates;
