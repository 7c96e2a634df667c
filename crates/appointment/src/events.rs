//! What the appointment service learns from others' events: the doctor
//! directory (time zone, specialty, status) and the patient directory
//! (user id → patient id, names, reminder lead time from the notification
//! service's preferences). A doctor or patient who leaves takes their
//! upcoming appointments along: cancelled, so the slots free up and the
//! other party hears of it.

use chrono::Utc;
use kit::events::{
    Event, Handler, HandlerError,
    catalog::{self, EventType},
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter, Set,
};

use crate::{
    announce::announce,
    entity::{appointment, doctor, patient},
    status::{ACTIVE, Status, slot_hold},
};

pub const TYPES: &[EventType] = &[
    EventType::DoctorChanged,
    EventType::DoctorDeleted,
    EventType::PatientRegistered,
    EventType::UserUpdated,
    EventType::UserDeleted,
    EventType::NotificationPreferencesChanged,
];

pub struct AppointmentEvents;

#[async_trait::async_trait]
impl Handler for AppointmentEvents {
    async fn handle(
        &self,
        txn: &DatabaseTransaction,
        kind: EventType,
        event: &Event,
    ) -> Result<(), HandlerError> {
        match kind {
            EventType::DoctorChanged => doctor_changed(txn, event.data_as()?).await,
            EventType::DoctorDeleted => {
                let d: catalog::DoctorDeleted = event.data_as()?;
                // Past appointments stay (history); without a directory row
                // the doctor takes no new bookings and shows no availability.
                let reason = "the doctor no longer practises on QuickCare";
                cancel_upcoming(txn, appointment::Column::DoctorId, d.doctor_id, reason).await?;
                doctor::Entity::delete_by_id(d.doctor_id).exec(txn).await?;
                Ok(())
            }
            EventType::PatientRegistered => patient_registered(txn, event.data_as()?).await,
            EventType::UserUpdated => user_updated(txn, event.data_as()?).await,
            EventType::UserDeleted => {
                let u: catalog::UserDeleted = event.data_as()?;
                let gone =
                    patient::Entity::find().filter(patient::Column::UserId.eq(u.user_id)).all(txn).await?;
                for p in gone {
                    let reason = "the patient's account was closed";
                    cancel_upcoming(txn, appointment::Column::PatientId, p.patient_id, reason).await?;
                    patient::Entity::delete_by_id(p.patient_id).exec(txn).await?;
                }
                Ok(())
            }
            EventType::NotificationPreferencesChanged => lead_time(txn, event.data_as()?).await,
            // Not in `TYPES`, so never delivered here.
            EventType::UserRegistered
            | EventType::PasswordResetRequested
            | EventType::AppointmentBooked
            | EventType::AppointmentApproved
            | EventType::AppointmentCancelled
            | EventType::AppointmentRescheduled
            | EventType::AppointmentCompleted
            | EventType::AppointmentNoShow
            | EventType::AppointmentExpired
            | EventType::AppointmentReminderDue
            | EventType::ScheduleChanged
            | EventType::DoctorApplicationSubmitted
            | EventType::DoctorApplicationApproved
            | EventType::DoctorApplicationRejected
            | EventType::RatingSummaryChanged
            | EventType::PatientPreferencesChanged
            | EventType::NotificationCreated => Ok(()),
        }
    }
}

async fn doctor_changed(txn: &DatabaseTransaction, d: catalog::DoctorChanged) -> Result<(), HandlerError> {
    let row = doctor::Model::from(&d);
    let exists = doctor::Entity::find_by_id(d.doctor_id).one(txn).await?.is_some();
    let active = row.into_active_model().reset_all();
    if exists {
        active.update(txn).await?;
    } else {
        doctor::Entity::insert(active).exec(txn).await?;
    }
    Ok(())
}

/// Cancels the active appointments still ahead whose `column` is `id`, each
/// announced as `appointment.cancelled` (the patient gets the calendar
/// cancellation). Past ones are left for the expiry job and the record.
async fn cancel_upcoming(
    txn: &DatabaseTransaction,
    column: appointment::Column,
    id: impl Into<sea_orm::Value>,
    reason: &str,
) -> Result<(), HandlerError> {
    let now = Utc::now();
    let upcoming = appointment::Entity::find()
        .filter(column.eq(id))
        .filter(appointment::Column::Status.is_in(ACTIVE))
        .filter(appointment::Column::StartAt.gt(now))
        .all(txn)
        .await?;
    for a in upcoming {
        let mut active = a.into_active_model();
        active.status = Set(Status::Cancelled);
        active.active_slot = Set(slot_hold(Status::Cancelled));
        active.cancel_reason = Set(Some(reason.to_owned()));
        active.updated_at = Set(now);
        let row = active.update(txn).await?;
        announce(txn, EventType::AppointmentCancelled, &row)
            .await
            .map_err(|e| HandlerError::Retry(e.into()))?;
    }
    Ok(())
}

async fn patient_registered(
    txn: &DatabaseTransaction,
    p: catalog::PatientRegistered,
) -> Result<(), HandlerError> {
    if patient::Entity::find_by_id(p.patient_id).one(txn).await?.is_some() {
        return Ok(());
    }
    patient::ActiveModel {
        patient_id: Set(p.patient_id),
        user_id: Set(p.user_id),
        name: Set(p.name),
        reminder_minutes: Set(None),
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Names follow the account; the first `user.updated` may come before we
/// know the person, and is then nothing to us.
async fn user_updated(txn: &DatabaseTransaction, u: catalog::UserUpdated) -> Result<(), HandlerError> {
    if let Some(p) = patient::Entity::find().filter(patient::Column::UserId.eq(u.user_id)).one(txn).await? {
        let mut active = p.into_active_model();
        active.name = Set(u.name.clone());
        active.update(txn).await?;
    }
    if let Some(d) = doctor::Entity::find().filter(doctor::Column::UserId.eq(u.user_id)).one(txn).await? {
        let mut active = d.into_active_model();
        active.name = Set(u.name);
        active.update(txn).await?;
    }
    Ok(())
}

/// A patient's reminder lead time changed: it applies to their upcoming
/// appointments whose reminder has not gone out yet.
async fn lead_time(
    txn: &DatabaseTransaction,
    p: catalog::NotificationPreferencesChanged,
) -> Result<(), HandlerError> {
    let Some(row) = patient::Entity::find().filter(patient::Column::UserId.eq(p.user_id)).one(txn).await?
    else {
        return Ok(()); // not a patient of ours
    };
    let minutes = p.reminder_hours_before.saturating_mul(60);
    let patient_id = row.patient_id;
    let mut active = row.into_active_model();
    active.reminder_minutes = Set(Some(minutes));
    active.update(txn).await?;
    let upcoming = appointment::Entity::find()
        .filter(appointment::Column::PatientId.eq(patient_id))
        .filter(appointment::Column::ActiveSlot.eq(true))
        .filter(appointment::Column::ReminderSentAt.is_null())
        .filter(appointment::Column::StartAt.gt(chrono::Utc::now()))
        .all(txn)
        .await?;
    for a in upcoming {
        let at = a.start_at - chrono::Duration::minutes(i64::from(minutes));
        let mut active = a.into_active_model();
        active.reminder_at = Set(Some(at));
        active.update(txn).await?;
    }
    Ok(())
}
