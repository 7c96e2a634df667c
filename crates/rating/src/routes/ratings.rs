//! Writing ratings: a patient's submission (first, or replacing their
//! earlier one), their edits, and deletion by the author or an admin (the
//! rules are in [`crate::authoring`]).

use axum::{extract::State, http::StatusCode};
use kit::Result;
use kit::extract::Path;
use kit::{
    authz::{Authorized, Patients},
    identity::AuthUser,
    ids::{DoctorId, RatingId},
    json::{Json, ValidJson},
};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::{
    authoring::{self, Content, Submitted},
    eligibility,
    routes::view::OwnRating,
    state::AppState,
};

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct SubmitBody {
    #[validate(range(min = 1, message = "must be a doctor id"))]
    pub doctor_id: i64,
    #[validate(range(min = 1, max = 5, message = "must be a whole number from 1 to 5"))]
    pub rating: i32,
    #[validate(length(max = 2000, message = "must be at most 2000 characters"))]
    pub comment: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct EditBody {
    #[validate(range(min = 1, max = 5, message = "must be a whole number from 1 to 5"))]
    pub rating: i32,
    #[validate(length(max = 2000, message = "must be at most 2000 characters"))]
    pub comment: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/ratings", tag = "ratings", request_body = SubmitBody,
    responses((status = 201, body = OwnRating, description = "first rating of this doctor"),
        (status = 200, body = OwnRating, description = "replaced the caller's earlier rating"),
        (status = 403, description = "no completed, or approved and past, appointment with the doctor"),
        (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Authorized<Patients>,
    ValidJson(req): ValidJson<SubmitBody>,
) -> Result<(StatusCode, Json<OwnRating>)> {
    let patient =
        crate::learn::patient_of(&state.ctx, &caller).await?.ok_or_else(eligibility::not_eligible)?;
    if !crate::learn::may_rate(&state.ctx, patient.patient_id, DoctorId(req.doctor_id)).await? {
        return Err(eligibility::not_eligible());
    }
    let content = Content::judge(&state.blocked, req.rating, req.comment);
    let (code, row) =
        match authoring::submit(&state.ctx.db, patient.patient_id, DoctorId(req.doctor_id), content).await? {
            Submitted::First(row) => (StatusCode::CREATED, row),
            Submitted::Replaced(row) => (StatusCode::OK, row),
        };
    Ok((code, Json(row.into())))
}

#[utoipa::path(put, path = "/api/v1/ratings/{id}", tag = "ratings", request_body = EditBody,
    responses((status = 200, body = OwnRating), (status = 404, description = "unknown or not the caller's"),
        (status = 422)))]
pub async fn update(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<i64>,
    ValidJson(req): ValidJson<EditBody>,
) -> Result<Json<OwnRating>> {
    let content = Content::judge(&state.blocked, req.rating, req.comment);
    Ok(Json(authoring::edit(&state.ctx.db, &caller, RatingId(id), content).await?.into()))
}

#[utoipa::path(delete, path = "/api/v1/ratings/{id}", tag = "ratings",
    responses((status = 204), (status = 404, description = "unknown, or neither the caller's nor an admin's")))]
pub async fn delete(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    authoring::delete(&state.ctx.db, &caller, RatingId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
