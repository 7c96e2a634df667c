//! The booking itself: one write transaction that places the slot, checks
//! the patient's time, inserts (the unique index has the last word) and
//! announces `appointment.booked`.

use chrono::{NaiveDate, Utc};
use kit::{
    Result,
    events::catalog::EventType,
    ids::{PatientId, ScheduleId},
};
use sea_orm::{ActiveModelTrait, DatabaseConnection, Set};

use crate::{
    announce::announce,
    booking::{double_booking, patient_overlap, placement, reminder},
    entity::{appointment, doctor},
    status::{Status, slot_hold},
};

/// What a booking asks for, once the caller is known to be allowed to
/// book for `patient_id`.
pub struct NewBooking {
    pub patient_id: PatientId,
    pub schedule_id: ScheduleId,
    pub date: NaiveDate,
    pub reason: String,
    /// When the patient can come, trimmed; `None` when they said nothing.
    pub patient_availability: Option<String>,
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
            active_slot: Set(slot_hold(Status::Pending)),
            reminder_at: Set(Some(reminder_at)),
            patient_availability: Set(booking.patient_availability.clone()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await,
    )?;
    announce(&txn, EventType::AppointmentBooked, &row).await?;
    txn.commit().await?;
    Ok(row)
}

#[cfg(test)]
mod tests {
    use chrono::{Datelike, Duration, Weekday};

    use super::*;
    use crate::test_db;

    /// A Wednesday at least two days ahead.
    fn next_wednesday() -> NaiveDate {
        let mut d = Utc::now().date_naive() + Duration::days(2);
        while d.weekday() != Weekday::Wed {
            d += Duration::days(1);
        }
        d
    }

    fn booking(patient_id: PatientId, schedule_id: ScheduleId, date: NaiveDate) -> NewBooking {
        NewBooking { patient_id, schedule_id, date, reason: "checkup".into(), patient_availability: None }
    }

    #[tokio::test]
    async fn a_booking_holds_its_slot_and_its_patients_time() {
        let (_env, db) = test_db::sqlite().await;
        let doctor = test_db::doctor(&db, 1).await;
        let (amina, omar) = (test_db::patient(&db, 1).await, test_db::patient(&db, 2).await);
        let nine = test_db::weekly_slot(&db, doctor.doctor_id, "Wednesday", "09:00").await;
        let quarter_past = test_db::weekly_slot(&db, doctor.doctor_id, "Thursday", "09:15").await;
        let day = next_wednesday();

        let row = book(&db, &doctor, &booking(amina, nine, day), 1440).await.unwrap();
        assert_eq!((row.status, row.active_slot), (Status::Pending, Some(true)));
        assert_eq!(row.reminder_at, Some(row.start_at - Duration::hours(24)));

        let taken = book(&db, &doctor, &booking(omar, nine, day), 1440).await.err().map(|e| e.to_string());
        assert_eq!(taken.as_deref(), Some("the slot is already taken"));
        let wrong_day = book(&db, &doctor, &booking(omar, quarter_past, day), 1440).await;
        assert!(matches!(wrong_day, Err(kit::Error::Invalid { .. })), "a Thursday slot on a Wednesday");
        let next_week = book(&db, &doctor, &booking(omar, nine, day + Duration::weeks(1)), 1440).await;
        assert!(next_week.is_ok(), "the same slot is free another week");
    }

    #[tokio::test]
    async fn a_patient_cannot_be_in_two_places_at_once() {
        let (_env, db) = test_db::sqlite().await;
        let (first, second) = (test_db::doctor(&db, 1).await, test_db::doctor(&db, 2).await);
        let amina = test_db::patient(&db, 1).await;
        let nine = test_db::weekly_slot(&db, first.doctor_id, "Wednesday", "09:00").await;
        let quarter_past = test_db::weekly_slot(&db, second.doctor_id, "Wednesday", "09:15").await;
        let day = next_wednesday();
        book(&db, &first, &booking(amina, nine, day), 1440).await.unwrap();
        let busy =
            book(&db, &second, &booking(amina, quarter_past, day), 1440).await.err().map(|e| e.to_string());
        assert_eq!(busy.as_deref(), Some("the patient already has an appointment at that time"));
    }
}
