//! Auth's HTTP API (the "Auth" rows of api.md).
//!
//! [`sessions`] and [`accounts`] are the one list of routes: each
//! documented handler brings its path and method from its own
//! `utoipa::path`, so the router and the OpenAPI document cannot
//! disagree. `/internal/` routes are plain axum routes, left out of the
//! document.

pub mod admin;
pub mod avatar;
pub mod cookie_session;
pub mod doctor_registration;
pub mod internal;
pub mod me;
pub mod reset;
pub mod session;
pub mod well_known;

use axum::{Router, extract::DefaultBodyLimit, middleware, routing::get};
use utoipa::{Modify, OpenApi};
use utoipa_axum::{
    router::{OpenApiRouter, UtoipaMethodRouterExt},
    routes,
};

use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(tags(
    (name = "auth", description = "Accounts, sessions and keys"),
    (name = "admin", description = "User administration"),
))]
struct ApiDoc;

/// The routes that issue or take a refresh token; [`router`] gives them
/// the cookie transport.
fn sessions() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(session::register))
        .routes(routes!(doctor_registration::register_doctor))
        .routes(routes!(session::login))
        .routes(routes!(session::refresh))
        .routes(routes!(session::logout))
}

/// Every other route.
fn accounts() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(me::get, me::patch, me::delete))
        .routes(routes!(me::change_password))
        .routes(routes!(avatar::put).layer(DefaultBodyLimit::max(avatar::MAX_BYTES + 1024)))
        .routes(routes!(avatar::get))
        .routes(routes!(reset::forgot))
        .routes(routes!(reset::reset))
        .routes(routes!(well_known::jwks))
        .routes(routes!(well_known::openid_configuration))
        .routes(routes!(admin::list, admin::create))
        .routes(routes!(admin::stats))
        .routes(routes!(admin::disable))
        .routes(routes!(admin::enable))
        .route("/internal/users/{id}/registered", get(internal::registered))
}

/// The service's OpenAPI document, without any state.
pub fn openapi() -> utoipa::openapi::OpenApi {
    documented(sessions().merge(accounts()).into_openapi())
}

/// The service's router and its OpenAPI document.
pub fn router(state: AppState) -> (Router, utoipa::openapi::OpenApi) {
    let cookies = middleware::from_fn_with_state(state.clone(), cookie_session::layer);
    let (router, doc) = sessions().route_layer(cookies).merge(accounts()).with_state(state).split_for_parts();
    (router, documented(doc))
}

/// The cookie transport's header, added to the session operations.
fn documented(mut doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    cookie_session::Docs.modify(&mut doc);
    doc
}
