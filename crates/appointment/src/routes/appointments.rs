//! Booking, listing and reading appointments.

use axum::{extract::State, http::StatusCode};
use chrono::{DateTime, NaiveDate, Utc};
use kit::extract::{Path, Query};
use kit::{
    events::catalog,
    identity::{AuthUser, Role},
    json::{Json, ValidJson},
    pagination::{Page, PageParams},
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::{
    actor::{self, Actor},
    announce::announce,
    entity::{appointment, doctor, patient, schedule},
    error::{AppointmentError, Result},
    learn, slots,
    state::AppState,
    status,
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
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<appointment::Model> for Appointment {
    fn from(a: appointment::Model) -> Self {
        Self {
            id: a.id,
            status: a.status,
            patient_id: a.patient_id,
            doctor_id: a.doctor_id,
            schedule_id: a.schedule_id,
            date: a.appointment_date,
            start_at: a.start_at,
            end_at: a.end_at,
            reason: a.reason,
            doctor_comment: a.doctor_comment,
            cancel_reason: a.cancel_reason,
            check_in_time: a.check_in_time,
            check_out_time: a.check_out_time,
            travel_time_minutes: a.travel_time_minutes,
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
}

/// A slot on a date, checked against the schedule and the clock.
pub struct Placement {
    pub schedule: schedule::Model,
    pub date: NaiveDate,
    pub start_at: DateTime<Utc>,
    pub end_at: DateTime<Utc>,
}

/// 422 unless `schedule_id` is a slot of `doctor` offered on `date` and still ahead.
pub async fn place<C: ConnectionTrait>(
    conn: &C,
    doctor: &doctor::Model,
    schedule_id: i64,
    date: NaiveDate,
) -> Result<Placement> {
    let schedule = schedule::Entity::find_by_id(schedule_id)
        .lock_shared()
        .one(conn)
        .await?
        .filter(|s| s.doctor_id == doctor.doctor_id)
        .ok_or_else(|| AppointmentError::invalid("schedule_id", "not a slot of this doctor"))?;
    if !slots::applies(&schedule, date) {
        return Err(AppointmentError::invalid("date", "the slot is not offered on that date"));
    }
    let (start_at, end_at) =
        slots::instants(slots::zone(&doctor.timezone), date, schedule.start, schedule.end).ok_or_else(
            || AppointmentError::invalid("date", "the slot does not exist that day (clock change)"),
        )?;
    if start_at <= Utc::now() {
        return Err(AppointmentError::invalid("date", "the slot is in the past"));
    }
    Ok(Placement { schedule, date, start_at, end_at })
}

/// 409 when the patient already holds an active appointment overlapping
/// `[start, end)` (other than `except`). The patient's directory row is
/// locked first, so two bookings of one patient take turns on MySQL;
/// SQLite's write transactions already do.
pub async fn refuse_patient_overlap<C: ConnectionTrait>(
    conn: &C,
    patient_id: i64,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    except: Option<i64>,
) -> Result<()> {
    patient::Entity::find_by_id(patient_id).lock_exclusive().one(conn).await?;
    let mut q = appointment::Entity::find()
        .filter(appointment::Column::PatientId.eq(patient_id))
        .filter(appointment::Column::ActiveSlot.eq(true))
        .filter(appointment::Column::StartAt.lt(end))
        .filter(appointment::Column::EndAt.gt(start));
    if let Some(id) = except {
        q = q.filter(appointment::Column::Id.ne(id));
    }
    if q.count(conn).await? > 0 {
        return Err(AppointmentError::conflict("the patient already has an appointment at that time"));
    }
    Ok(())
}

/// When the patient's reminder for an appointment at `start` is due: their
/// own lead time (notification preferences) or the platform's.
pub async fn reminder_at<C: ConnectionTrait>(
    conn: &C,
    state: &AppState,
    patient_id: i64,
    start: DateTime<Utc>,
) -> Result<DateTime<Utc>> {
    let own = patient::Entity::find_by_id(patient_id).one(conn).await?.and_then(|p| p.reminder_minutes);
    let minutes = own.map(i64::from).unwrap_or(state.ctx.settings.reminder_lead_minutes);
    Ok(start - chrono::Duration::minutes(minutes))
}

/// Maps the no-double-booking index's verdict to 409.
pub fn slot_taken(e: sea_orm::DbErr) -> AppointmentError {
    if kit::db::is_unique_violation(&e) {
        AppointmentError::conflict("the slot is already taken")
    } else {
        e.into()
    }
}

#[utoipa::path(post, path = "/api/v1/appointments", tag = "appointments", request_body = BookRequest,
    responses((status = 201, body = Appointment), (status = 403), (status = 409), (status = 422)))]
pub async fn book(
    State(state): State<AppState>,
    caller: AuthUser,
    ValidJson(req): ValidJson<BookRequest>,
) -> Result<(StatusCode, Json<Appointment>)> {
    let actor = Actor::resolve(&state.ctx, &caller).await?;
    let patient_id = match &actor {
        Actor::Patient(p) => p.patient_id,
        Actor::Doctor(d) if d.doctor_id != req.doctor_id => {
            return Err(AppointmentError::Forbidden("doctors book into their own slots"));
        }
        _ => req.patient_id.ok_or_else(|| AppointmentError::invalid("patient_id", "is required"))?,
    };
    if learn::patient(&state.ctx, patient_id).await?.is_none() {
        return Err(AppointmentError::invalid("patient_id", "unknown patient"));
    }
    let doctor = learn::doctor(&state.ctx, req.doctor_id)
        .await?
        .filter(|d| d.status == "active")
        .ok_or_else(|| AppointmentError::invalid("doctor_id", "unknown or inactive doctor"))?;
    let mut retry = kit::db::Retry::default();
    let row = loop {
        match insert_booking(&state, &doctor, patient_id, &req).await {
            Err(e) if retry.again(&e).await => continue,
            done => break done?,
        }
    };
    Ok((StatusCode::CREATED, Json(row.into())))
}

/// The booking's write transaction: place the slot, check the patient, insert
/// (the unique index has the last word), announce.
async fn insert_booking(
    state: &AppState,
    doctor: &doctor::Model,
    patient_id: i64,
    req: &BookRequest,
) -> Result<appointment::Model> {
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    let slot = place(&txn, doctor, req.schedule_id, req.date).await?;
    refuse_patient_overlap(&txn, patient_id, slot.start_at, slot.end_at, None).await?;
    let reminder_at = reminder_at(&txn, state, patient_id, slot.start_at).await?;
    let now = Utc::now();
    let row = appointment::ActiveModel {
        reason: Set(req.reason.clone()),
        status: Set(status::PENDING.to_owned()),
        appointment_date: Set(slot.date),
        patient_id: Set(patient_id),
        doctor_id: Set(doctor.doctor_id),
        schedule_id: Set(slot.schedule.id),
        start_at: Set(slot.start_at),
        end_at: Set(slot.end_at),
        active_slot: Set(status::slot_hold(status::PENDING)),
        reminder_at: Set(Some(reminder_at)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(slot_taken)?;
    announce(&txn, catalog::APPOINTMENT_BOOKED, &row).await?;
    txn.commit().await?;
    Ok(row)
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

/// The filtered query, scoped to what the caller may see. Reports share it.
pub fn scoped(actor: &Actor, q: &ListQuery) -> Result<sea_orm::Select<appointment::Entity>> {
    let mut query = appointment::Entity::find();
    match actor {
        Actor::Patient(p) => query = query.filter(appointment::Column::PatientId.eq(p.patient_id)),
        Actor::Doctor(d) => query = query.filter(appointment::Column::DoctorId.eq(d.doctor_id)),
        Actor::Admin => {}
    }
    if let Some(s) = &q.status {
        if !status::ALL.contains(&s.as_str()) {
            return Err(AppointmentError::invalid(
                "status",
                format!("must be one of {}", status::ALL.join(", ")),
            ));
        }
        query = query.filter(appointment::Column::Status.eq(s.as_str()));
    }
    if let Some(from) = q.from {
        query = query.filter(appointment::Column::AppointmentDate.gte(from));
    }
    if let Some(to) = q.to {
        query = query.filter(appointment::Column::AppointmentDate.lte(to));
    }
    if let Some(id) = q.doctor_id {
        query = query.filter(appointment::Column::DoctorId.eq(id));
    }
    if let Some(id) = q.patient_id {
        query = query.filter(appointment::Column::PatientId.eq(id));
    }
    Ok(query)
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
    let query = scoped(&actor, &q)?;
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
    Ok(Json(actor::visible(&state.ctx.db, &actor, id).await?.into()))
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
    let a = actor::visible(db, &actor, id).await?;
    let doctor = doctor::Entity::find_by_id(a.doctor_id).one(db).await?;
    let patient = patient::Entity::find_by_id(a.patient_id).one(db).await?;
    let tz = slots::zone(doctor.as_ref().map(|d| d.timezone.as_str()).unwrap_or_default());
    let local = a.start_at.with_timezone(&tz);
    let lines = vec![
        format!("Appointment no. {}", a.id),
        format!("Status: {}", a.status),
        String::new(),
        format!("Doctor: {}", doctor.map(|d| d.name).unwrap_or_default()),
        format!("Patient: {}", patient.map(|p| p.name).unwrap_or_default()),
        format!("When: {} ({})", local.format("%A %d %B %Y, %H:%M"), tz.name()),
        format!("UTC: {} to {}", a.start_at.format("%Y-%m-%d %H:%M"), a.end_at.format("%H:%M")),
        format!("Reason: {}", a.reason),
        String::new(),
        format!("Issued {} UTC by QuickCare.", Utc::now().format("%Y-%m-%d %H:%M")),
    ];
    let bytes = crate::documents::pdf::render("Appointment confirmation", &lines);
    let disposition = format!("inline; filename=\"appointment-{}.pdf\"", a.id);
    Ok((
        [(header::CONTENT_TYPE, "application/pdf".to_owned()), (header::CONTENT_DISPOSITION, disposition)],
        bytes,
    )
        .into_response())
}
