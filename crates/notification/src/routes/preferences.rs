//! A user's channels and reminder lead time.

use axum::extract::State;
use chrono::Utc;
use kit::{
    events::catalog,
    identity::AuthUser,
    json::{Json, ValidJson},
};
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::{entity::preference, error::Result, notify, state::AppState};

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
pub async fn get(State(state): State<AppState>, caller: AuthUser) -> Result<Json<Preferences>> {
    Ok(Json(notify::preferences(&state.ctx.db, caller.user_id).await?.into()))
}

#[utoipa::path(put, path = "/api/v1/notifications/preferences", tag = "notifications", request_body = Preferences,
    responses((status = 200, body = Preferences), (status = 422)))]
pub async fn put(
    State(state): State<AppState>,
    caller: AuthUser,
    ValidJson(req): ValidJson<Preferences>,
) -> Result<Json<Preferences>> {
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    let row = preference::Model {
        user_id: caller.user_id,
        email: req.email,
        sms: req.sms,
        in_app: req.in_app,
        reminder_hours_before: req.reminder_hours_before,
        updated_at: Utc::now(),
    };
    let exists = preference::Entity::find_by_id(caller.user_id).one(&txn).await?.is_some();
    let active = row.into_active_model().reset_all();
    let saved = if exists { active.update(&txn).await? } else { active.insert(&txn).await? };
    // The appointment service times this user's reminders by it.
    let changed = catalog::NotificationPreferencesChanged {
        user_id: saved.user_id,
        email: saved.email,
        sms: saved.sms,
        in_app: saved.in_app,
        reminder_hours_before: saved.reminder_hours_before,
    };
    let subject = Some(format!("user/{}", saved.user_id));
    kit::events::publish(&txn, "notification", catalog::NOTIFICATION_PREFERENCES_CHANGED, subject, &changed)
        .await?;
    txn.commit().await?;
    Ok(Json(saved.into()))
}
