//! Free slots: schedules minus active appointments, past ones excluded,
//! instants computed in each doctor's zone.

use std::collections::HashSet;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use kit::{
    Error, Result,
    ids::{DoctorId, ScheduleId, SpecialtyId},
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, sea_query::ExprTrait};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    entity::{appointment, doctor, schedule},
    slots,
};

/// The widest range one query may ask for.
pub const MAX_DAYS: i64 = 31;

/// A free slot as the API answers it (ids as plain integers on the wire).
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

/// The dates asked for: one `date`, or `from`..=`to` of at most
/// [`MAX_DAYS`]; 422 otherwise.
pub fn dates(
    date: Option<NaiveDate>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<(NaiveDate, NaiveDate)> {
    match (date, from, to) {
        (Some(d), None, None) => Ok((d, d)),
        (None, Some(from), Some(to)) => {
            if to < from {
                return Err(Error::invalid("to", "must not be before from"));
            }
            if (to - from).num_days() >= MAX_DAYS {
                return Err(Error::invalid("to", format!("a range covers at most {MAX_DAYS} days")));
            }
            Ok((from, to))
        }
        _ => Err(Error::invalid("date", "give date, or from and to")),
    }
}

/// The active doctors of `specialty_id`.
pub async fn doctors_of_specialty<C: ConnectionTrait>(
    conn: &C,
    specialty_id: SpecialtyId,
) -> Result<Vec<doctor::Model>> {
    Ok(doctor::Entity::find()
        .filter(doctor::Column::SpecialtyId.eq(specialty_id))
        .filter(doctor::Column::Status.eq(doctor::Status::Active))
        .all(conn)
        .await?)
}

/// The free slots of `doctors` from `from` to `to` (both included) that
/// start after now, earliest first.
pub async fn free_slots<C: ConnectionTrait>(
    conn: &C,
    doctors: &[doctor::Model],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<FreeSlot>> {
    let ids: Vec<DoctorId> = doctors.iter().map(|d| d.doctor_id).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = schedule::Entity::find()
        .filter(schedule::Column::DoctorId.is_in(ids.clone()))
        .filter(schedule::Column::SpecificDate.is_null().or(schedule::Column::SpecificDate.between(from, to)))
        .all(conn)
        .await?;
    let taken: HashSet<(ScheduleId, NaiveDate)> = appointment::Entity::find()
        .select_only()
        .column(appointment::Column::ScheduleId)
        .column(appointment::Column::AppointmentDate)
        .filter(appointment::Column::DoctorId.is_in(ids))
        .filter(appointment::Column::AppointmentDate.between(from, to))
        .filter(appointment::Column::ActiveSlot.eq(true))
        .into_tuple::<(ScheduleId, NaiveDate)>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    Ok(offered(doctors, &rows, &taken, from, to, Utc::now()))
}

/// The pure part of [`free_slots`]: every slot of `rows` offered on a date
/// in range, not `taken`, starting after `now`.
pub fn offered(
    doctors: &[doctor::Model],
    rows: &[schedule::Model],
    taken: &HashSet<(ScheduleId, NaiveDate)>,
    from: NaiveDate,
    to: NaiveDate,
    now: DateTime<Utc>,
) -> Vec<FreeSlot> {
    let mut free = Vec::new();
    for d in doctors {
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
                    doctor_id: d.doctor_id.0,
                    schedule_id: row.id.0,
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
    free
}

#[cfg(test)]
mod tests {
    use chrono::NaiveTime;

    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2030, 1, d).unwrap()
    }

    #[test]
    fn a_range_is_at_most_a_month_and_never_backwards() {
        assert_eq!(dates(Some(day(1)), None, None).ok(), Some((day(1), day(1))));
        assert!(dates(None, Some(day(1)), Some(day(31))).is_ok());
        assert!(dates(None, Some(day(2)), Some(day(1))).is_err());
        assert!(dates(None, Some(day(1)), Some(day(1) + Duration::days(31))).is_err());
        assert!(dates(None, None, None).is_err());
    }

    #[test]
    fn taken_and_past_slots_are_not_offered() {
        let doctor = doctor::Model {
            doctor_id: DoctorId(1),
            user_id: kit::ids::UserId(1),
            name: "Dr".into(),
            specialty_id: SpecialtyId(1),
            city: None,
            timezone: "UTC".into(),
            status: doctor::Status::Active,
        };
        let now = Utc::now();
        let weekly = |id, day: &str| schedule::Model {
            id: ScheduleId(id),
            doctor_id: DoctorId(1),
            day: Some(day.into()),
            specific_date: None,
            start: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
            end: NaiveTime::from_hms_opt(9, 30, 0).unwrap(),
            created_at: now,
            updated_at: now,
        };
        // 2030-01-01 is a Tuesday, 2030-01-02 a Wednesday.
        let rows = [weekly(1, "Tuesday"), weekly(2, "Wednesday")];
        let taken = HashSet::from([(ScheduleId(2), day(2))]);
        let free = offered(std::slice::from_ref(&doctor), &rows, &taken, day(1), day(8), now);
        let got: Vec<_> = free.iter().map(|s| (s.schedule_id, s.date)).collect();
        assert_eq!(got, vec![(1, day(1)), (1, day(8))]);
        let later = day(1).and_hms_opt(10, 0, 0).unwrap().and_utc();
        assert_eq!(offered(&[doctor], &rows, &taken, day(1), day(1), later), vec![]);
    }
}
