//! Register, login, refresh, logout.

use axum::{extract::State, http::StatusCode, response::IntoResponse};
use chrono::NaiveDate;
use kit::{
    Result,
    accounts::{AddressInput, PersonInput},
    http::ClientIp,
    identity::{Role, Scope},
    json::{Json, ValidJson},
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

use crate::{
    accounts::{self, NewUser, ProfileSeed},
    entity::refresh_token,
    login, rotation,
    state::AppState,
    tokens::{self, Session},
};

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct RegisterRequest {
    #[serde(flatten)]
    #[validate(nested)]
    pub person: PersonInput,
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

#[utoipa::path(post, path = "/api/v1/auth/register", tag = "auth", request_body = RegisterRequest,
    responses((status = 201, body = Session), (status = 409, description = "email taken"), (status = 422, description = "invalid"),
        (status = 503, description = "too many password checks in progress; see Retry-After")))]
pub async fn register(
    State(state): State<AppState>,
    ValidJson(req): ValidJson<RegisterRequest>,
) -> Result<impl IntoResponse> {
    let address = req.address.to_event();
    let new = NewUser {
        name: &req.person.name,
        email: &req.person.email,
        password: &req.person.password,
        gender: &req.person.gender,
        phone: &req.person.phone,
        role: Role::Patient,
    };
    let seed = ProfileSeed {
        cin: Some(&req.cin),
        birth_date: Some(req.birth_date),
        address: Some(address),
        doctor: None,
    };
    let (_, session) = accounts::create_user(&state, new, seed).await?;
    Ok((StatusCode::CREATED, Json(session)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// Login; see [`login::log_in`] for the order of throttling, bounded
/// hashing and the database read.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = Session), (status = 401), (status = 429), (status = 503)))]
pub async fn login(
    State(state): State<AppState>,
    client: ClientIp,
    Json(req): Json<LoginRequest>,
) -> Result<Json<Session>> {
    Ok(Json(login::log_in(&state, &req.email, &req.password, client).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

/// Rotation: the answer's refresh token replaces the one sent, which is
/// used up. Sending a used token again revokes its whole family (every
/// session of that login) — except within 20 seconds of its rotation (a
/// reload during a refresh, two tabs refreshing at once), when it answers
/// again with the same successor pair.
#[utoipa::path(post, path = "/api/v1/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses((status = 200, body = Session,
            description = "the next pair; the same pair again for a token rotated in the last 20 s"),
        (status = 401, description = "unknown, expired or revoked token, or reuse after the 20 s window (the family is revoked)")))]
pub async fn refresh(
    State(state): State<AppState>,
    Json(req): Json<RefreshRequest>,
) -> Result<Json<Session>> {
    Ok(Json(rotation::rotate(&state, &req.refresh_token).await?))
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
