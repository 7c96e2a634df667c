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
//!
//! A platform account of its own (made on QuickCare, not imported) is
//! never written over, whether it has the legacy user's email or id:
//! [`clashes`] names those users so the importer leaves them (and what
//! hangs off them) out. Legacy pictures are judged and re-encoded as
//! an upload is ([`Picture`]) and stored like one ([`import_pictures`]).

use std::collections::HashMap;

use kit::{
    OnConstraint, Result,
    identity::Role,
    ids::UserId,
    import::{Counts, Watermarks},
    objects::Objects,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QuerySelect, prelude::DateTimeUtc, sea_query::Expr,
};

use crate::{
    accounts::email_taken,
    avatars,
    entity::user,
    picture::{self, Kind},
    routes::avatar::MAX_BYTES,
};

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
/// usual 409. This run's `marks` ([`kit::import::advance`]) are recorded
/// in the same transaction: the legacy rows count as absorbed here only
/// once these writes committed. (Pictures follow in [`import_pictures`];
/// should they fail, the run stops before any later service records its
/// marks, and the next run starts from those older ones, users included.)
pub async fn import_users(
    db: &DatabaseConnection,
    users: &[LegacyUser],
    marks: &Watermarks,
) -> Result<Outcome> {
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
    kit::import::advance(&txn, marks).await?;
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

/// Why a legacy user cannot be written: the platform has an account of
/// its own in the way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clash {
    /// Another account (another id) has the email.
    Email { holder: UserId },
    /// An account made on the platform holds the legacy id: writing over
    /// it would hand that account to the legacy user. (An account imported
    /// before has the legacy email or, if that changed since, its legacy
    /// `created_at`; one made on the platform has neither.)
    Id,
}

/// The legacy users the platform's own accounts are in the way of, with
/// why: the importer leaves them out, and what hangs off them.
pub async fn clashes(db: &DatabaseConnection, users: &[LegacyUser]) -> Result<Vec<(UserId, Clash)>> {
    let accounts: Vec<(UserId, String, DateTimeUtc)> = user::Entity::find()
        .select_only()
        .columns([user::Column::Id, user::Column::Email, user::Column::CreatedAt])
        .into_tuple()
        .all(db)
        .await?;
    let by_email: HashMap<String, UserId> =
        accounts.iter().map(|(id, email, _)| (email.to_lowercase(), *id)).collect();
    let by_id: HashMap<UserId, (&str, DateTimeUtc)> =
        accounts.iter().map(|(id, email, at)| (*id, (email.as_str(), *at))).collect();
    Ok(users
        .iter()
        .filter_map(|u| match (by_email.get(&u.email), by_id.get(&u.id)) {
            (Some(holder), _) if *holder != u.id => Some((u.id, Clash::Email { holder: *holder })),
            (_, Some((email, at))) if !email.eq_ignore_ascii_case(&u.email) && *at != u.created_at => {
                Some((u.id, Clash::Id))
            }
            _ => None,
        })
        .collect())
}

/// The largest picture an upload (and so an import) may bring.
pub const MAX_PICTURE_BYTES: usize = MAX_BYTES;

/// A profile picture that passed an upload's checks, re-encoded as an
/// upload is (no metadata, at most 512 px). Only [`Picture::check`] makes one.
#[derive(Clone, Debug)]
pub struct Picture {
    kind: Kind,
    bytes: Vec<u8>,
}

impl Picture {
    /// Judges a legacy file as `PUT /auth/me/avatar` judges a body; the
    /// error says why it is refused. CPU-bound: call it off the async workers.
    pub fn check(bytes: &[u8]) -> std::result::Result<Self, String> {
        if bytes.len() > MAX_BYTES {
            return Err("larger than 5 MB".to_owned());
        }
        let kind = picture::sniff(bytes).ok_or_else(|| picture::Rejected::NotAnImage.to_string())?;
        let bytes = picture::clean(bytes, kind).map_err(|rejected| rejected.to_string())?;
        Ok(Self { kind, bytes })
    }
}

/// A legacy user's `img`, checked.
#[derive(Clone, Debug)]
pub struct LegacyPicture {
    pub user_id: UserId,
    pub picture: Picture,
}

/// Stores each picture as the avatar of its (imported) user. An account
/// that has a picture already keeps it: imported before, or uploaded on
/// QuickCare since, which is newer than anything legacy. Only `img`
/// changes, so the account's legacy times stay and a re-run of
/// [`import_users`] finds it unchanged.
pub async fn import_pictures(
    db: &DatabaseConnection,
    objects: &Objects,
    pictures: &[LegacyPicture],
) -> Result<Counts> {
    let mut counts = Counts::default();
    for p in pictures {
        let Some(account) = user::Entity::find_by_id(p.user_id).one(db).await? else { continue };
        if account.img.is_some() {
            counts.unchanged += 1;
            continue;
        }
        let file = format!("{}-{}.{}", account.id, uuid::Uuid::new_v4().simple(), p.picture.kind.extension());
        objects
            .put(&avatars::key(&file), p.picture.bytes.clone().into())
            .await
            .map_err(anyhow::Error::from)?;
        user::Entity::update_many()
            .col_expr(user::Column::Img, Expr::value(file))
            .filter(user::Column::Id.eq(account.id))
            .filter(user::Column::Img.is_null())
            .exec(db)
            .await?;
        counts.written += 1;
    }
    Ok(counts)
}
