//! An account's life: created (the one way a `users` row comes to be —
//! registration, admin creation, the doctor saga, the admin CLI, demo
//! seeding), changed, disabled, closed. Each step announces itself
//! (`user.registered`, `user.updated`, `user.deleted`) in the same
//! transaction, and a step that ends sessions revokes their refresh tokens
//! and stops their access tokens.

use chrono::{NaiveDate, Utc};
use kit::{
    OnConstraint, Result,
    events::{self, catalog},
    identity::{AuthUser, Role, Scope},
    ids::UserId,
};
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, ModelTrait, Set};

use crate::{
    avatars,
    entity::{password_reset, user},
    password::Verdict,
    state::AppState,
    tokens::{self, Session},
};

/// The 409 of a second account with one email (the database's unique key
/// decides, not a check before the insert).
pub fn email_taken() -> kit::Error {
    kit::Error::conflict("an account with this email already exists")
}

/// What a new account brings beyond the `users` row, for the services
/// that build their profiles from `user.registered`.
#[derive(Default)]
pub struct ProfileSeed<'a> {
    pub cin: Option<&'a str>,
    pub birth_date: Option<NaiveDate>,
    pub address: Option<catalog::Address>,
    pub doctor: Option<catalog::DoctorProfileSeed>,
}

/// Creates a user and emits `user.registered` in the same transaction.
/// Shared by registration, admin creation, the admin CLI and demo seeding.
pub async fn create_user(
    state: &AppState,
    new: NewUser<'_>,
    seed: ProfileSeed<'_>,
) -> Result<(user::Model, Session)> {
    let ProfileSeed { cin, birth_date, address, doctor } = seed;
    let hash = state.hasher.hash(new.password).await?;
    let now = Utc::now();
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    let inserted = user::ActiveModel {
        name: Set(new.name.trim().to_owned()),
        email: Set(new.email.trim().to_lowercase()),
        password: Set(hash),
        gender: Set(new.gender.to_owned()),
        phone: Set(new.phone.to_owned()),
        user_type: Set(new.role),
        email_verified_at: Set(None),
        img: Set(None),
        remember_token: Set(None),
        disabled_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    // `users` has one unique key: SQLite names it `users.email`, MariaDB `'email'`.
    let u = inserted.on_constraint("email", email_taken)?;
    let payload = catalog::UserRegistered {
        user_id: u.id,
        name: u.name.clone(),
        email: u.email.clone(),
        role: new.role,
        gender: u.gender.clone(),
        phone: u.phone.clone(),
        cin_sealed: cin.map(|c| state.ctx.keyring.seal_str(c)),
        birth_date,
        address,
        doctor,
    };
    events::publish(
        &txn,
        "auth",
        catalog::EventType::UserRegistered,
        Some(format!("user/{}", u.id)),
        &payload,
    )
    .await?;
    let session = tokens::issue(state, &txn, &u, None).await?;
    txn.commit().await?;
    Ok((u, session))
}

/// The `users` row of a new account, as typed (trimmed and lowercased here).
pub struct NewUser<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub password: &'a str,
    pub gender: &'a str,
    pub phone: &'a str,
    pub role: Role,
}

/// The caller's row; a token for a deleted user is as good as none.
pub async fn load(state: &AppState, caller: &AuthUser) -> Result<user::Model> {
    user::Entity::find_by_id(caller.user_id)
        .one(&state.ctx.db)
        .await?
        .ok_or_else(|| kit::Error::unauthorized("account no longer exists"))
}

/// `user.updated` for `u` as it is now.
pub fn updated_event(u: &user::Model) -> catalog::UserUpdated {
    catalog::UserUpdated {
        user_id: u.id,
        name: u.name.clone(),
        email: u.email.clone(),
        gender: u.gender.clone(),
        phone: u.phone.clone(),
        disabled: u.disabled_at.is_some(),
    }
}

/// What a person may change about their own account; `None` keeps it.
pub struct Details {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub gender: Option<String>,
}

/// Changes the caller's own details and announces them (`user.updated`).
pub async fn change_details(state: &AppState, caller: &AuthUser, details: Details) -> Result<user::Model> {
    let u = load(state, caller).await?;
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    let mut active = u.into_active_model();
    if let Some(name) = details.name {
        active.name = Set(name.trim().to_owned());
    }
    if let Some(phone) = details.phone {
        active.phone = Set(phone);
    }
    if let Some(gender) = details.gender {
        active.gender = Set(gender);
    }
    active.updated_at = Set(Utc::now());
    let u = active.update(&txn).await?;
    events::publish(
        &txn,
        "auth",
        catalog::EventType::UserUpdated,
        Some(format!("user/{}", u.id)),
        &updated_event(&u),
    )
    .await?;
    txn.commit().await?;
    Ok(u)
}

/// Disables (every session ends) or enables account `id`, by admin
/// `caller_id`, who cannot disable themself.
pub async fn set_disabled(state: &AppState, caller_id: UserId, id: UserId, disabled: bool) -> Result<()> {
    if disabled && id == caller_id {
        return Err(kit::Error::conflict("admins cannot disable their own account"));
    }
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    let u = user::Entity::find_by_id(id).one(&txn).await?.ok_or(kit::Error::NotFound)?;
    let mut active = u.into_active_model();
    active.disabled_at = Set(disabled.then(Utc::now));
    active.updated_at = Set(Utc::now());
    let u = active.update(&txn).await?;
    if disabled {
        tokens::revoke_user(&txn, id, None).await?;
    }
    events::publish(
        &txn,
        "auth",
        catalog::EventType::UserUpdated,
        Some(format!("user/{id}")),
        &updated_event(&u),
    )
    .await?;
    txn.commit().await?;
    if disabled {
        tokens::stop_access(state, id, Scope::All).await;
    }
    Ok(())
}

/// Changes the caller's password, given the current one; every other
/// session of the account ends, the caller's own stays.
pub async fn change_password(state: &AppState, caller: &AuthUser, current: &str, new: &str) -> Result<()> {
    let u = load(state, caller).await?;
    if state.hasher.verify(current, &u.password).await? == Verdict::Wrong {
        return Err(kit::Error::invalid("current_password", "is not your current password"));
    }
    let hash = state.hasher.hash(new).await?;
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    let mut active = u.into_active_model();
    active.password = Set(hash);
    active.updated_at = Set(Utc::now());
    active.update(&txn).await?;
    tokens::revoke_user(&txn, caller.user_id, caller.sid.as_deref()).await?;
    txn.commit().await?;
    let scope = caller.sid.clone().map_or(Scope::All, Scope::AllBut);
    tokens::stop_access(state, caller.user_id, scope).await;
    Ok(())
}

/// Closes the caller's account, given its password: sessions, reset link
/// and row go, `user.deleted` tells the other services, then the avatar.
pub async fn close(state: &AppState, caller: &AuthUser, password: &str) -> Result<()> {
    let u = load(state, caller).await?;
    if state.hasher.verify(password, &u.password).await? == Verdict::Wrong {
        return Err(kit::Error::invalid("password", "is not your password"));
    }
    let role = u.user_type;
    let avatar = u.img.clone();
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    tokens::revoke_user(&txn, u.id, None).await?;
    password_reset::Entity::delete_by_id(u.email.clone()).exec(&txn).await?;
    let id = u.id;
    u.delete(&txn).await?;
    let payload = catalog::UserDeleted { user_id: id, role };
    events::publish(&txn, "auth", catalog::EventType::UserDeleted, Some(format!("user/{id}")), &payload)
        .await?;
    txn.commit().await?;
    tokens::stop_access(state, id, Scope::All).await;
    if let Some(file) = avatar {
        avatars::remove(state, &file).await;
    }
    Ok(())
}
