//! Forgotten passwords: a single-use link valid 60 minutes, mailed by the
//! notification service from `user.password_reset_requested`.

use axum::{extract::State, http::StatusCode};
use chrono::{TimeDelta, Utc};
use kit::{
    Result,
    events::catalog,
    identity::Scope,
    json::{Json, ValidJson},
};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::{
    entity::{password_reset, user},
    state::AppState,
    tokens,
};

pub const RESET_TTL: TimeDelta = TimeDelta::minutes(60);

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
    let email = req.email.trim().to_lowercase();
    let found = user::Entity::find().filter(user::Column::Email.eq(&email)).one(&state.ctx.db).await?;
    let Some(u) = found.filter(|u| u.disabled_at.is_none()) else {
        return Ok(StatusCode::ACCEPTED);
    };
    let secret = tokens::random_secret();
    let now = Utc::now();
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    password_reset::Entity::delete_by_id(email.clone()).exec(&txn).await?;
    password_reset::ActiveModel {
        email: Set(email.clone()),
        token: Set(tokens::digest(&secret)),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let requested = catalog::PasswordResetRequested {
        user_id: u.id,
        name: u.name,
        email: u.email,
        secret_sealed: state.ctx.keyring.seal_str(&secret),
        expires_at: now + RESET_TTL,
    };
    let subject = Some(format!("user/{}", u.id));
    kit::events::publish(&txn, "auth", catalog::PASSWORD_RESET_REQUESTED, subject, &requested).await?;
    txn.commit().await?;
    Ok(StatusCode::ACCEPTED)
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct Reset {
    pub token: String,
    #[validate(length(min = 8, max = 128, message = "must be 8 to 128 characters"))]
    pub password: String,
}

#[utoipa::path(post, path = "/api/v1/auth/password/reset", tag = "auth", request_body = Reset,
    responses((status = 204), (status = 422, description = "unknown, used or expired token")))]
pub async fn reset(State(state): State<AppState>, ValidJson(req): ValidJson<Reset>) -> Result<StatusCode> {
    let bad = || kit::Error::invalid("token", "is unknown, already used or expired");
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    let row = password_reset::Entity::find()
        .filter(password_reset::Column::Token.eq(tokens::digest(&req.token)))
        .one(&txn)
        .await?
        .ok_or_else(bad)?;
    // Delete first: of two racing resets with one token, one deletes the row.
    let deleted = password_reset::Entity::delete_many()
        .filter(password_reset::Column::Email.eq(&row.email))
        .filter(password_reset::Column::Token.eq(&row.token))
        .exec(&txn)
        .await?;
    if deleted.rows_affected == 0 || row.created_at + RESET_TTL < Utc::now() {
        txn.commit().await?;
        return Err(bad());
    }
    let u =
        user::Entity::find().filter(user::Column::Email.eq(&row.email)).one(&txn).await?.ok_or_else(bad)?;
    let id = u.id;
    let mut active = u.into_active_model();
    active.password = Set(state.hasher.hash(&req.password).await?);
    active.updated_at = Set(Utc::now());
    active.update(&txn).await?;
    tokens::revoke_user(&txn, id, None).await?;
    txn.commit().await?;
    tokens::stop_access(&state, id, Scope::All).await;
    Ok(StatusCode::NO_CONTENT)
}
