//! The notification service's HTTP API (the "Notifications" rows of api.md).

pub mod admin;
pub mod deliveries;
pub mod inbox;
pub mod preferences;
pub mod templates;

use axum::{
    Router,
    routing::{get, post, put},
};

use crate::state::AppState;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/api/v1/notifications", get(inbox::list).post(admin::notify))
        .route("/api/v1/notifications/read-all", post(inbox::read_all))
        .route("/api/v1/notifications/stream", get(crate::stream::stream))
        .route("/api/v1/notifications/preferences", get(preferences::get).put(preferences::put))
        .route("/api/v1/notifications/{id}/read", put(inbox::read))
        .route("/api/v1/notification-templates", get(templates::list))
        .route("/api/v1/notification-templates/{key}", put(templates::put))
        .route("/api/v1/notification-deliveries", get(deliveries::list))
        .with_state(state)
}
