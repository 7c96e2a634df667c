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
    ids::{AppointmentId, DoctorId, PatientId, ScheduleId, SpecialtyId, UserId},
    import::{AppointmentFact, Counts, upsert},
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

/// What one import did, per table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub doctors: Counts,
    pub schedules: Counts,
    pub appointments: Counts,
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
        appointment: announce::payload(row, patient_user_id.0, doctor_user_id.0),
        active: row.status.is_active(),
        booked_at: row.created_at,
        changed_at: row.updated_at,
    }
}

/// The doctor directory row `doctor.changed` would have written.
fn directory_row(d: &catalog::DoctorChanged) -> doctor::Model {
    doctor::Model {
        doctor_id: DoctorId(d.doctor_id),
        user_id: UserId(d.user_id),
        name: d.name.clone(),
        specialty_id: SpecialtyId(d.specialty_id),
        city: d.city.clone(),
        timezone: d.timezone.clone(),
        status: d.status.clone(),
    }
}

/// Writes the doctor directory (rows missing only: the doctor service's
/// events keep existing ones current), the slots and the appointments in
/// one transaction: all or none. Slots and appointments come from
/// [`schedule`] and [`appointment`].
pub async fn import(
    db: &DatabaseConnection,
    doctors: &[catalog::DoctorChanged],
    schedules: &[schedule::Model],
    appointments: &[appointment::Model],
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
        write_appointment(&txn, wanted, &mut outcome.appointments).await?;
    }
    txn.commit().await?;
    Ok(outcome)
}

async fn write_appointment(
    txn: &DatabaseTransaction,
    wanted: &appointment::Model,
    counts: &mut Counts,
) -> Result<()> {
    let stored = appointment::Entity::find_by_id(wanted.id).one(txn).await?;
    match &stored {
        Some(s) if s.updated_at > wanted.updated_at => counts.unchanged += 1,
        _ => {
            // A reminder once sent stays sent.
            let reminder_sent_at =
                stored.as_ref().and_then(|s| s.reminder_sent_at).or(wanted.reminder_sent_at);
            let wanted = appointment::Model { reminder_sent_at, ..wanted.clone() };
            upsert(txn, stored.as_ref(), wanted, counts).await?;
        }
    }
    Ok(())
}
