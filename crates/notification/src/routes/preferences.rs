//! A user's channels and reminder lead time.

use axum::extract::State;
use kit::{
    identity::AuthUser,
    json::{Json, ValidJson},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::{
    entity::preference,
    preferences::{self, Choice},
    state::AppState,
};

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[schema(as = NotificationPreferences)]
pub struct Preferences {
    pub email: bool,
    pub sms: bool,
    pub in_app: bool,
    #[validate(range(min = 1, max = 168, message = "must be 1 to 168 hours"))]
    pub reminder_hours_before: i32,
}

impl From<preference::Model> for Preferences {
    fn from(p: preference::Model) -> Self {
        Self { email: p.email, sms: p.sms, in_app: p.in_app, reminder_hours_before: p.reminder_hours_before }
    }
}

#[utoipa::path(get, path = "/api/v1/notifications/preferences", tag = "notifications",
    responses((status = 200, body = Preferences)))]
pub async fn get(State(state): State<AppState>, caller: AuthUser) -> kit::Result<Json<Preferences>> {
    Ok(Json(preferences::of(&state.ctx.db, caller.user_id).await?.into()))
}

#[utoipa::path(put, path = "/api/v1/notifications/preferences", tag = "notifications", request_body = Preferences,
    responses((status = 200, body = Preferences), (status = 422)))]
pub async fn put(
    State(state): State<AppState>,
    caller: AuthUser,
    ValidJson(req): ValidJson<Preferences>,
) -> kit::Result<Json<Preferences>> {
    let choice = Choice {
        email: req.email,
        sms: req.sms,
        in_app: req.in_app,
        reminder_hours_before: req.reminder_hours_before,
    };
    Ok(Json(preferences::save(&state.ctx.db, caller.user_id, choice).await?.into()))
}
