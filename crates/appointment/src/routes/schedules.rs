//! A doctor's slots: weekly rows and one-off rows, never overlapping, never
//! deleted from under an active appointment.

use axum::{extract::State, http::StatusCode};
use chrono::{NaiveDate, NaiveTime, Utc};
use kit::extract::{Path, Query};
use kit::{
    authz::{Authorized, DoctorsAndAdmins},
    events::catalog,
    json::Json,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    actor::Actor,
    entity::{appointment, doctor, schedule},
    error::{AppointmentError, Result},
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
            id: s.id,
            doctor_id: s.doctor_id,
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
        .filter(schedule::Column::DoctorId.eq(q.doctor_id))
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

/// A slot's shape, checked: exactly one of day / specific_date, start
/// before end, both on one day.
struct Slot {
    day: Option<String>,
    specific_date: Option<NaiveDate>,
    start: NaiveTime,
    end: NaiveTime,
}

fn shape(
    day: Option<&str>,
    specific_date: Option<NaiveDate>,
    start: &str,
    end: Option<&str>,
) -> Result<Slot> {
    let start =
        slots::parse_time(start).ok_or_else(|| AppointmentError::invalid("start", "must be HH:MM"))?;
    let end = match end {
        Some(e) => slots::parse_time(e).ok_or_else(|| AppointmentError::invalid("end", "must be HH:MM"))?,
        None => slots::default_end(start),
    };
    if end <= start {
        return Err(AppointmentError::invalid("end", "must be after start, on the same day"));
    }
    let day = match (day, specific_date) {
        (Some(_), Some(_)) => {
            return Err(AppointmentError::invalid(
                "day",
                "give either day (weekly) or specific_date (one-off)",
            ));
        }
        (None, None) => return Err(AppointmentError::invalid("day", "give day (weekly) or specific_date")),
        (Some(d), None) => Some(
            slots::parse_day(d)
                .map(|w| slots::day_name(w).to_owned())
                .ok_or_else(|| AppointmentError::invalid("day", "must be a day name, Monday to Sunday"))?,
        ),
        (None, Some(_)) => None,
    };
    Ok(Slot { day, specific_date, start, end })
}

/// The doctor whose slots the caller may manage.
fn managed_doctor(actor: &Actor, requested: Option<i64>) -> Result<i64> {
    match actor {
        Actor::Doctor(d) => match requested {
            Some(id) if id != d.doctor_id => {
                Err(AppointmentError::Forbidden("doctors manage their own slots"))
            }
            _ => Ok(d.doctor_id),
        },
        Actor::Admin => {
            requested.ok_or_else(|| AppointmentError::invalid("doctor_id", "is required for admins"))
        }
        Actor::Patient(_) => Err(AppointmentError::Forbidden("only doctors and admins manage slots")),
    }
}

/// 409 when `slot` overlaps another slot of the doctor on any date both
/// apply to (weekly against weekly on the same day, one-off against the
/// weekly rows of its weekday and other one-offs that date).
async fn refuse_overlap<C: ConnectionTrait>(
    conn: &C,
    doctor_id: i64,
    slot: &Slot,
    except: Option<i64>,
) -> Result<()> {
    let others = schedule::Entity::find().filter(schedule::Column::DoctorId.eq(doctor_id)).all(conn).await?;
    let slot_day = slot
        .day
        .clone()
        .or_else(|| slot.specific_date.map(|d| slots::day_name(chrono::Datelike::weekday(&d)).to_owned()));
    let clash = others.iter().filter(|o| Some(o.id) != except).any(|o| {
        let same_day = match (slot.specific_date, o.specific_date) {
            (Some(a), Some(b)) => a == b,
            (None, None) => slot.day == o.day,
            (Some(_), None) => slot_day == o.day,
            (None, Some(b)) => slot.day.as_deref() == Some(slots::day_name(chrono::Datelike::weekday(&b))),
        };
        same_day && slots::overlaps(slot.start, slot.end, o.start, o.end)
    });
    if clash {
        return Err(AppointmentError::conflict("the slot overlaps another slot of this doctor"));
    }
    Ok(())
}

/// Serializes slot changes of one doctor (MySQL row lock; SQLite's write
/// transaction already runs alone), so two overlapping slots cannot both
/// pass the check.
async fn lock_doctor<C: ConnectionTrait>(conn: &C, doctor_id: i64) -> Result<doctor::Model> {
    doctor::Entity::find_by_id(doctor_id)
        .lock_exclusive()
        .one(conn)
        .await?
        .ok_or_else(|| AppointmentError::invalid("doctor_id", "unknown doctor"))
}

async fn announce_change<C: ConnectionTrait>(
    conn: &C,
    doctor_id: i64,
    schedule_id: i64,
    change: &str,
) -> Result<()> {
    let data = catalog::ScheduleChanged { doctor_id, schedule_id, change: change.to_owned() };
    kit::events::publish(
        conn,
        "appointment",
        catalog::SCHEDULE_CHANGED,
        Some(format!("doctor/{doctor_id}")),
        &data,
    )
    .await?;
    Ok(())
}

#[utoipa::path(post, path = "/api/v1/schedules", tag = "schedules", request_body = SlotRequest,
    responses((status = 201, body = Schedule), (status = 403), (status = 409), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Authorized<DoctorsAndAdmins>,
    Json(req): Json<SlotRequest>,
) -> Result<(StatusCode, Json<Schedule>)> {
    let actor = Actor::resolve(&state.ctx, &caller).await?;
    let doctor_id = managed_doctor(&actor, req.doctor_id)?;
    let start = req.start.as_deref().ok_or_else(|| AppointmentError::invalid("start", "is required"))?;
    let slot = shape(req.day.as_deref(), req.specific_date, start, req.end.as_deref())?;
    // An admin may add a slot for a doctor created a moment ago.
    if crate::learn::doctor(&state.ctx, doctor_id).await?.is_none() {
        return Err(AppointmentError::invalid("doctor_id", "unknown doctor"));
    }
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    lock_doctor(&txn, doctor_id).await?;
    refuse_overlap(&txn, doctor_id, &slot, None).await?;
    let now = Utc::now();
    let row = schedule::ActiveModel {
        doctor_id: Set(doctor_id),
        day: Set(slot.day),
        specific_date: Set(slot.specific_date),
        start: Set(slot.start),
        end: Set(slot.end),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    announce_change(&txn, doctor_id, row.id, "created").await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

/// The slot if the caller manages it; 404 otherwise.
async fn owned<C: ConnectionTrait>(conn: &C, actor: &Actor, id: i64) -> Result<schedule::Model> {
    let row = schedule::Entity::find_by_id(id).one(conn).await?.ok_or(AppointmentError::NotFound)?;
    match actor {
        Actor::Admin => Ok(row),
        Actor::Doctor(d) if d.doctor_id == row.doctor_id => Ok(row),
        _ => Err(AppointmentError::NotFound),
    }
}

async fn active_bookings<C: ConnectionTrait>(conn: &C, schedule_id: i64) -> Result<u64> {
    Ok(appointment::Entity::find()
        .filter(appointment::Column::ScheduleId.eq(schedule_id))
        .filter(appointment::Column::ActiveSlot.eq(true))
        .count(conn)
        .await?)
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
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    let row = owned(&txn, &actor, id).await?;
    lock_doctor(&txn, row.doctor_id).await?;
    // Moving a slot would silently move its patients: refuse while booked.
    if active_bookings(&txn, id).await? > 0 {
        return Err(AppointmentError::conflict(
            "the slot has active appointments; reschedule or cancel them first",
        ));
    }
    let (day, specific_date) = match (req.day.as_deref(), req.specific_date) {
        (None, None) => (row.day.as_deref(), row.specific_date),
        given => given,
    };
    let start = req.start.unwrap_or_else(|| slots::format_time(row.start));
    let end = req.end.or_else(|| Some(slots::format_time(row.end)));
    let slot = shape(day, specific_date, &start, end.as_deref())?;
    refuse_overlap(&txn, row.doctor_id, &slot, Some(id)).await?;
    let doctor_id = row.doctor_id;
    let mut active = row.into_active_model();
    active.day = Set(slot.day);
    active.specific_date = Set(slot.specific_date);
    active.start = Set(slot.start);
    active.end = Set(slot.end);
    active.updated_at = Set(Utc::now());
    let row = active.update(&txn).await?;
    announce_change(&txn, doctor_id, id, "updated").await?;
    txn.commit().await?;
    Ok(Json(row.into()))
}

#[utoipa::path(delete, path = "/api/v1/schedules/{id}", tag = "schedules",
    responses((status = 403), (status = 204), (status = 404), (status = 409)))]
pub async fn delete(
    State(state): State<AppState>,
    caller: Authorized<DoctorsAndAdmins>,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    let actor = Actor::resolve(&state.ctx, &caller).await?;
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    let row = owned(&txn, &actor, id).await?;
    lock_doctor(&txn, row.doctor_id).await?;
    // The monolith deleted the appointments with the slot. Never.
    if active_bookings(&txn, id).await? > 0 {
        return Err(AppointmentError::conflict("the slot has active appointments"));
    }
    schedule::Entity::delete_by_id(id).exec(&txn).await?;
    announce_change(&txn, row.doctor_id, id, "deleted").await?;
    txn.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
