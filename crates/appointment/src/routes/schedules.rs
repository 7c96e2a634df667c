//! A doctor's slots over HTTP (the rules are in [`crate::schedules`]).

use axum::{extract::State, http::StatusCode};
use chrono::NaiveDate;
use kit::extract::{Path, Query};
use kit::{
    Error, Result,
    authz::{Authorized, DoctorsAndAdmins},
    ids::{DoctorId, ScheduleId},
    json::Json,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    actor::Actor,
    entity::schedule,
    schedules::{
        changes::{self, SlotChange},
        management::managed_doctor,
        shape::shape,
    },
    slots,
    state::AppState,
};

#[derive(Debug, Serialize, ToSchema)]
pub struct Schedule {
    pub id: i64,
    pub doctor_id: i64,
    /// Weekly rows: `Monday` … `Sunday`; null on one-off rows.
    pub day: Option<String>,
    /// One-off rows: the date; null on weekly rows.
    pub specific_date: Option<NaiveDate>,
    /// `HH:MM`, the doctor's wall clock.
    pub start: String,
    pub end: String,
}

impl From<schedule::Model> for Schedule {
    fn from(s: schedule::Model) -> Self {
        Self {
            id: s.id.0,
            doctor_id: s.doctor_id.0,
            day: s.day,
            specific_date: s.specific_date,
            start: slots::format_time(s.start),
            end: slots::format_time(s.end),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    pub doctor_id: i64,
}

#[utoipa::path(get, path = "/api/v1/schedules", tag = "schedules", params(ListQuery),
    responses((status = 200, body = [Schedule])))]
pub async fn list(State(state): State<AppState>, Query(q): Query<ListQuery>) -> Result<Json<Vec<Schedule>>> {
    let rows = schedule::Entity::find()
        .filter(schedule::Column::DoctorId.eq(DoctorId(q.doctor_id)))
        .order_by_asc(schedule::Column::SpecificDate)
        .order_by_asc(schedule::Column::Day)
        .order_by_asc(schedule::Column::Start)
        .all(&state.ctx.db)
        .await?;
    Ok(Json(rows.into_iter().map(Schedule::from).collect()))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SlotRequest {
    /// Admins name the doctor; doctors create their own slots.
    pub doctor_id: Option<i64>,
    pub day: Option<String>,
    pub specific_date: Option<NaiveDate>,
    pub start: Option<String>,
    pub end: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/schedules", tag = "schedules", request_body = SlotRequest,
    responses((status = 201, body = Schedule), (status = 403), (status = 409), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Authorized<DoctorsAndAdmins>,
    Json(req): Json<SlotRequest>,
) -> Result<(StatusCode, Json<Schedule>)> {
    let actor = Actor::resolve(&state.ctx, &caller).await?;
    let doctor_id = managed_doctor(&actor, req.doctor_id.map(DoctorId))?;
    let start = req.start.as_deref().ok_or_else(|| Error::invalid("start", "is required"))?;
    let slot = shape(req.day.as_deref(), req.specific_date, start, req.end.as_deref())?;
    // An admin may add a slot for a doctor created a moment ago.
    if crate::learn::doctor(&state.ctx, doctor_id).await?.is_none() {
        return Err(Error::invalid("doctor_id", "unknown doctor"));
    }
    let row = changes::create(&state.ctx.db, doctor_id, slot).await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

#[utoipa::path(patch, path = "/api/v1/schedules/{id}", tag = "schedules", request_body = SlotRequest,
    responses((status = 403), (status = 200, body = Schedule), (status = 404), (status = 409), (status = 422)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Authorized<DoctorsAndAdmins>,
    Path(id): Path<i64>,
    Json(req): Json<SlotRequest>,
) -> Result<Json<Schedule>> {
    let actor = Actor::resolve(&state.ctx, &caller).await?;
    let change =
        SlotChange { day: req.day, specific_date: req.specific_date, start: req.start, end: req.end };
    Ok(Json(changes::update(&state.ctx.db, &actor, ScheduleId(id), change).await?.into()))
}

#[utoipa::path(delete, path = "/api/v1/schedules/{id}", tag = "schedules",
    responses((status = 403), (status = 204), (status = 404), (status = 409)))]
pub async fn delete(
    State(state): State<AppState>,
    caller: Authorized<DoctorsAndAdmins>,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    let actor = Actor::resolve(&state.ctx, &caller).await?;
    changes::delete(&state.ctx.db, &actor, ScheduleId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
