//! Schedules and appointments brought over from the legacy monolith
//! (`quickcare import-legacy`).
//!
//! Rows keep their legacy ids (explicit ids move both backends'
//! autoincrement past them, so new slots and bookings get ids after the
//! legacy ones). Each row passes the rules a new one does: a slot is
//! shaped by [`shape`] and may not overlap another of its doctor's
//! ([`clashes`]); an appointment's instants come from its slot's time of
//! day on its date in the doctor's zone ([`instants_of`]), and the unique
//! index still refuses two active appointments on one slot and date.
//!
//! History must not look due: a pending appointment whose start has
//! passed is stored expired (what the expiry job would have made of it,
//! without its mail), past ones get no reminder, and a future one whose
//! reminder time passed before the cut-over counts as reminded (the
//! monolith sent its reminders). Later ones are reminded like a new
//! booking. Nothing is announced: the importer fills the other services'
//! read models itself ([`fact`]).
//!
//! Re-running is idempotent: a row equal to what is stored is left alone,
//! and so is one the platform changed since (a later `updated_at`: a
//! cancellation, the expiry job), so a re-run never undoes what happened
//! on QuickCare.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use kit::{
    Result,
    events::catalog,
    ids::{AppointmentId, DoctorId, PatientId, ScheduleId, UserId},
    import::{AppointmentFact, Counts, Watermarks, upsert},
};
use sea_orm::{DatabaseConnection, DatabaseTransaction, EntityTrait};

use crate::{
    announce,
    booking::{placement::instants_of, reminder},
    entity::{appointment, doctor, schedule},
    schedules::{overlap::clashes, shape::shape},
    slots,
    status::Status,
};

/// One legacy `schedules` row. The monolith wrote the weekday on one-off
/// rows too; `specific_date` decides.
#[derive(Clone, Debug)]
pub struct LegacySchedule {
    pub id: ScheduleId,
    pub doctor_id: DoctorId,
    pub day: String,
    pub specific_date: Option<NaiveDate>,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One legacy `appointments` row, its status already read
/// ([`Status::from_legacy`]).
#[derive(Clone, Debug)]
pub struct LegacyAppointment {
    pub id: AppointmentId,
    pub reason: String,
    pub status: Status,
    pub date: NaiveDate,
    pub doctor_comment: Option<String>,
    pub patient_id: PatientId,
    pub doctor_id: DoctorId,
    pub schedule_id: ScheduleId,
    pub check_in_time: Option<DateTime<Utc>>,
    pub check_out_time: Option<DateTime<Utc>>,
    pub travel_time_minutes: Option<i32>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What one import did, per table, and every imported appointment as it
/// now stands (what the platform changed since included): what the other
/// services' read models are built from ([`fact`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    pub doctors: Counts,
    pub schedules: Counts,
    pub appointments: Counts,
    pub stored: Vec<appointment::Model>,
}

/// The slot row `legacy` stands for, or the refusal a new slot of that
/// shape would get (422 malformed, 409 overlapping one of `others`, the
/// doctor's slots already accepted).
pub fn schedule(legacy: &LegacySchedule, others: &[schedule::Model]) -> Result<schedule::Model> {
    let day = legacy.specific_date.is_none().then_some(legacy.day.as_str());
    let (start, end) = (slots::format_time(legacy.start), slots::format_time(legacy.end));
    let slot = shape(day, legacy.specific_date, &start, Some(&end))?;
    if clashes(&slot, others, None) {
        return Err(crate::schedules::overlap::slot_overlaps());
    }
    Ok(schedule::Model {
        id: legacy.id,
        doctor_id: legacy.doctor_id,
        day: slot.day,
        specific_date: slot.specific_date,
        start: slot.start,
        end: slot.end,
        created_at: legacy.created_at,
        updated_at: legacy.updated_at,
    })
}

/// The appointment row `legacy` stands for on `slot` (a slot of its
/// doctor) in the doctor's `timezone`, as of `now`; 422 when the slot is
/// not offered on its date. `lead_minutes` is the platform's reminder
/// lead time (imported patients have none of their own yet).
pub fn appointment(
    legacy: &LegacyAppointment,
    slot: &schedule::Model,
    timezone: &str,
    now: DateTime<Utc>,
    lead_minutes: i64,
) -> Result<appointment::Model> {
    let (start_at, end_at) = instants_of(slot, timezone, legacy.date)?;
    let status = match legacy.status {
        Status::Pending if start_at <= now => Status::Expired,
        s => s,
    };
    let (reminder_at, reminder_sent_at) = if status.is_active() && start_at > now {
        let at = reminder::due(start_at, None, lead_minutes);
        (Some(at), (at <= now).then_some(at))
    } else {
        (None, None)
    };
    Ok(appointment::Model {
        id: legacy.id,
        reason: legacy.reason.clone(),
        status,
        appointment_date: legacy.date,
        doctor_comment: legacy.doctor_comment.clone().filter(|c| !c.trim().is_empty()),
        patient_id: legacy.patient_id,
        doctor_id: legacy.doctor_id,
        schedule_id: slot.id,
        start_at,
        end_at,
        active_slot: status.slot_hold(),
        cancel_reason: None,
        check_in_time: legacy.check_in_time,
        check_out_time: legacy.check_out_time,
        travel_time_minutes: legacy.travel_time_minutes,
        reminder_sent_at,
        reminder_at,
        created_at: legacy.created_at,
        updated_at: legacy.updated_at,
    })
}

/// What the other services' read models learn of `row` (whose patient and
/// doctor have accounts `patient_user_id` and `doctor_user_id`): the
/// payload its events carry.
pub fn fact(row: &appointment::Model, patient_user_id: UserId, doctor_user_id: UserId) -> AppointmentFact {
    AppointmentFact {
        appointment: announce::payload(row, patient_user_id, doctor_user_id),
        active: row.status.is_active(),
        booked_at: row.created_at,
        changed_at: row.updated_at,
    }
}

/// The doctor directory row `doctor.changed` would have written.
fn directory_row(d: &catalog::DoctorChanged) -> doctor::Model {
    doctor::Model {
        doctor_id: d.doctor_id,
        user_id: d.user_id,
        name: d.name.clone(),
        specialty_id: d.specialty_id,
        city: d.city.clone(),
        timezone: d.timezone.clone(),
        status: d.status,
    }
}

/// Writes the doctor directory (rows missing only: the doctor service's
/// events keep existing ones current), the slots and the appointments in
/// one transaction: all or none. Slots and appointments come from
/// [`schedule()`] and [`appointment()`]. This run's `marks`
/// ([`kit::import::advance`]) are recorded in the same transaction: the
/// legacy rows count as absorbed here only once these writes committed.
pub async fn import(
    db: &DatabaseConnection,
    doctors: &[catalog::DoctorChanged],
    schedules: &[schedule::Model],
    appointments: &[appointment::Model],
    marks: &Watermarks,
) -> Result<Outcome> {
    let txn = kit::db::begin_write(db).await?;
    let mut outcome = Outcome::default();
    for d in doctors {
        let wanted = directory_row(d);
        let stored = doctor::Entity::find_by_id(wanted.doctor_id).one(&txn).await?;
        match stored {
            Some(_) => outcome.doctors.unchanged += 1,
            None => upsert(&txn, None, wanted, &mut outcome.doctors).await?,
        }
    }
    for wanted in schedules {
        let stored = schedule::Entity::find_by_id(wanted.id).one(&txn).await?;
        match &stored {
            Some(s) if s.updated_at > wanted.updated_at => outcome.schedules.unchanged += 1,
            _ => upsert(&txn, stored.as_ref(), wanted.clone(), &mut outcome.schedules).await?,
        }
    }
    for wanted in appointments {
        let row = write_appointment(&txn, wanted, &mut outcome.appointments).await?;
        outcome.stored.push(row);
    }
    kit::import::advance(&txn, marks).await?;
    txn.commit().await?;
    Ok(outcome)
}

/// Writes `wanted` unless the platform changed the row since; the row as
/// it now stands.
async fn write_appointment(
    txn: &DatabaseTransaction,
    wanted: &appointment::Model,
    counts: &mut Counts,
) -> Result<appointment::Model> {
    let stored = appointment::Entity::find_by_id(wanted.id).one(txn).await?;
    match stored {
        Some(s) if s.updated_at > wanted.updated_at => {
            counts.unchanged += 1;
            Ok(s)
        }
        stored => {
            // A reminder once sent stays sent.
            let reminder_sent_at =
                stored.as_ref().and_then(|s| s.reminder_sent_at).or(wanted.reminder_sent_at);
            let wanted = appointment::Model { reminder_sent_at, ..wanted.clone() };
            upsert(txn, stored.as_ref(), wanted.clone(), counts).await?;
            Ok(wanted)
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Datelike, Duration};

    use super::*;
    use crate::test_db;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn slot(id: i64, day: &str, specific_date: Option<NaiveDate>, start: NaiveTime) -> LegacySchedule {
        let at = DateTime::UNIX_EPOCH + Duration::days(20_000);
        LegacySchedule {
            id: ScheduleId(id),
            doctor_id: DoctorId(1),
            day: day.into(),
            specific_date,
            start,
            end: start + Duration::minutes(30),
            created_at: at,
            updated_at: at,
        }
    }

    /// Appointment `id` of patient 1 on `slot` `days` from today (its
    /// weekday), with legacy `status`.
    fn booked(id: i64, slot: &schedule::Model, days: i64, status: Status) -> LegacyAppointment {
        let mut date = Utc::now().date_naive() + Duration::days(days);
        while Some(slots::day_name(date.weekday())) != slot.day.as_deref() {
            date += Duration::days(1);
        }
        LegacyAppointment {
            id: AppointmentId(id),
            reason: "Suivi".into(),
            status,
            date,
            doctor_comment: Some(" ".into()),
            patient_id: PatientId(1),
            doctor_id: DoctorId(1),
            schedule_id: slot.id,
            check_in_time: None,
            check_out_time: None,
            travel_time_minutes: Some(20),
            created_at: slot.created_at,
            updated_at: slot.updated_at,
        }
    }

    #[test]
    fn legacy_slots_pass_the_rules_of_new_ones() {
        let monday = schedule(&slot(1, "monday", None, t(9, 0)), &[]).unwrap();
        assert_eq!(monday.day.as_deref(), Some("Monday"));
        let date = NaiveDate::from_ymd_opt(2030, 1, 7); // a Monday
        let once = schedule(&slot(2, "Monday", date, t(12, 0)), std::slice::from_ref(&monday)).unwrap();
        assert_eq!((once.day, once.specific_date), (None, date), "one-off rows lose their weekday");
        let clash = schedule(&slot(3, "Monday", date, t(9, 15)), &[monday]).err().map(|e| e.to_string());
        assert_eq!(clash.as_deref(), Some("the slot overlaps another slot of this doctor"));
        let backwards = LegacySchedule { end: t(8, 0), ..slot(4, "Tuesday", None, t(9, 0)) };
        assert!(matches!(schedule(&backwards, &[]), Err(kit::Error::Invalid { .. })));
    }

    #[test]
    fn history_is_never_due_and_the_future_is_reminded_like_a_booking() {
        let now = Utc::now();
        let weekly = schedule(&slot(1, "Wednesday", None, t(10, 0)), &[]).unwrap();
        let old = appointment(&booked(1, &weekly, -14, Status::Pending), &weekly, "UTC", now, 1440).unwrap();
        assert_eq!((old.status, old.active_slot, old.reminder_at), (Status::Expired, None, None));
        assert_eq!((old.doctor_comment, old.travel_time_minutes), (None, Some(20)));
        let soon =
            appointment(&booked(2, &weekly, 1, Status::Approved), &weekly, "UTC", now, 60 * 24 * 8).unwrap();
        assert_eq!((soon.active_slot, soon.reminder_sent_at), (Some(true), soon.reminder_at), "already due");
        let later = appointment(&booked(3, &weekly, 14, Status::Pending), &weekly, "UTC", now, 1440).unwrap();
        assert_eq!(later.reminder_at, Some(later.start_at - Duration::days(1)));
        assert_eq!(later.reminder_sent_at, None);
        let thursday = LegacyAppointment {
            date: later.appointment_date + Duration::days(1),
            ..booked(4, &weekly, 14, Status::Pending)
        };
        let e = appointment(&thursday, &weekly, "UTC", now, 1440).err().map(|e| e.to_string());
        assert_eq!(e.as_deref(), Some("date: the slot is not offered on that date"));
    }

    #[tokio::test]
    async fn imported_history_gives_the_jobs_nothing_to_do_and_a_rerun_changes_nothing() {
        let (_env, db) = test_db::sqlite().await;
        let now = Utc::now();
        let doctor = catalog::DoctorChanged {
            doctor_id: DoctorId(1),
            user_id: UserId(101),
            name: "Dr Legacy".into(),
            specialty_id: kit::ids::SpecialtyId(1),
            city: Some("Rabat".into()),
            timezone: "Africa/Casablanca".into(),
            status: catalog::DoctorStatus::Active,
        };
        let weekly = schedule(&slot(7, "Friday", None, t(10, 0)), &[]).unwrap();
        let rows: Vec<appointment::Model> =
            [(1, -21, Status::Pending), (2, -7, Status::Approved), (3, 1, Status::Approved)]
                .into_iter()
                .map(|(id, days, s)| {
                    appointment(&booked(id, &weekly, days, s), &weekly, &doctor.timezone, now, 60 * 24 * 8)
                        .unwrap()
                })
                .collect();
        let first = import(
            &db,
            std::slice::from_ref(&doctor),
            std::slice::from_ref(&weekly),
            &rows,
            &Watermarks::new(),
        )
        .await
        .unwrap();
        assert_eq!((first.doctors.written, first.schedules.written, first.appointments.written), (1, 1, 3));
        assert_eq!(crate::jobs::expire_due(&db).await.unwrap(), 0);
        assert_eq!(crate::jobs::remind_due(&db, Duration::days(8)).await.unwrap(), 0);
        let again = import(&db, &[doctor], &[weekly], &rows, &Watermarks::new()).await.unwrap();
        assert_eq!(
            (again.doctors.unchanged, again.schedules.unchanged, again.appointments.unchanged),
            (1, 1, 3)
        );
        assert_eq!(again.appointments.written, 0);
    }
}
