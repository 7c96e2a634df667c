//! Forgotten passwords: a mailed single-use link valid 60 minutes.

use axum::{extract::State, http::StatusCode};
use chrono::{TimeDelta, Utc};
use kit::{
    json::{Json, ValidJson},
    mail::Mail,
};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::{
    entity::{password_reset, user},
    error::{AuthError, Result},
    password,
    state::AppState,
    tokens,
};

pub const RESET_TTL: TimeDelta = TimeDelta::minutes(60);

#[derive(Debug, Deserialize, ToSchema)]
pub struct Forgot {
    pub email: String,
}

/// Always 202, whether or not the account exists, so the answer reveals
/// nothing; the mail goes out only for an existing, enabled account.
#[utoipa::path(post, path = "/api/v1/auth/password/forgot", tag = "auth", request_body = Forgot, responses((status = 202)))]
pub async fn forgot(State(state): State<AppState>, Json(req): Json<Forgot>) -> Result<StatusCode> {
    let email = req.email.trim().to_lowercase();
    let found = user::Entity::find().filter(user::Column::Email.eq(&email)).one(&state.ctx.db).await?;
    let Some(u) = found.filter(|u| u.disabled_at.is_none()) else {
        return Ok(StatusCode::ACCEPTED);
    };
    let secret = tokens::random_secret();
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    password_reset::Entity::delete_by_id(email.clone()).exec(&txn).await?;
    password_reset::ActiveModel {
        email: Set(email.clone()),
        token: Set(tokens::digest(&secret)),
        created_at: Set(Utc::now()),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    let link =
        format!("{}/reset-password?token={secret}", state.ctx.settings.public_url.trim_end_matches('/'));
    let mail = Mail {
        to: format!("{} <{}>", u.name.replace(['<', '>', '"'], ""), u.email),
        subject: "Reset your QuickCare password".into(),
        text: format!(
            "Hello {},\n\nSomeone asked to reset your QuickCare password. If it was you, open this link within 60 minutes:\n\n{link} \n\nIf not, ignore this mail: your password stays as it is.\n",
            u.name
        ),
        html: None,
        attachments: Vec::new(),
        message_id: None,
    };
    if let Err(e) = state.ctx.mailer.send(&mail).await {
        // The token stays valid; the user can ask again.
        tracing::warn!(user_id = u.id, error = %e, "password reset mail not sent");
    }
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
    let bad = || AuthError::invalid("token", "is unknown, already used or expired");
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
    active.password = Set(password::hash(&req.password).await?);
    active.updated_at = Set(Utc::now());
    active.update(&txn).await?;
    tokens::revoke_user(&txn, id, None).await?;
    txn.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
