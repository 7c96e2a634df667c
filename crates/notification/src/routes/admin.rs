//! `POST /api/v1/notifications`: an admin writes to one user, on the
//! channels they choose (the user's preferences still apply).

use axum::{extract::State, http::StatusCode};
use kit::{
    authz::{Admins, Authorized},
    ids::UserId,
    json::{Json, ValidJson},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::{admin_message, routes::inbox::Notification, state::AppState};

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct AdminMessage {
    pub user_id: UserId,
    #[validate(custom(function = "kit::validate::required"))]
    pub title: String,
    #[validate(custom(function = "kit::validate::required_up_to::<5000>"))]
    pub message: String,
    /// Any of `in_app`, `email`, `sms`; all three when absent.
    pub channels: Option<Vec<String>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Sent {
    pub user_id: UserId,
    /// The in-app notification, when that channel was used.
    pub notification: Option<Notification>,
}

#[utoipa::path(post, path = "/api/v1/notifications", tag = "notifications", request_body = AdminMessage,
    responses((status = 201, body = Sent), (status = 403), (status = 404), (status = 422)))]
pub async fn notify(
    State(state): State<AppState>,
    _: Authorized<Admins>,
    ValidJson(req): ValidJson<AdminMessage>,
) -> kit::Result<(StatusCode, Json<Sent>)> {
    let allowed = admin_message::chosen_channels(req.channels.as_deref())?;
    let made = admin_message::send(&state.ctx, req.user_id, &req.title, &req.message, allowed).await?;
    Ok((StatusCode::CREATED, Json(Sent { user_id: req.user_id, notification: made.map(Notification::from) })))
}
