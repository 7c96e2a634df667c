//! Events between services: CloudEvents envelopes written to a
//! transactional outbox, relayed to a bus, consumed idempotently.
//!
//! The path of one event: a service calls [`publish`] inside the
//! transaction that makes a change (so both commit or neither does); the
//! [relay](spawn_relay) moves committed rows to the [`Bus`] and marks them
//! published only once the bus has them (woken as soon as the unit of work
//! that wrote them is done, see [`after_commit`]; polling for the rest); a [consumer](spawn_consumer)
//! handles each event inside a transaction that also records its id in
//! the inbox, and acknowledges after commit. A process killed anywhere
//! along that path loses nothing: unpublished rows are republished,
//! unacknowledged deliveries are delivered again, and the inbox turns the
//! resulting duplicates into no-ops.

pub mod catalog;
mod consumer;
mod envelope;
mod in_process;
mod migration;
mod outbox;
mod redis_streams;
mod relay;
mod wake;

use std::sync::Arc;

pub use consumer::{Handler, HandlerError, apply, apply_within, spawn_consumer};
pub use envelope::Event;
pub use in_process::InProcessBus;
pub use migration::{later_migrations, migrations};
pub use outbox::{first_written, last_written, publish};
pub use redis_streams::RedisBus;
pub use relay::spawn_relay;
pub use wake::after_commit;

use crate::config::Settings;

#[derive(Debug, thiserror::Error)]
pub enum BusError {
    #[error("bus unavailable: {0}")]
    Unavailable(String),
}

/// One message taken from the bus, to be acknowledged by `id` once handled.
/// `event` is `Err(raw)` when the payload is not a valid envelope.
pub struct Delivery {
    pub id: String,
    pub event: Result<Event, String>,
}

/// A message bus adapter (Redis Streams, or in-process when embedded).
/// Semantics: at-least-once delivery to every consumer group; within a
/// group each message goes to one consumer; unacknowledged messages come
/// back.
#[async_trait::async_trait]
pub trait Bus: Send + Sync {
    async fn publish(&self, event: &Event) -> Result<(), BusError>;
    async fn ping(&self) -> Result<(), BusError>;
    /// Joins consumer group `group` (created when missing, reading from the
    /// start of the retained history).
    async fn subscribe(&self, group: &str) -> Result<Box<dyn Subscription>, BusError>;
}

#[async_trait::async_trait]
pub trait Subscription: Send {
    /// Waits up to about a second; an empty batch is normal.
    async fn next(&mut self) -> Result<Vec<Delivery>, BusError>;
    async fn ack(&mut self, id: &str) -> Result<(), BusError>;
}

/// Redis Streams when `QUICKCARE_REDIS_URL` is set, else a new in-process bus.
pub async fn bus_from_settings(settings: &Settings) -> Result<Arc<dyn Bus>, BusError> {
    Ok(match settings.redis_url.as_deref() {
        Some(url) => RedisBus::connect(url, &settings.namespace).await?,
        None => InProcessBus::new(),
    })
}
