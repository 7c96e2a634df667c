//! Where a booking lands: a slot of the doctor, offered that date, still ahead.

use chrono::{DateTime, NaiveDate, Utc};
use kit::{Error, Result, ids::ScheduleId};
use sea_orm::{ConnectionTrait, EntityTrait, QuerySelect};

use crate::{
    entity::{doctor, schedule},
    slots,
};

/// A slot on a date, checked against the schedule and the clock.
pub struct Placement {
    pub schedule: schedule::Model,
    pub date: NaiveDate,
    pub start_at: DateTime<Utc>,
    pub end_at: DateTime<Utc>,
}

/// 422 unless `schedule_id` is a slot of `doctor` offered on `date` and
/// still ahead. The schedule row is read under a shared lock, so it cannot
/// be moved or deleted before the booking's transaction commits.
pub async fn place<C: ConnectionTrait>(
    conn: &C,
    doctor: &doctor::Model,
    schedule_id: ScheduleId,
    date: NaiveDate,
) -> Result<Placement> {
    let schedule = schedule::Entity::find_by_id(schedule_id)
        .lock_shared()
        .one(conn)
        .await?
        .filter(|s| s.doctor_id == doctor.doctor_id)
        .ok_or_else(|| Error::invalid("schedule_id", "not a slot of this doctor"))?;
    let (start_at, end_at) = instants_of(&schedule, &doctor.timezone, date)?;
    if start_at <= Utc::now() {
        return Err(Error::invalid("date", "the slot is in the past"));
    }
    Ok(Placement { schedule, date, start_at, end_at })
}

/// The instants `schedule` stands for on `date` in the doctor's zone; 422
/// when the row is not offered that date or its start falls in a DST gap.
pub fn instants_of(
    schedule: &schedule::Model,
    timezone: &str,
    date: NaiveDate,
) -> Result<(DateTime<Utc>, DateTime<Utc>)> {
    if !slots::applies(schedule, date) {
        return Err(Error::invalid("date", "the slot is not offered on that date"));
    }
    slots::instants(slots::zone(timezone), date, schedule.start, schedule.end)
        .ok_or_else(|| Error::invalid("date", "the slot does not exist that day (clock change)"))
}

#[cfg(test)]
mod tests {
    use chrono::NaiveTime;

    use super::*;

    fn sunday_half_past_two() -> schedule::Model {
        let now = Utc::now();
        schedule::Model {
            id: ScheduleId(1),
            doctor_id: kit::ids::DoctorId(1),
            day: Some("Sunday".into()),
            specific_date: None,
            start: NaiveTime::from_hms_opt(2, 30, 0).unwrap(),
            end: NaiveTime::from_hms_opt(3, 0, 0).unwrap(),
            created_at: now,
            updated_at: now,
        }
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn field_of(e: Error) -> String {
        match e {
            Error::Invalid { field, message } => format!("{field}: {message}"),
            other => format!("not a 422: {other}"),
        }
    }

    #[test]
    fn a_weekly_slot_is_offered_on_its_weekday_only() {
        // 2026-11-29 is a Sunday, 2026-11-30 a Monday.
        assert!(instants_of(&sunday_half_past_two(), "UTC", date(2026, 11, 29)).is_ok());
        let e = instants_of(&sunday_half_past_two(), "UTC", date(2026, 11, 30)).err().map(field_of);
        assert_eq!(e.as_deref(), Some("date: the slot is not offered on that date"));
    }

    #[test]
    fn a_start_in_the_spring_gap_does_not_exist() {
        // 2026-03-29: Paris skips from 02:00 to 03:00.
        let e = instants_of(&sunday_half_past_two(), "Europe/Paris", date(2026, 3, 29)).err().map(field_of);
        assert_eq!(e.as_deref(), Some("date: the slot does not exist that day (clock change)"));
    }
}
