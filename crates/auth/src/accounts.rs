//! Creating accounts: the one way a `users` row comes to be (registration,
//! admin creation, the doctor saga, the admin CLI, demo seeding), so every
//! account announces itself with `user.registered` in the same transaction.

use chrono::{NaiveDate, Utc};
use kit::{
    OnConstraint, Result,
    events::{self, catalog},
    identity::Role,
};
use sea_orm::{ActiveModelTrait, Set};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::{
    entity::user,
    state::AppState,
    tokens::{self, Session},
};

/// The 409 of a second account with one email (the database's unique key
/// decides, not a check before the insert).
pub fn email_taken() -> kit::Error {
    kit::Error::conflict("an account with this email already exists")
}

/// A street address as a person types it (registration, staff accounts).
#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct AddressInput {
    #[validate(length(min = 1, max = 255, message = "is required (at most 255 characters)"))]
    pub street: String,
    #[validate(length(min = 1, max = 255, message = "is required (at most 255 characters)"))]
    pub city: String,
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
        user_type: Set(new.role.as_str().to_owned()),
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
    events::publish(&txn, "auth", catalog::USER_REGISTERED, Some(format!("user/{}", u.id)), &payload).await?;
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
