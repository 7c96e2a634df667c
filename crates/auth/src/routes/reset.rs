//! Forgotten passwords: a single-use link valid 60 minutes, mailed by the
//! notification service from `user.password_reset_requested`.

use axum::{extract::State, http::StatusCode};
use kit::{
    Result,
    json::{Json, ValidJson},
};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::{password_reset, state::AppState};

#[derive(Debug, Deserialize, ToSchema)]
pub struct Forgot {
    pub email: String,
}

/// Always 202, whether or not the account exists, so the answer reveals
/// nothing. For an existing, enabled account the reset row and a
/// `user.password_reset_requested` event (the secret sealed) commit
/// together; the notification service mails the link from that event, with
/// its delivery tracking and retries. A new request replaces the old row, so
/// only the newest link works.
#[utoipa::path(post, path = "/api/v1/auth/password/forgot", tag = "auth", request_body = Forgot, responses((status = 202)))]
pub async fn forgot(State(state): State<AppState>, Json(req): Json<Forgot>) -> Result<StatusCode> {
    password_reset::request(&state, &req.email).await?;
    Ok(StatusCode::ACCEPTED)
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct Reset {
    pub token: String,
    #[validate(custom(function = "kit::validate::password"))]
    pub password: String,
}

#[utoipa::path(post, path = "/api/v1/auth/password/reset", tag = "auth", request_body = Reset,
    responses((status = 204), (status = 422, description = "unknown, used or expired token")))]
pub async fn reset(State(state): State<AppState>, ValidJson(req): ValidJson<Reset>) -> Result<StatusCode> {
    password_reset::redeem(&state, &req.token, &req.password).await?;
    Ok(StatusCode::NO_CONTENT)
}
