//! Free slots over HTTP (computed by [`crate::availability`]).

use axum::extract::State;
use chrono::NaiveDate;
use kit::extract::Query;
use kit::{
    Error, Result,
    ids::{DoctorId, SpecialtyId},
    json::Json,
};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::{
    availability::{self, FreeSlot},
    state::AppState,
};

#[derive(Debug, Deserialize, IntoParams)]
pub struct AvailabilityQuery {
    pub doctor_id: Option<i64>,
    pub specialty_id: Option<i64>,
    /// One day.
    pub date: Option<NaiveDate>,
    /// A range, both ends included, at most 31 days.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

#[utoipa::path(get, path = "/api/v1/availability", tag = "schedules", params(AvailabilityQuery),
    responses((status = 200, body = [FreeSlot]), (status = 404), (status = 422)))]
pub async fn get(
    State(state): State<AppState>,
    Query(q): Query<AvailabilityQuery>,
) -> Result<Json<Vec<FreeSlot>>> {
    let (from, to) = availability::dates(q.date, q.from, q.to)?;
    let db = &state.ctx.db;
    let doctors = match (q.doctor_id, q.specialty_id) {
        (Some(id), _) => vec![crate::learn::doctor(&state.ctx, DoctorId(id)).await?.ok_or(Error::NotFound)?],
        (None, Some(specialty)) => {
            if from != to {
                return Err(Error::invalid("date", "by specialty, ask for one date"));
            }
            availability::doctors_of_specialty(db, SpecialtyId(specialty)).await?
        }
        (None, None) => return Err(Error::invalid("doctor_id", "give doctor_id or specialty_id")),
    };
    Ok(Json(availability::free_slots(db, &doctors, from, to).await?))
}
