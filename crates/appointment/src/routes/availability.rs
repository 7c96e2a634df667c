//! Free slots: schedules minus active appointments, past ones excluded,
//! instants computed in each doctor's zone.

use std::collections::HashSet;

use axum::extract::State;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use kit::extract::Query;
use kit::json::Json;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, sea_query::ExprTrait};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    entity::{appointment, doctor, schedule},
    error::{AppointmentError, Result},
    slots,
    state::AppState,
};

/// The widest range one query may ask for.
pub const MAX_DAYS: i64 = 31;

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

#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct FreeSlot {
    pub doctor_id: i64,
    pub schedule_id: i64,
    pub date: NaiveDate,
    /// `HH:MM` in the doctor's zone.
    pub start: String,
    pub end: String,
    pub start_at: DateTime<Utc>,
    pub end_at: DateTime<Utc>,
}

fn dates(q: &AvailabilityQuery) -> Result<(NaiveDate, NaiveDate)> {
    match (q.date, q.from, q.to) {
        (Some(d), None, None) => Ok((d, d)),
        (None, Some(from), Some(to)) => {
            if to < from {
                return Err(AppointmentError::invalid("to", "must not be before from"));
            }
            if (to - from).num_days() >= MAX_DAYS {
                return Err(AppointmentError::invalid(
                    "to",
                    format!("a range covers at most {MAX_DAYS} days"),
                ));
            }
            Ok((from, to))
        }
        _ => Err(AppointmentError::invalid("date", "give date, or from and to")),
    }
}

#[utoipa::path(get, path = "/api/v1/availability", tag = "schedules", params(AvailabilityQuery),
    responses((status = 200, body = [FreeSlot]), (status = 404), (status = 422)))]
pub async fn get(
    State(state): State<AppState>,
    Query(q): Query<AvailabilityQuery>,
) -> Result<Json<Vec<FreeSlot>>> {
    let (from, to) = dates(&q)?;
    let db = &state.ctx.db;
    let doctors = match (q.doctor_id, q.specialty_id) {
        (Some(id), _) => {
            vec![crate::learn::doctor(&state.ctx, id).await?.ok_or(AppointmentError::NotFound)?]
        }
        (None, Some(specialty)) => {
            if from != to {
                return Err(AppointmentError::invalid("date", "by specialty, ask for one date"));
            }
            doctor::Entity::find()
                .filter(doctor::Column::SpecialtyId.eq(specialty))
                .filter(doctor::Column::Status.eq("active"))
                .all(db)
                .await?
        }
        (None, None) => return Err(AppointmentError::invalid("doctor_id", "give doctor_id or specialty_id")),
    };
    let ids: Vec<i64> = doctors.iter().map(|d| d.doctor_id).collect();
    if ids.is_empty() {
        return Ok(Json(Vec::new()));
    }
    let rows = schedule::Entity::find()
        .filter(schedule::Column::DoctorId.is_in(ids.clone()))
        .filter(schedule::Column::SpecificDate.is_null().or(schedule::Column::SpecificDate.between(from, to)))
        .all(db)
        .await?;
    let taken: HashSet<(i64, NaiveDate)> = appointment::Entity::find()
        .select_only()
        .column(appointment::Column::ScheduleId)
        .column(appointment::Column::AppointmentDate)
        .filter(appointment::Column::DoctorId.is_in(ids))
        .filter(appointment::Column::AppointmentDate.between(from, to))
        .filter(appointment::Column::ActiveSlot.eq(true))
        .into_tuple::<(i64, NaiveDate)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let now = Utc::now();
    let mut free = Vec::new();
    for d in &doctors {
        let tz = slots::zone(&d.timezone);
        let mut date = from;
        while date <= to {
            for row in rows.iter().filter(|r| r.doctor_id == d.doctor_id && slots::applies(r, date)) {
                if taken.contains(&(row.id, date)) {
                    continue;
                }
                let Some((start_at, end_at)) = slots::instants(tz, date, row.start, row.end) else {
                    continue;
                };
                if start_at <= now {
                    continue;
                }
                free.push(FreeSlot {
                    doctor_id: d.doctor_id,
                    schedule_id: row.id,
                    date,
                    start: slots::format_time(row.start),
                    end: slots::format_time(row.end),
                    start_at,
                    end_at,
                });
            }
            date += Duration::days(1);
        }
    }
    free.sort_by_key(|s| (s.start_at, s.doctor_id, s.schedule_id));
    Ok(Json(free))
}
