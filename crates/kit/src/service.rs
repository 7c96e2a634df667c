//! What a service is given to run, and what it gives back. The binary
//! builds one [`ServiceContext`] per service (embedded: shared in-process
//! bus, SQLite; distributed: Redis, MySQL) and mounts the returned router.

use std::sync::Arc;

use axum::Router;
use sea_orm::DatabaseConnection;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::{
    config::Settings, crypto::Keyring, events::Bus, identity::JwtVerifier, mail::Mailer, objects::Objects,
    peer::Peers, ratelimit::RateLimiter,
};

#[derive(Clone)]
pub struct ServiceContext {
    /// `auth`, `patient`, … — also the event `source` and the database suffix.
    pub name: &'static str,
    pub settings: Arc<Settings>,
    pub db: DatabaseConnection,
    pub bus: Arc<dyn Bus>,
    pub verifier: Arc<JwtVerifier>,
    pub mailer: Arc<dyn Mailer>,
    pub limiter: Arc<dyn RateLimiter>,
    pub keyring: Arc<Keyring>,
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
