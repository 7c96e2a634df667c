//! Listing ratings: a doctor's published ones for anyone, or a patient's
//! own whatever their status.

use axum::extract::State;
use kit::extract::Query;
use kit::{Error, Result};
use kit::{
    Problem,
    identity::{AuthUser, MaybeAuthUser, Role},
    ids::DoctorId,
    json::Json,
    pagination::{Page, PageParams},
};
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;

use crate::{
    eligibility, listing,
    routes::view::{OwnRating, PublicRating},
    state::AppState,
};

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    /// Only this doctor's ratings.
    pub doctor_id: Option<i64>,
    /// `true` (patients): the caller's own ratings, any status.
    pub mine: Option<bool>,
    /// 1-based; `page × per_page` at most 10,000,000, else 422.
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// The public page, or the author's own (with statuses).
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Listing {
    Public(Page<PublicRating>),
    Own(Page<OwnRating>),
}

#[utoipa::path(get, path = "/api/v1/ratings", tag = "ratings", params(ListQuery),
    responses((status = 200, body = inline(Page<PublicRating>),
        description = "published ratings; with `mine=true`, the caller's own with their `status`"),
        (status = 401, description = "`mine=true` without a token"),
        (status = 403, description = "`mine=true` by someone who is not a patient")))]
pub async fn list(
    State(state): State<AppState>,
    MaybeAuthUser(caller): MaybeAuthUser,
    Query(q): Query<ListQuery>,
) -> Result<Json<Listing>> {
    let db = &state.ctx.db;
    let paging = PageParams { page: q.page, per_page: q.per_page }.check()?;
    if q.mine != Some(true) {
        return Ok(Json(Listing::Public(
            listing::published(db, q.doctor_id.map(DoctorId), paging).await?.map(PublicRating::from),
        )));
    }
    let caller: AuthUser = caller.ok_or_else(|| Problem::unauthorized("`mine=true` needs a bearer token"))?;
    if !caller.is(Role::Patient) {
        return Err(Error::forbidden("only patients have ratings of their own"));
    }
    let patient_id = eligibility::patient_of(db, &caller).await?.map(|p| p.patient_id);
    Ok(Json(Listing::Own(
        listing::own(db, patient_id, q.doctor_id.map(DoctorId), paging).await?.map(OwnRating::from),
    )))
}
