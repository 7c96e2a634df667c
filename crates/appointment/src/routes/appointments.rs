//! Booking, listing and reading appointments.

use axum::{extract::State, http::StatusCode};
use chrono::{DateTime, NaiveDate, Utc};
use kit::extract::{Path, Query};
use kit::{
    Error, Result,
    identity::{AuthUser, Role},
    ids::{AppointmentId, DoctorId, PatientId, ScheduleId},
    json::{Json, ValidJson},
    pagination::{Page, PageParams},
};
use sea_orm::{PaginatorTrait, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::{
    actor::{self, Actor},
    booking::{
        book::{self, NewBooking},
        booker,
    },
    documents::confirmation,
    entity::{appointment, doctor},
    learn,
    scope::{Filter, scoped},
    state::AppState,
};

#[derive(Debug, Serialize, ToSchema)]
pub struct Appointment {
    pub id: i64,
    pub status: String,
    pub patient_id: i64,
    pub doctor_id: i64,
    pub schedule_id: i64,
    pub date: NaiveDate,
    pub start_at: DateTime<Utc>,
    pub end_at: DateTime<Utc>,
    pub reason: String,
    pub doctor_comment: Option<String>,
    pub cancel_reason: Option<String>,
    pub check_in_time: Option<DateTime<Utc>>,
    pub check_out_time: Option<DateTime<Utc>>,
    pub travel_time_minutes: Option<i32>,
    /// Added to `api.md`: when the patient said they could come, in their
    /// words (the monolith's `Patient_Disponibility`, or the booking's
    /// `patient_availability`); null when they said nothing.
    pub patient_availability: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<appointment::Model> for Appointment {
    fn from(a: appointment::Model) -> Self {
        Self {
            id: a.id.0,
            status: a.status.to_string(),
            patient_id: a.patient_id.0,
            doctor_id: a.doctor_id.0,
            schedule_id: a.schedule_id.0,
            date: a.appointment_date,
            start_at: a.start_at,
            end_at: a.end_at,
            reason: a.reason,
            doctor_comment: a.doctor_comment,
            cancel_reason: a.cancel_reason,
            check_in_time: a.check_in_time,
            check_out_time: a.check_out_time,
            travel_time_minutes: a.travel_time_minutes,
            patient_availability: a.patient_availability,
            created_at: a.created_at,
            updated_at: a.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct BookRequest {
    pub doctor_id: i64,
    pub schedule_id: i64,
    pub date: NaiveDate,
    #[validate(custom(function = "kit::validate::required"))]
    pub reason: String,
    /// Doctors and admins book for a patient; patients book for themselves.
    pub patient_id: Option<i64>,
    /// Added to `api.md`, optional: when the patient can come, in their
    /// words ("mornings", "after 17:00"), shown to the doctor; blank is none.
    #[validate(length(max = 255, message = "must be at most 255 characters"))]
    pub patient_availability: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/appointments", tag = "appointments", request_body = BookRequest,
    responses((status = 201, body = Appointment), (status = 403), (status = 409), (status = 422)))]
pub async fn book(
    State(state): State<AppState>,
    caller: AuthUser,
    ValidJson(req): ValidJson<BookRequest>,
) -> Result<(StatusCode, Json<Appointment>)> {
    let actor = Actor::resolve(&state.ctx, &caller).await?;
    let patient_id =
        booker::patient_of_booking(&actor, DoctorId(req.doctor_id), req.patient_id.map(PatientId))?;
    if learn::patient(&state.ctx, patient_id).await?.is_none() {
        return Err(Error::invalid("patient_id", "unknown patient"));
    }
    let doctor = learn::doctor(&state.ctx, DoctorId(req.doctor_id))
        .await?
        .filter(|d| d.status == doctor::Status::Active)
        .ok_or_else(|| Error::invalid("doctor_id", "unknown or inactive doctor"))?;
    let booking = NewBooking {
        patient_id,
        schedule_id: ScheduleId(req.schedule_id),
        date: req.date,
        reason: req.reason,
        patient_availability: req.patient_availability.map(|a| a.trim().to_owned()).filter(|a| !a.is_empty()),
    };
    let row = book::book(&state.ctx.db, &doctor, &booking, state.ctx.settings.reminder_lead_minutes).await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    pub status: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub doctor_id: Option<i64>,
    pub patient_id: Option<i64>,
    /// 1-based; `page × per_page` at most 10,000,000, else 422.
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

impl ListQuery {
    fn filter(&self) -> Filter {
        Filter {
            status: self.status.clone(),
            from: self.from,
            to: self.to,
            doctor_id: self.doctor_id.map(DoctorId),
            patient_id: self.patient_id.map(PatientId),
        }
    }
}

#[utoipa::path(get, path = "/api/v1/appointments", tag = "appointments", params(ListQuery),
    responses((status = 200, body = inline(Page<Appointment>))))]
pub async fn list(
    State(state): State<AppState>,
    caller: AuthUser,
    Query(q): Query<ListQuery>,
) -> Result<Json<Page<Appointment>>> {
    let db = &state.ctx.db;
    let actor = Actor::resolve(&state.ctx, &caller).await?;
    let paging = PageParams { page: q.page, per_page: q.per_page }.check()?;
    let query = scoped(&actor, &q.filter())?;
    let total = query.clone().count(db).await?;
    let rows = query
        .order_by_desc(appointment::Column::StartAt)
        .order_by_desc(appointment::Column::Id)
        .offset(paging.offset())
        .limit(paging.per_page())
        .all(db)
        .await?;
    Ok(Json(Page::new(rows.into_iter().map(Appointment::from).collect(), paging, total)))
}

#[utoipa::path(get, path = "/api/v1/appointments/{id}", tag = "appointments",
    responses((status = 200, body = Appointment), (status = 404)))]
pub async fn get(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<Appointment>> {
    caller.require(&[Role::Patient, Role::Doctor, Role::Admin])?;
    let actor = Actor::resolve(&state.ctx, &caller).await?;
    Ok(Json(actor::visible(&state.ctx.db, &actor, AppointmentId(id)).await?.into()))
}

#[utoipa::path(get, path = "/api/v1/appointments/{id}/pdf", tag = "appointments",
    responses((status = 200, content_type = "application/pdf", description = "confirmation"), (status = 404)))]
pub async fn pdf(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<i64>,
) -> Result<axum::response::Response> {
    use axum::{http::header, response::IntoResponse};
    let db = &state.ctx.db;
    let actor = Actor::resolve(&state.ctx, &caller).await?;
    let a = actor::visible(db, &actor, AppointmentId(id)).await?;
    let bytes = confirmation::render(db, &a).await?;
    let disposition = format!("inline; filename=\"appointment-{}.pdf\"", a.id);
    Ok((
        [(header::CONTENT_TYPE, "application/pdf".to_owned()), (header::CONTENT_DISPOSITION, disposition)],
        bytes,
    )
        .into_response())
}
