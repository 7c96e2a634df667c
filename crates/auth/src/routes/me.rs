//! The caller's own account.

use axum::{extract::State, http::StatusCode};
use chrono::Utc;
use kit::{
    Result,
    identity::AuthUser,
    json::{Json, ValidJson},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::{
    accounts::{self, load},
    entity::user,
    state::AppState,
};

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: String,
    pub gender: String,
    pub phone: String,
    pub img_url: Option<String>,
    pub created_at: chrono::DateTime<Utc>,
}

impl From<user::Model> for Me {
    fn from(u: user::Model) -> Self {
        Self {
            img_url: u.img.as_deref().map(|f| format!("/api/v1/auth/avatars/{f}")),
            id: u.id.0,
            name: u.name,
            email: u.email,
            role: u.user_type.as_str().to_owned(),
            gender: u.gender,
            phone: u.phone,
            created_at: u.created_at,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth", responses((status = 200, body = Me), (status = 401)))]
pub async fn get(State(state): State<AppState>, caller: AuthUser) -> Result<Json<Me>> {
    Ok(Json(load(&state, &caller).await?.into()))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct PatchMe {
    #[validate(length(min = 1, max = 255, message = "must be 1 to 255 characters"))]
    pub name: Option<String>,
    #[validate(custom(function = "kit::validate::phone"))]
    pub phone: Option<String>,
    #[validate(custom(function = "kit::validate::gender"))]
    pub gender: Option<String>,
}

#[utoipa::path(patch, path = "/api/v1/auth/me", tag = "auth", request_body = PatchMe, responses((status = 200, body = Me)))]
pub async fn patch(
    State(state): State<AppState>,
    caller: AuthUser,
    ValidJson(req): ValidJson<PatchMe>,
) -> Result<Json<Me>> {
    let details = accounts::Details { name: req.name, phone: req.phone, gender: req.gender };
    Ok(Json(accounts::change_details(&state, &caller, details).await?.into()))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct ChangePassword {
    pub current_password: String,
    #[validate(custom(function = "kit::validate::password"))]
    pub new_password: String,
}

#[utoipa::path(put, path = "/api/v1/auth/me/password", tag = "auth", request_body = ChangePassword,
    responses((status = 204), (status = 422, description = "current password wrong or new one too weak")))]
pub async fn change_password(
    State(state): State<AppState>,
    caller: AuthUser,
    ValidJson(req): ValidJson<ChangePassword>,
) -> Result<StatusCode> {
    accounts::change_password(&state, &caller, &req.current_password, &req.new_password).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DeleteMe {
    pub password: String,
}

#[utoipa::path(delete, path = "/api/v1/auth/me", tag = "auth", request_body = DeleteMe,
    responses((status = 204), (status = 422, description = "password wrong")))]
pub async fn delete(
    State(state): State<AppState>,
    caller: AuthUser,
    Json(req): Json<DeleteMe>,
) -> Result<StatusCode> {
    accounts::close(&state, &caller, &req.password).await?;
    Ok(StatusCode::NO_CONTENT)
}
