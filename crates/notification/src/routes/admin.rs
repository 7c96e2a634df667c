//! `POST /api/v1/notifications`: an admin writes to one user, on the
//! channels they choose (the user's preferences still apply).

use axum::{extract::State, http::StatusCode};
use kit::{
    authz::{Admins, Authorized},
    json::{Json, ValidJson},
};
use sea_orm::EntityTrait;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::{
    entity::contact,
    error::{NotificationError, Result},
    notify::{self, Allowed, Message},
    routes::inbox::Notification,
    state::AppState,
};

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct AdminMessage {
    pub user_id: i64,
    #[validate(custom(function = "kit::validate::required"))]
    pub title: String,
    #[validate(length(min = 1, max = 5000, message = "is required (at most 5000 characters)"))]
    pub message: String,
    /// Any of `in_app`, `email`, `sms`; all three when absent.
    pub channels: Option<Vec<String>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Sent {
    pub user_id: i64,
    /// The in-app notification, when that channel was used.
    pub notification: Option<Notification>,
}

#[utoipa::path(post, path = "/api/v1/notifications", tag = "notifications", request_body = AdminMessage,
    responses((status = 201, body = Sent), (status = 403), (status = 404), (status = 422)))]
pub async fn notify(
    State(state): State<AppState>,
    _: Authorized<Admins>,
    ValidJson(req): ValidJson<AdminMessage>,
) -> Result<(StatusCode, Json<Sent>)> {
    let allowed = match &req.channels {
        None => Allowed::ALL,
        Some(list) => {
            if let Some(bad) = list.iter().find(|c| !["in_app", "email", "sms"].contains(&c.as_str())) {
                return Err(NotificationError::invalid(
                    "channels",
                    format!("{bad:?} is not in_app, email or sms"),
                ));
            }
            let has = |c: &str| list.iter().any(|x| x == c);
            Allowed { in_app: has("in_app"), email: has("email"), sms: has("sms"), mandatory: false }
        }
    };
    // An account made a moment ago is reachable at once.
    crate::learn::contact(&state.ctx, req.user_id).await?.ok_or(NotificationError::NotFound)?;
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    let to = contact::Entity::find_by_id(req.user_id).one(&txn).await?.ok_or(NotificationError::NotFound)?;
    let vars = serde_json::json!({"title": req.title, "message": req.message, "name": to.name});
    let source = format!("admin:{}", uuid_v7());
    let message = Message { key: "admin_message", vars, invite: None, source, secrets: Vec::new() };
    let made = notify::notify(&txn, &to, message, allowed).await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, Json(Sent { user_id: req.user_id, notification: made.map(Notification::from) })))
}

fn uuid_v7() -> String {
    kit::events::Event::new("notification", "admin", None, serde_json::Value::Null).id.to_string()
}
