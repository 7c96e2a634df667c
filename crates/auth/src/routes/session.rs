//! Register, login, refresh, logout.

use axum::{extract::State, http::StatusCode, response::IntoResponse};
use chrono::{NaiveDate, Utc};
use kit::{
    events::{self, catalog},
    http::ClientIp,
    identity::{Role, Scope},
    json::{Json, ValidJson},
};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

use crate::{
    entity::{refresh_token, user},
    error::{AuthError, Result},
    password::{self, Verdict},
    state::AppState,
    throttle::LoginThrottle,
    tokens::{self, Session},
};

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct AddressInput {
    #[validate(custom(function = "kit::validate::required"))]
    pub street: String,
    #[validate(custom(function = "kit::validate::required"))]
    pub city: String,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct RegisterRequest {
    #[validate(custom(function = "kit::validate::required"))]
    pub name: String,
    #[validate(email(message = "is not an email address"), length(max = 255))]
    pub email: String,
    #[validate(custom(function = "kit::validate::password"))]
    pub password: String,
    #[validate(custom(function = "kit::validate::gender"))]
    pub gender: String,
    #[validate(custom(function = "kit::validate::phone"))]
    pub phone: String,
    #[validate(custom(function = "validate_cin"))]
    pub cin: String,
    #[validate(custom(function = "kit::validate::birth_date"))]
    pub birth_date: NaiveDate,
    #[validate(nested)]
    pub address: AddressInput,
}

fn validate_cin(c: &str) -> Result<(), ValidationError> {
    if (3..=20).contains(&c.len()) && c.chars().all(|ch| ch.is_ascii_alphanumeric()) {
        Ok(())
    } else {
        Err(message("must be 3 to 20 letters or digits"))
    }
}

fn message(m: &'static str) -> ValidationError {
    ValidationError::new("invalid").with_message(m.into())
}

/// What a new account brings beyond the `users` row, for the services
/// that build their profiles from `user.registered`.
#[derive(Default)]
pub(crate) struct ProfileSeed<'a> {
    pub cin: Option<&'a str>,
    pub birth_date: Option<NaiveDate>,
    pub address: Option<catalog::Address>,
    pub doctor: Option<catalog::DoctorProfileSeed>,
}

/// Creates a user and emits `user.registered` in the same transaction.
/// Shared by registration, admin creation, the admin CLI and demo seeding.
pub(crate) async fn create_user(
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
    let u = match inserted {
        Ok(u) => u,
        Err(e) if kit::db::is_unique_violation(&e) => return Err(AuthError::EmailTaken),
        Err(e) => return Err(e.into()),
    };
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

pub(crate) struct NewUser<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub password: &'a str,
    pub gender: &'a str,
    pub phone: &'a str,
    pub role: Role,
}

#[utoipa::path(post, path = "/api/v1/auth/register", tag = "auth", request_body = RegisterRequest,
    responses((status = 201, body = Session), (status = 409, description = "email taken"), (status = 422, description = "invalid"),
        (status = 503, description = "too many password checks in progress; see Retry-After")))]
pub async fn register(
    State(state): State<AppState>,
    ValidJson(req): ValidJson<RegisterRequest>,
) -> Result<impl IntoResponse> {
    let address =
        catalog::Address { street: req.address.street.trim().into(), city: req.address.city.trim().into() };
    let new = NewUser {
        name: &req.name,
        email: &req.email,
        password: &req.password,
        gender: &req.gender,
        phone: &req.phone,
        role: Role::Patient,
    };
    let seed = ProfileSeed {
        cin: Some(&req.cin),
        birth_date: Some(req.birth_date),
        address: Some(address),
        doctor: None,
    };
    let (_, session) = create_user(&state, new, seed).await?;
    Ok((StatusCode::CREATED, Json(session)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// Login. The attempt is counted against the throttles (see
/// `crate::throttle`) before anything else, so a throttled attempt answers
/// 429 with `Retry-After` without a database read or a hash — even with the
/// right password. Then it takes a place for its password check (see
/// `crate::password`), or answers 503 with `Retry-After`, still before the
/// database read. Unknown emails cost a dummy verification, so timing does
/// not reveal which accounts exist.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = Session), (status = 401), (status = 429), (status = 503)))]
pub async fn login(
    State(state): State<AppState>,
    client: ClientIp,
    Json(req): Json<LoginRequest>,
) -> Result<Json<Session>> {
    let email = req.email.trim().to_lowercase();
    let throttle = LoginThrottle::new(&state.ctx, &email, client);
    throttle.admit().await?;
    let place = state.hasher.reserve(client.0)?;
    let found = user::Entity::find().filter(user::Column::Email.eq(&email)).one(&state.ctx.db).await?;
    let stored = found.as_ref().map(|u| u.password.as_str()).unwrap_or(password::dummy_hash());
    let verdict = place.verify(&req.password, stored).await?;
    let (u, verdict) = match (found, verdict) {
        (Some(u), Verdict::Right | Verdict::RightButRehash) => (u, verdict),
        _ => return Err(AuthError::InvalidCredentials),
    };
    if u.disabled_at.is_some() {
        return Err(AuthError::Disabled);
    }
    throttle.succeeded().await;
    let u = if verdict == Verdict::RightButRehash {
        let mut active = u.into_active_model();
        active.password = Set(state.hasher.hash(&req.password).await?);
        active.update(&state.ctx.db).await?
    } else {
        u
    };
    Ok(Json(tokens::issue(&state, &state.ctx.db, &u, None).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

#[utoipa::path(post, path = "/api/v1/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses((status = 200, body = Session), (status = 401)))]
pub async fn refresh(
    State(state): State<AppState>,
    Json(req): Json<RefreshRequest>,
) -> Result<Json<Session>> {
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    let row = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(tokens::digest(&req.refresh_token)))
        .one(&txn)
        .await?
        .ok_or(AuthError::InvalidRefresh)?;
    if row.revoked_at.is_some() || row.expires_at < Utc::now() {
        return Err(AuthError::InvalidRefresh);
    }
    // Mark used only if still unused: of two racing refreshes, one wins.
    let claimed = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, sea_orm::sea_query::Expr::value(Utc::now()))
        .filter(refresh_token::Column::Id.eq(row.id))
        .filter(refresh_token::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if claimed.rows_affected == 0 {
        // Reuse of a rotated token: the family is compromised.
        tokens::revoke_family(&txn, &row.family_id).await?;
        txn.commit().await?;
        tokens::stop_access(&state, row.user_id, Scope::Session(row.family_id)).await;
        tracing::warn!(user_id = row.user_id, "refresh token reuse: family revoked");
        return Err(AuthError::InvalidRefresh);
    }
    let u = user::Entity::find_by_id(row.user_id).one(&txn).await?.ok_or(AuthError::InvalidRefresh)?;
    if u.disabled_at.is_some() {
        return Err(AuthError::InvalidRefresh);
    }
    let session = tokens::issue(&state, &txn, &u, Some(row.family_id)).await?;
    txn.commit().await?;
    Ok(Json(session))
}

#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", request_body = RefreshRequest,
    responses((status = 204)))]
pub async fn logout(
    State(state): State<AppState>,
    user: kit::identity::AuthUser,
    Json(req): Json<RefreshRequest>,
) -> Result<StatusCode> {
    let row = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(tokens::digest(&req.refresh_token)))
        .one(&state.ctx.db)
        .await?;
    // Only the caller's own sessions; someone else's token is ignored.
    if let Some(row) = row.filter(|r| r.user_id == user.user_id) {
        tokens::revoke_family(&state.ctx.db, &row.family_id).await?;
        tokens::stop_access(&state, row.user_id, Scope::Session(row.family_id)).await;
    }
    Ok(StatusCode::NO_CONTENT)
}
