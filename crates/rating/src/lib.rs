//! The rating service: who may rate a doctor (a patient who has seen
//! them), one rating per patient and doctor enforced by the database,
//! moderation (blocked words, reports, admin decisions), public summaries
//! and monthly analytics. Every change to a doctor's published ratings
//! announces the new summary (`rating.summary_changed`), which the doctor
//! service copies into its listing.

pub mod analytics;
pub mod authoring;
pub mod eligibility;
pub mod entity;
mod events;
pub mod import;
mod learn;
pub mod listing;
mod migration;
mod migration_summary_version;
pub mod moderation;
pub mod reports;
pub mod review;
mod routes;
mod state;
pub mod stats;
pub mod summaries;

use std::sync::Arc;

use kit::service::{Consumes, ServiceContext, ServiceHandle};
use sea_orm::DatabaseConnection;

use crate::{moderation::BlockList, state::AppState};

/// The service's OpenAPI document: its routes' own `utoipa::path`s (see
/// `routes::api`).
pub fn openapi() -> utoipa::openapi::OpenApi {
    routes::api().into_openapi()
}

pub async fn migrate(db: &DatabaseConnection) -> Result<(), sea_orm::DbErr> {
    kit::db::migrate::<migration::Migrator>(db).await
}

/// Migrates, then starts the consumer, the relay and the router.
pub async fn start(ctx: ServiceContext) -> anyhow::Result<ServiceHandle> {
    migrate(&ctx.db).await?;
    let blocked = Arc::new(BlockList::new(ctx.settings.rating_blocked_words.as_deref()));
    let consumes = Consumes { types: events::TYPES, handler: Arc::new(events::RatingEvents) };
    let (router, openapi) = routes::router(AppState { ctx: ctx.clone(), blocked });
    Ok(ctx.launch(router, openapi, Some(consumes), Vec::new()).await)
}

#[cfg(test)]
mod tests {
    #[test]
    fn openapi_lists_every_ratings_row_under_its_tag() {
        let doc = super::openapi();
        let paths: Vec<&str> = doc.paths.paths.keys().map(String::as_str).collect();
        for p in [
            "/api/v1/ratings",
            "/api/v1/ratings/summary",
            "/api/v1/ratings/analytics",
            "/api/v1/ratings/moderation",
            "/api/v1/ratings/{id}",
            "/api/v1/ratings/{id}/report",
            "/api/v1/ratings/{id}/approve",
            "/api/v1/ratings/{id}/reject",
        ] {
            assert!(paths.contains(&p), "{p} missing from {paths:?}");
        }
        let tags: Vec<String> = doc.tags.unwrap_or_default().into_iter().map(|t| t.name).collect();
        assert_eq!(tags, vec!["ratings".to_owned()]);
    }
}
