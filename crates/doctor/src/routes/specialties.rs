//! Specialties: listed publicly with how many active doctors practise
//! each; created, renamed and deleted by admins (the rules are in
//! [`crate::specialties`]).

use axum::{extract::State, http::StatusCode};
use kit::Result;
use kit::extract::Path;
use kit::{
    authz::{Admins, Authorized},
    ids::SpecialtyId,
    json::{Json, ValidJson},
};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::{
    specialties::{self, Specialty},
    state::AppState,
};

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct SpecialtyBody {
    #[validate(custom(function = "valid_name"))]
    pub name: String,
}

fn valid_name(name: &str) -> std::result::Result<(), validator::ValidationError> {
    let len = name.trim().chars().count();
    if (1..=100).contains(&len) {
        Ok(())
    } else {
        Err(validator::ValidationError::new("length").with_message("must be 1 to 100 characters".into()))
    }
}

#[utoipa::path(get, path = "/api/v1/specialties", tag = "doctors",
    responses((status = 200, body = Vec<Specialty>)))]
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<Specialty>>> {
    Ok(Json(specialties::list(&state.ctx.db).await?))
}

#[utoipa::path(post, path = "/api/v1/specialties", tag = "doctors", request_body = SpecialtyBody,
    responses((status = 201, body = Specialty), (status = 403), (status = 409, description = "duplicate name"), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    _: Authorized<Admins>,
    ValidJson(req): ValidJson<SpecialtyBody>,
) -> Result<(StatusCode, Json<Specialty>)> {
    Ok((StatusCode::CREATED, Json(specialties::create(&state.ctx.db, &req.name).await?)))
}

#[utoipa::path(patch, path = "/api/v1/specialties/{id}", tag = "doctors", params(("id" = i64, Path)),
    request_body = SpecialtyBody,
    responses((status = 200, body = Specialty), (status = 403), (status = 404), (status = 409, description = "duplicate name"), (status = 422)))]
pub async fn update(
    State(state): State<AppState>,
    _: Authorized<Admins>,
    Path(id): Path<i64>,
    ValidJson(req): ValidJson<SpecialtyBody>,
) -> Result<Json<Specialty>> {
    Ok(Json(specialties::rename(&state.ctx.db, SpecialtyId(id), &req.name).await?))
}

#[utoipa::path(delete, path = "/api/v1/specialties/{id}", tag = "doctors", params(("id" = i64, Path)),
    responses((status = 204), (status = 403), (status = 404), (status = 409, description = "doctors still practise it")))]
pub async fn delete(
    State(state): State<AppState>,
    _: Authorized<Admins>,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    specialties::delete(&state.ctx.db, SpecialtyId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
