//! The caller's own account.

use axum::{extract::State, http::StatusCode};
use chrono::Utc;
use kit::{
    Result,
    events::{self, catalog},
    identity::{AuthUser, Scope},
    json::{Json, ValidJson},
};
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, ModelTrait, Set};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::{
    entity::{password_reset, user},
    password::Verdict,
    state::AppState,
    tokens,
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
            id: u.id,
            name: u.name,
            email: u.email,
            role: u.user_type,
            gender: u.gender,
            phone: u.phone,
            created_at: u.created_at,
        }
    }
}

/// The caller's row; a token for a deleted user is as good as none.
pub(crate) async fn load(state: &AppState, caller: &AuthUser) -> Result<user::Model> {
    user::Entity::find_by_id(caller.user_id)
        .one(&state.ctx.db)
        .await?
        .ok_or_else(|| kit::Error::unauthorized("account no longer exists"))
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

pub(crate) fn updated_event(u: &user::Model) -> catalog::UserUpdated {
    catalog::UserUpdated {
        user_id: u.id,
        name: u.name.clone(),
        email: u.email.clone(),
        gender: u.gender.clone(),
        phone: u.phone.clone(),
        disabled: u.disabled_at.is_some(),
    }
}

#[utoipa::path(patch, path = "/api/v1/auth/me", tag = "auth", request_body = PatchMe, responses((status = 200, body = Me)))]
pub async fn patch(
    State(state): State<AppState>,
    caller: AuthUser,
    ValidJson(req): ValidJson<PatchMe>,
) -> Result<Json<Me>> {
    let u = load(&state, &caller).await?;
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    let mut active = u.into_active_model();
    if let Some(name) = req.name {
        active.name = Set(name.trim().to_owned());
    }
    if let Some(phone) = req.phone {
        active.phone = Set(phone);
    }
    if let Some(gender) = req.gender {
        active.gender = Set(gender);
    }
    active.updated_at = Set(Utc::now());
    let u = active.update(&txn).await?;
    events::publish(&txn, "auth", catalog::USER_UPDATED, Some(format!("user/{}", u.id)), &updated_event(&u))
        .await?;
    txn.commit().await?;
    Ok(Json(u.into()))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct ChangePassword {
    pub current_password: String,
    #[validate(length(min = 8, max = 128, message = "must be 8 to 128 characters"))]
    pub new_password: String,
}

#[utoipa::path(put, path = "/api/v1/auth/me/password", tag = "auth", request_body = ChangePassword,
    responses((status = 204), (status = 422, description = "current password wrong or new one too weak")))]
pub async fn change_password(
    State(state): State<AppState>,
    caller: AuthUser,
    ValidJson(req): ValidJson<ChangePassword>,
) -> Result<StatusCode> {
    let u = load(&state, &caller).await?;
    if state.hasher.verify(&req.current_password, &u.password).await? == Verdict::Wrong {
        return Err(kit::Error::invalid("current_password", "is not your current password"));
    }
    let hash = state.hasher.hash(&req.new_password).await?;
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    let mut active = u.into_active_model();
    active.password = Set(hash);
    active.updated_at = Set(Utc::now());
    active.update(&txn).await?;
    tokens::revoke_user(&txn, caller.user_id, caller.sid.as_deref()).await?;
    txn.commit().await?;
    let scope = caller.sid.clone().map_or(Scope::All, Scope::AllBut);
    tokens::stop_access(&state, caller.user_id, scope).await;
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
    let u = load(&state, &caller).await?;
    if state.hasher.verify(&req.password, &u.password).await? == Verdict::Wrong {
        return Err(kit::Error::invalid("password", "is not your password"));
    }
    let role = tokens::role_of(&u)?;
    let avatar = u.img.clone();
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    tokens::revoke_user(&txn, u.id, None).await?;
    password_reset::Entity::delete_by_id(u.email.clone()).exec(&txn).await?;
    let id = u.id;
    u.delete(&txn).await?;
    let payload = catalog::UserDeleted { user_id: id, role };
    events::publish(&txn, "auth", catalog::USER_DELETED, Some(format!("user/{id}")), &payload).await?;
    txn.commit().await?;
    tokens::stop_access(&state, id, Scope::All).await;
    if let Some(file) = avatar {
        crate::routes::avatar::remove(&state, &file).await;
    }
    Ok(StatusCode::NO_CONTENT)
}
