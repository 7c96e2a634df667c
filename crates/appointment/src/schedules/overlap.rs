//! A doctor's slots never overlap on any date both apply to.

use chrono::Datelike;
use kit::{
    Error, Result,
    ids::{DoctorId, ScheduleId},
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::{entity::schedule, schedules::shape::Slot, slots};

/// 409: the slot overlaps another of the doctor's.
pub fn slot_overlaps() -> Error {
    Error::conflict("the slot overlaps another slot of this doctor")
}

/// Whether `slot` overlaps one of `others` (other than `except`) on a date
/// both apply to: weekly against weekly on the same day, one-off against
/// the weekly rows of its weekday and other one-offs that date.
pub fn clashes(slot: &Slot, others: &[schedule::Model], except: Option<ScheduleId>) -> bool {
    let slot_day =
        slot.day.clone().or_else(|| slot.specific_date.map(|d| slots::day_name(d.weekday()).to_owned()));
    others.iter().filter(|o| Some(o.id) != except).any(|o| {
        let same_day = match (slot.specific_date, o.specific_date) {
            (Some(a), Some(b)) => a == b,
            (None, None) => slot.day == o.day,
            (Some(_), None) => slot_day == o.day,
            (None, Some(b)) => slot.day.as_deref() == Some(slots::day_name(b.weekday())),
        };
        same_day && slots::overlaps(slot.start, slot.end, o.start, o.end)
    })
}

/// 409 when `slot` [`clashes`] with a slot of `doctor_id`.
pub async fn refuse_overlap<C: ConnectionTrait>(
    conn: &C,
    doctor_id: DoctorId,
    slot: &Slot,
    except: Option<ScheduleId>,
) -> Result<()> {
    let others = schedule::Entity::find().filter(schedule::Column::DoctorId.eq(doctor_id)).all(conn).await?;
    if clashes(slot, &others, except) {
        return Err(slot_overlaps());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, Utc};

    use super::*;
    use crate::schedules::shape::shape;

    fn row(id: i64, slot: Slot) -> schedule::Model {
        let now = Utc::now();
        schedule::Model {
            id: ScheduleId(id),
            doctor_id: DoctorId(1),
            day: slot.day,
            specific_date: slot.specific_date,
            start: slot.start,
            end: slot.end,
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn weekly_slots_clash_on_the_same_day_only() {
        let nine = vec![row(1, shape(Some("Wednesday"), None, "09:00", None).unwrap())];
        assert!(clashes(&shape(Some("Wednesday"), None, "09:15", None).unwrap(), &nine, None));
        assert!(!clashes(&shape(Some("Thursday"), None, "09:15", None).unwrap(), &nine, None));
        assert!(!clashes(&shape(Some("Wednesday"), None, "09:30", None).unwrap(), &nine, None), "touching");
        assert!(
            !clashes(&shape(Some("Wednesday"), None, "09:15", None).unwrap(), &nine, Some(ScheduleId(1))),
            "itself"
        );
    }

    #[test]
    fn a_one_off_clashes_with_the_weekly_slots_of_its_weekday() {
        let nine = vec![row(1, shape(Some("Wednesday"), None, "09:00", None).unwrap())];
        let wednesday = NaiveDate::from_ymd_opt(2030, 1, 2);
        assert!(clashes(&shape(None, wednesday, "09:10", None).unwrap(), &nine, None));
        let thursday = NaiveDate::from_ymd_opt(2030, 1, 3);
        assert!(!clashes(&shape(None, thursday, "09:10", None).unwrap(), &nine, None));
        let once = vec![row(2, shape(None, wednesday, "12:00", None).unwrap())];
        assert!(clashes(&shape(Some("Wednesday"), None, "12:00", None).unwrap(), &once, None));
    }
}
