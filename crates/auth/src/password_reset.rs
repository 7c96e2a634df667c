//! Forgotten passwords: a single-use link valid [`RESET_TTL`], mailed by
//! the notification service from `user.password_reset_requested`.

use chrono::{TimeDelta, Utc};
use kit::{Result, events::catalog, identity::Scope};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

use crate::{
    entity::{password_reset, user},
    state::AppState,
    tokens,
};

/// How long a reset link works.
pub const RESET_TTL: TimeDelta = TimeDelta::minutes(60);

/// Starts a reset for `email` if it names an enabled account, and says
/// nothing either way. The reset row and a `user.password_reset_requested`
/// event (the secret sealed) commit together; a new request replaces the
/// old row, so only the newest link works.
pub async fn request(state: &AppState, email: &str) -> Result<()> {
    let email = email.trim().to_lowercase();
    let found = user::Entity::find().filter(user::Column::Email.eq(&email)).one(&state.ctx.db).await?;
    let Some(u) = found.filter(|u| u.disabled_at.is_none()) else {
        return Ok(());
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
    kit::events::publish(&txn, "auth", catalog::EventType::PasswordResetRequested, subject, &requested)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Sets `new_password` for the account whose link carries `secret`, once:
/// 422 for an unknown, used or expired link. Every session of the account
/// ends.
pub async fn redeem(state: &AppState, secret: &str, new_password: &str) -> Result<()> {
    let bad = || kit::Error::invalid("token", "is unknown, already used or expired");
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    let row = password_reset::Entity::find()
        .filter(password_reset::Column::Token.eq(tokens::digest(secret)))
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
    active.password = Set(state.hasher.hash(new_password).await?);
    active.updated_at = Set(Utc::now());
    active.update(&txn).await?;
    tokens::revoke_user(&txn, id, None).await?;
    txn.commit().await?;
    tokens::stop_access(state, id, Scope::All).await;
    Ok(())
}
