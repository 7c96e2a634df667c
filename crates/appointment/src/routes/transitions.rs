//! The status machine's routes (the table is in [`crate::lifecycle`]):
//! each loads what the caller may see, checks the role, and asks the
//! lifecycle to make the move.

use axum::extract::State;
use chrono::{NaiveDate, Utc};
use kit::extract::Path;
use kit::{
    Error, Result,
    authz::{Authorized, Doctors},
    events::catalog::EventType,
    identity::AuthUser,
    ids::{AppointmentId, ScheduleId},
    json::{Json, ValidJson},
};
use sea_orm::{EntityTrait, sea_query::Expr};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::{
    actor::{self, Actor},
    entity::{appointment, doctor},
    lifecycle::{
        deadline::check_deadline,
        moves::{advance_and_announce, to_status},
        permissions::{its_doctor_only, may_approve},
        reschedule::{self, Target},
        visits,
    },
    routes::appointments::Appointment,
    state::AppState,
    status::{ACTIVE, Status},
};

async fn load(state: &AppState, caller: &AuthUser, id: AppointmentId) -> Result<(Actor, appointment::Model)> {
    let actor = Actor::resolve(&state.ctx, caller).await?;
    let a = actor::visible(&state.ctx.db, &actor, id).await?;
    Ok((actor, a))
}

fn deadline_minutes(state: &AppState) -> i64 {
    state.ctx.settings.cancellation_deadline_minutes
}

#[utoipa::path(post, path = "/api/v1/appointments/{id}/approve", tag = "appointments",
    responses((status = 200, body = Appointment), (status = 403), (status = 404), (status = 409)))]
pub async fn approve(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<Appointment>> {
    let id = AppointmentId(id);
    let (actor, a) = load(&state, &caller, id).await?;
    may_approve(&actor, &a)?;
    let sets = to_status(Status::Approved);
    let row =
        advance_and_announce(&state.ctx.db, id, &[Status::Pending], sets, EventType::AppointmentApproved)
            .await?;
    Ok(Json(row.into()))
}

#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
pub struct CancelRequest {
    #[validate(length(max = 255, message = "at most 255 characters"))]
    pub reason: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/appointments/{id}/cancel", tag = "appointments", request_body = CancelRequest,
    responses((status = 200, body = Appointment), (status = 404), (status = 409)))]
pub async fn cancel(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<i64>,
    body: Option<ValidJson<CancelRequest>>,
) -> Result<Json<Appointment>> {
    let id = AppointmentId(id);
    let (actor, a) = load(&state, &caller, id).await?;
    check_deadline(&actor, &a, deadline_minutes(&state), Utc::now())?;
    let reason = body.and_then(|ValidJson(b)| b.reason);
    let mut sets = to_status(Status::Cancelled);
    sets.push((appointment::Column::CancelReason, Expr::value(reason)));
    let row = advance_and_announce(&state.ctx.db, id, &ACTIVE, sets, EventType::AppointmentCancelled).await?;
    Ok(Json(row.into()))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RescheduleRequest {
    pub schedule_id: i64,
    pub date: NaiveDate,
}

#[utoipa::path(post, path = "/api/v1/appointments/{id}/reschedule", tag = "appointments", request_body = RescheduleRequest,
    responses((status = 200, body = Appointment), (status = 404), (status = 409), (status = 422)))]
pub async fn reschedule(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<i64>,
    Json(req): Json<RescheduleRequest>,
) -> Result<Json<Appointment>> {
    let id = AppointmentId(id);
    let (actor, a) = load(&state, &caller, id).await?;
    check_deadline(&actor, &a, deadline_minutes(&state), Utc::now())?;
    let db = &state.ctx.db;
    let doctor = doctor::Entity::find_by_id(a.doctor_id).one(db).await?.ok_or(Error::NotFound)?;
    let target = Target { schedule_id: ScheduleId(req.schedule_id), date: req.date };
    let lead = state.ctx.settings.reminder_lead_minutes;
    let row = reschedule::reschedule(db, &actor, &doctor, id, &target, lead).await?;
    Ok(Json(row.into()))
}

#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
pub struct CompleteRequest {
    #[validate(length(max = 5000, message = "at most 5000 characters"))]
    pub doctor_comment: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/appointments/{id}/complete", tag = "appointments", request_body = CompleteRequest,
    responses((status = 200, body = Appointment), (status = 403), (status = 404), (status = 409)))]
pub async fn complete(
    State(state): State<AppState>,
    caller: Authorized<Doctors>,
    Path(id): Path<i64>,
    body: Option<ValidJson<CompleteRequest>>,
) -> Result<Json<Appointment>> {
    let id = AppointmentId(id);
    let (actor, a) = load(&state, &caller, id).await?;
    its_doctor_only(&actor, &a)?;
    let mut sets = to_status(Status::Completed);
    if let Some(comment) = body.and_then(|ValidJson(b)| b.doctor_comment) {
        sets.push((appointment::Column::DoctorComment, Expr::value(comment)));
    }
    let row =
        advance_and_announce(&state.ctx.db, id, &[Status::Approved], sets, EventType::AppointmentCompleted)
            .await?;
    Ok(Json(row.into()))
}

#[utoipa::path(post, path = "/api/v1/appointments/{id}/no-show", tag = "appointments",
    responses((status = 200, body = Appointment), (status = 403), (status = 404), (status = 409)))]
pub async fn no_show(
    State(state): State<AppState>,
    caller: Authorized<Doctors>,
    Path(id): Path<i64>,
) -> Result<Json<Appointment>> {
    let id = AppointmentId(id);
    let (actor, a) = load(&state, &caller, id).await?;
    its_doctor_only(&actor, &a)?;
    let sets = to_status(Status::NoShow);
    let row =
        advance_and_announce(&state.ctx.db, id, &[Status::Approved], sets, EventType::AppointmentNoShow)
            .await?;
    Ok(Json(row.into()))
}

#[utoipa::path(post, path = "/api/v1/appointments/{id}/check-in", tag = "appointments",
    responses((status = 200, body = Appointment), (status = 403), (status = 404), (status = 409)))]
pub async fn check_in(
    State(state): State<AppState>,
    caller: Authorized<Doctors>,
    Path(id): Path<i64>,
) -> Result<Json<Appointment>> {
    let id = AppointmentId(id);
    let (actor, a) = load(&state, &caller, id).await?;
    its_doctor_only(&actor, &a)?;
    Ok(Json(visits::check_in(&state.ctx.db, id).await?.into()))
}

#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
pub struct CheckOutRequest {
    /// Minutes spent travelling; when absent, the time since check-in.
    #[validate(range(min = 0, max = 1440, message = "must be between 0 and 1440"))]
    pub travel_time_minutes: Option<i32>,
}

#[utoipa::path(post, path = "/api/v1/appointments/{id}/check-out", tag = "appointments", request_body = CheckOutRequest,
    responses((status = 200, body = Appointment), (status = 403), (status = 404), (status = 409)))]
pub async fn check_out(
    State(state): State<AppState>,
    caller: Authorized<Doctors>,
    Path(id): Path<i64>,
    body: Option<ValidJson<CheckOutRequest>>,
) -> Result<Json<Appointment>> {
    let id = AppointmentId(id);
    let (actor, a) = load(&state, &caller, id).await?;
    its_doctor_only(&actor, &a)?;
    let minutes = body.and_then(|ValidJson(b)| b.travel_time_minutes);
    Ok(Json(visits::check_out(&state.ctx.db, &a, minutes).await?.into()))
}
