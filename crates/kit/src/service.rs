//! What a service is given to run, and what it gives back. The binary
//! builds one [`ServiceContext`] per service (embedded: shared in-process
//! bus, SQLite; distributed: Redis, MySQL) and mounts the returned router.

use std::sync::Arc;

use axum::Router;
use sea_orm::DatabaseConnection;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::{
    config::Settings, crypto::Keyring, events::Bus, fanout::Fanout, identity::JwtVerifier, mail::Mailer,
    objects::Objects, peer::Peers, ratelimit::RateLimiter,
};

#[derive(Clone)]
pub struct ServiceContext {
    /// `auth`, `patient`, … — also the event `source` and the database suffix.
    pub name: &'static str,
    pub settings: Arc<Settings>,
    pub db: DatabaseConnection,
    pub bus: Arc<dyn Bus>,
    pub verifier: Arc<JwtVerifier>,
    /// Outgoing mail. Only the notification service sends (with templates,
    /// tracking and retries); the others publish events for it to turn
    /// into messages.
    pub mailer: Arc<dyn Mailer>,
    pub limiter: Arc<dyn RateLimiter>,
    pub keyring: Arc<Keyring>,
    /// Live broadcast to every instance (server-sent events).
    pub fanout: Arc<dyn Fanout>,
    /// Uploaded files.
    pub objects: Arc<Objects>,
    /// Other services, for the few calls that need an answer now.
    pub peers: Arc<Peers>,
    /// Cancelled on shutdown; background tasks stop when it is.
    pub shutdown: CancellationToken,
}

/// A started service: its finished router (health, metrics and middleware
/// included), its OpenAPI document, and its background tasks.
pub struct ServiceHandle {
    pub name: &'static str,
    pub router: Router,
    pub openapi: utoipa::openapi::OpenApi,
    pub tasks: Vec<JoinHandle<()>>,
}

/// The events a service handles, and how.
pub struct Consumes {
    pub types: &'static [crate::events::catalog::EventType],
    pub handler: Arc<dyn crate::events::Handler>,
}

impl ServiceContext {
    /// The common end of every service's start: its consumer first (so it
    /// is subscribed before its own relay publishes), the outbox relay,
    /// then the router finished with the shared HTTP stack.
    pub async fn launch(
        &self,
        router: Router,
        openapi: utoipa::openapi::OpenApi,
        consumes: Option<Consumes>,
        mut tasks: Vec<JoinHandle<()>>,
    ) -> ServiceHandle {
        if let Some(c) = consumes {
            let consumer = crate::events::spawn_consumer(
                self.db.clone(),
                self.bus.clone(),
                self.name,
                c.types,
                c.handler,
                self.shutdown.clone(),
            )
            .await;
            tasks.push(consumer);
        }
        tasks.push(crate::events::spawn_relay(
            self.db.clone(),
            self.bus.clone(),
            self.name,
            self.shutdown.clone(),
        ));
        ServiceHandle { name: self.name, router: crate::http::finish(router, self), openapi, tasks }
    }
}
