//! Accounts brought over from the legacy monolith (`quickcare import-legacy`).
//!
//! A legacy user keeps its id, so links and support tickets stay valid,
//! and its bcrypt `$2y$` hash, so it logs in with its old password (that
//! login upgrades the hash to argon2id, see `password.rs`). Rows are
//! written straight into `users`, without `user.registered`: history must
//! not send welcome mail, and the importer builds the other services' read
//! models itself. Re-running is idempotent: a row equal to what is stored
//! is left alone, and a hash already upgraded by a login is never put back.
//! Explicit ids move both backends' autoincrement past them, so new
//! accounts get ids after the legacy ones.

use kit::{OnConstraint, Result, identity::Role, ids::UserId};
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, IntoActiveModel, prelude::DateTimeUtc};

use crate::{accounts::email_taken, entity::user};

/// One legacy `users` row, already validated by the importer (email
/// trimmed and lower-cased, role known).
#[derive(Clone, Debug)]
pub struct LegacyUser {
    pub id: UserId,
    pub name: String,
    pub email: String,
    /// The legacy bcrypt hash, stored as is.
    pub password_hash: String,
    pub gender: String,
    pub phone: String,
    pub role: Role,
    pub email_verified_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// What one import did to `users`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// Inserts or updates `users` in one transaction: all of them or none.
/// An email already used by another (non-legacy) account answers the
/// usual 409.
pub async fn import_users(db: &DatabaseConnection, users: &[LegacyUser]) -> Result<Outcome> {
    let txn = kit::db::begin_write(db).await?;
    let mut outcome = Outcome::default();
    for legacy in users {
        let existing = user::Entity::find_by_id(legacy.id).one(&txn).await?;
        let wanted = row(legacy, existing.as_ref());
        match existing {
            Some(stored) if stored == wanted => outcome.unchanged += 1,
            Some(_) => {
                wanted
                    .into_active_model()
                    .reset_all()
                    .update(&txn)
                    .await
                    .on_constraint("email", email_taken)?;
                outcome.updated += 1;
            }
            None => {
                user::Entity::insert(wanted.into_active_model().reset_all())
                    .exec(&txn)
                    .await
                    .on_constraint("email", email_taken)?;
                outcome.inserted += 1;
            }
        }
    }
    txn.commit().await?;
    Ok(outcome)
}

/// The row a legacy user stands for. What only QuickCare knows (an
/// upgraded hash, a picture, a disabled flag) stays as stored.
fn row(legacy: &LegacyUser, stored: Option<&user::Model>) -> user::Model {
    let password = match stored {
        Some(s) if !s.password.starts_with("$2") => s.password.clone(),
        _ => legacy.password_hash.clone(),
    };
    user::Model {
        id: legacy.id,
        name: legacy.name.clone(),
        email: legacy.email.clone(),
        password,
        gender: legacy.gender.clone(),
        phone: legacy.phone.clone(),
        user_type: legacy.role,
        email_verified_at: legacy.email_verified_at,
        img: stored.and_then(|s| s.img.clone()),
        remember_token: stored.and_then(|s| s.remember_token.clone()),
        disabled_at: stored.and_then(|s| s.disabled_at),
        created_at: legacy.created_at,
        updated_at: legacy.updated_at,
    }
}
