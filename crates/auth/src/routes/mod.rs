//! Auth's HTTP API (the "Auth" rows of api.md).

pub mod admin;
pub mod avatar;
pub mod cookie_session;
pub mod doctor_registration;
pub mod internal;
pub mod me;
pub mod reset;
pub mod session;
pub mod well_known;

use axum::{
    Router,
    extract::DefaultBodyLimit,
    middleware,
    routing::{get, post, put},
};

use crate::state::AppState;

pub fn router(state: AppState) -> Router {
    // The routes that issue or take a refresh token, with its cookie transport.
    let sessions = Router::new()
        .route("/api/v1/auth/register", post(session::register))
        .route("/api/v1/auth/register/doctor", post(doctor_registration::register_doctor))
        .route("/api/v1/auth/login", post(session::login))
        .route("/api/v1/auth/refresh", post(session::refresh))
        .route("/api/v1/auth/logout", post(session::logout))
        .route_layer(middleware::from_fn_with_state(state.clone(), cookie_session::layer));
    Router::new()
        .merge(sessions)
        .route("/api/v1/auth/me", get(me::get).patch(me::patch).delete(me::delete))
        .route("/api/v1/auth/me/password", put(me::change_password))
        .route(
            "/api/v1/auth/me/avatar",
            put(avatar::put).layer(DefaultBodyLimit::max(avatar::MAX_BYTES + 1024)),
        )
        .route("/api/v1/auth/avatars/{file}", get(avatar::get))
        .route("/api/v1/auth/password/forgot", post(reset::forgot))
        .route("/api/v1/auth/password/reset", post(reset::reset))
        .route("/.well-known/jwks.json", get(well_known::jwks))
        .route("/.well-known/openid-configuration", get(well_known::openid_configuration))
        .route("/api/v1/admin/users", get(admin::list).post(admin::create))
        .route("/api/v1/admin/users/{id}/disable", post(admin::disable))
        .route("/api/v1/admin/users/{id}/enable", post(admin::enable))
        .route("/internal/users/{id}/registered", get(internal::registered))
        .with_state(state)
}
