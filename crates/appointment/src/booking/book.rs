//! The booking itself: one write transaction that places the slot, checks
//! the patient's time, inserts (the unique index has the last word) and
//! announces `appointment.booked`.

use chrono::{NaiveDate, Utc};
use kit::{
    Result,
    events::catalog,
    ids::{PatientId, ScheduleId},
};
use sea_orm::{ActiveModelTrait, DatabaseConnection, Set};

use crate::{
    announce::announce,
    booking::{double_booking, patient_overlap, placement, reminder},
    entity::{appointment, doctor},
    status::Status,
};

/// What a booking asks for, once the caller is known to be allowed to
/// book for `patient_id`.
pub struct NewBooking {
    pub patient_id: PatientId,
    pub schedule_id: ScheduleId,
    pub date: NaiveDate,
    pub reason: String,
}

/// Books `booking` with `doctor` as a pending appointment; run again on a
/// deadlock or lock timeout (the transaction is the unit of retry).
/// `default_lead_minutes` is the platform's reminder lead time.
pub async fn book(
    db: &DatabaseConnection,
    doctor: &doctor::Model,
    booking: &NewBooking,
    default_lead_minutes: i64,
) -> Result<appointment::Model> {
    let mut retry = kit::db::Retry::default();
    loop {
        match insert(db, doctor, booking, default_lead_minutes).await {
            Err(e) if retry.again(&e).await => continue,
            done => return done,
        }
    }
}

async fn insert(
    db: &DatabaseConnection,
    doctor: &doctor::Model,
    booking: &NewBooking,
    default_lead_minutes: i64,
) -> Result<appointment::Model> {
    let txn = kit::db::begin_write(db).await?;
    let slot = placement::place(&txn, doctor, booking.schedule_id, booking.date).await?;
    patient_overlap::refuse_patient_overlap(&txn, booking.patient_id, slot.start_at, slot.end_at, None)
        .await?;
    let reminder_at =
        reminder::reminder_at(&txn, booking.patient_id, slot.start_at, default_lead_minutes).await?;
    let now = Utc::now();
    let row = double_booking::or_slot_taken(
        appointment::ActiveModel {
            reason: Set(booking.reason.clone()),
            status: Set(Status::Pending),
            appointment_date: Set(slot.date),
            patient_id: Set(booking.patient_id),
            doctor_id: Set(doctor.doctor_id),
            schedule_id: Set(slot.schedule.id),
            start_at: Set(slot.start_at),
            end_at: Set(slot.end_at),
            active_slot: Set(Status::Pending.slot_hold()),
            reminder_at: Set(Some(reminder_at)),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await,
    )?;
    announce(&txn, catalog::APPOINTMENT_BOOKED, &row).await?;
    txn.commit().await?;
    Ok(row)
}
