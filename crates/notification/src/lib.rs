//! The notification service: events of the other services become in-app
//! notifications, mails (text + HTML, calendar invites) and SMS, by each
//! user's preferences, in their language and on their clock; every mail
//! and SMS attempt is tracked and retried with backoff. It sends every mail
//! of the platform, password resets and doctor applications included: the
//! other services publish events, none holds a mailer of its own.

pub mod admin_message;
mod applications;
mod channels;
mod clock;
pub mod deliveries;
mod delivery_stats;
pub mod entity;
mod events;
mod ics;
pub mod ids;
pub mod import;
pub mod inbox;
mod learn;
mod migration;
pub mod notify;
pub mod preferences;
mod routes;
pub mod sender;
mod state;
mod stream;
pub mod template_edits;
mod templates;

use std::{sync::Arc, time::Duration};

use kit::service::{Consumes, ServiceContext, ServiceHandle};
use sea_orm::DatabaseConnection;

use crate::state::AppState;

/// The service's OpenAPI document: its routes' own `utoipa::path`s (see
/// `routes::api`).
pub fn openapi() -> utoipa::openapi::OpenApi {
    routes::api().into_openapi()
}

pub async fn migrate(db: &DatabaseConnection) -> Result<(), sea_orm::DbErr> {
    kit::db::migrate::<migration::Migrator>(db).await
}

/// Migrates, then starts the sender, the consumer, the relay and the router.
pub async fn start(ctx: ServiceContext) -> anyhow::Result<ServiceHandle> {
    migrate(&ctx.db).await?;
    let channels = sender::Channels {
        email: Arc::new(channels::email::Email { mailer: ctx.mailer.clone() }),
        sms: Arc::new(channels::sms::Sms::from_settings(&ctx.settings)?),
    };
    let retry_base = Duration::from_millis(ctx.settings.delivery_retry_base_ms.max(1));
    let sender = sender::spawn(ctx.db.clone(), channels, retry_base, ctx.shutdown.clone());
    let live = kit::events::spawn_consumer(
        ctx.db.clone(),
        ctx.bus.clone(),
        "notification-live",
        events::LIVE_TYPES,
        Arc::new(events::LiveEvents { fanout: ctx.fanout.clone() }),
        ctx.shutdown.clone(),
    )
    .await;
    let handler = events::NotificationEvents {
        keyring: ctx.keyring.clone(),
        public_url: ctx.settings.public_url.clone(),
        ctx: ctx.clone(),
    };
    let consumes = Consumes { types: events::TYPES, handler: Arc::new(handler) };
    let (router, openapi) = routes::router(AppState { ctx: ctx.clone() });
    Ok(ctx.launch(router, openapi, Some(consumes), vec![sender, live]).await)
}
