//! A doctor's rating summary, and ratings per month for charts. Both
//! count published ratings only.

use axum::extract::State;
use chrono::NaiveDate;
use kit::extract::Query;
use kit::{Error, Result};
use kit::{
    identity::{MaybeAuthUser, Role},
    ids::DoctorId,
    json::Json,
};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::{
    analytics::{self, MonthStat},
    state::AppState,
    summaries::{self, Summary},
};

#[derive(Debug, Deserialize, IntoParams)]
pub struct SummaryQuery {
    /// Required.
    pub doctor_id: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/ratings/summary", tag = "ratings", params(SummaryQuery),
    responses((status = 200, body = Summary), (status = 422, description = "doctor_id missing")))]
pub async fn summary(State(state): State<AppState>, Query(q): Query<SummaryQuery>) -> Result<Json<Summary>> {
    let doctor_id = q.doctor_id.ok_or_else(|| Error::invalid("doctor_id", "is required"))?;
    Ok(Json(summaries::compute(&state.ctx.db, DoctorId(doctor_id)).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct AnalyticsQuery {
    /// Required unless the caller is an admin (then: all doctors).
    pub doctor_id: Option<i64>,
    /// First day counted (`YYYY-MM-DD`, UTC).
    pub from: Option<NaiveDate>,
    /// Last day counted (`YYYY-MM-DD`, UTC).
    pub to: Option<NaiveDate>,
}

#[utoipa::path(get, path = "/api/v1/ratings/analytics", tag = "ratings", params(AnalyticsQuery),
    responses((status = 200, body = Vec<MonthStat>,
        description = "published ratings per month of creation, every month from the first to the last present"),
        (status = 422, description = "doctor_id missing (non-admin), or from after to")))]
pub async fn analytics(
    State(state): State<AppState>,
    MaybeAuthUser(caller): MaybeAuthUser,
    Query(q): Query<AnalyticsQuery>,
) -> Result<Json<Vec<MonthStat>>> {
    let admin = caller.as_ref().is_some_and(|c| c.is(Role::Admin));
    if q.doctor_id.is_none() && !admin {
        return Err(Error::invalid("doctor_id", "is required (only admins may ask for all doctors)"));
    }
    if let (Some(from), Some(to)) = (q.from, q.to)
        && from > to
    {
        return Err(Error::invalid("to", "must not be before from"));
    }
    Ok(Json(analytics::monthly(&state.ctx.db, q.doctor_id.map(DoctorId), q.from, q.to).await?))
}
