//! What the rating service learns from others' events:
//!
//! - `patient.registered`: the patient directory (user id → patient id).
//! - every `appointment.*` event: the `visits` eligibility is decided on,
//!   upserted by appointment id; an event older than the stored status is
//!   ignored, so the latest status wins whatever the delivery order. The
//!   patient pair the event carries also fills the directory, in case the
//!   registration event is older than the bus keeps.
//! - `user.deleted` (patients): their ratings go, with their reports and
//!   their read-model rows; the summaries of the doctors they rated are
//!   recomputed and announced.

use chrono::{DateTime, Utc};
use kit::{
    events::{
        Event, Handler, HandlerError,
        catalog::{self, EventType},
    },
    identity::Role,
    ids::{DoctorId, PatientId, UserId},
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter,
    Set,
};

use crate::{
    entity::{patient, rating, report, visit},
    summaries,
};

pub const TYPES: &[EventType] = &[
    EventType::AppointmentBooked,
    EventType::AppointmentApproved,
    EventType::AppointmentCancelled,
    EventType::AppointmentRescheduled,
    EventType::AppointmentCompleted,
    EventType::AppointmentNoShow,
    EventType::AppointmentExpired,
    EventType::PatientRegistered,
    EventType::UserDeleted,
];

pub struct RatingEvents;

#[async_trait::async_trait]
impl Handler for RatingEvents {
    async fn handle(
        &self,
        txn: &DatabaseTransaction,
        kind: EventType,
        event: &Event,
    ) -> Result<(), HandlerError> {
        match kind {
            EventType::PatientRegistered => {
                let p: catalog::PatientRegistered = event.data_as()?;
                known_patient(txn, p.patient_id, p.user_id).await
            }
            EventType::UserDeleted => {
                let u: catalog::UserDeleted = event.data_as()?;
                if u.role == Role::Patient {
                    patient_deleted(txn, u.user_id).await?;
                }
                Ok(())
            }
            EventType::AppointmentBooked
            | EventType::AppointmentApproved
            | EventType::AppointmentCancelled
            | EventType::AppointmentRescheduled
            | EventType::AppointmentCompleted
            | EventType::AppointmentNoShow
            | EventType::AppointmentExpired => visit_changed(txn, event.data_as()?, event.time).await,
            // Not in `TYPES`, so never delivered here.
            EventType::UserRegistered
            | EventType::UserUpdated
            | EventType::PasswordResetRequested
            | EventType::AppointmentReminderDue
            | EventType::ScheduleChanged
            | EventType::DoctorChanged
            | EventType::DoctorDeleted
            | EventType::DoctorApplicationSubmitted
            | EventType::DoctorApplicationApproved
            | EventType::DoctorApplicationRejected
            | EventType::RatingSummaryChanged
            | EventType::PatientPreferencesChanged
            | EventType::NotificationCreated
            | EventType::NotificationPreferencesChanged => Ok(()),
        }
    }
}

/// Records `patient_id` ↔ `user_id` unless either is already known (a
/// replayed or duplicated registration changes nothing).
async fn known_patient(
    txn: &DatabaseTransaction,
    patient_id: PatientId,
    user_id: UserId,
) -> Result<(), HandlerError> {
    // Imported history may carry 0 for an unknown account.
    if user_id.0 <= 0 {
        return Ok(());
    }
    let either = Condition::any()
        .add(patient::Column::PatientId.eq(patient_id))
        .add(patient::Column::UserId.eq(user_id));
    if patient::Entity::find().filter(either).one(txn).await?.is_none() {
        patient::ActiveModel { patient_id: Set(patient_id), user_id: Set(user_id) }.insert(txn).await?;
    }
    Ok(())
}

async fn visit_changed(
    txn: &DatabaseTransaction,
    a: catalog::AppointmentChanged,
    at: DateTime<Utc>,
) -> Result<(), HandlerError> {
    known_patient(txn, a.patient_id, a.patient_user_id).await?;
    match visit::Entity::find_by_id(a.appointment_id).one(txn).await? {
        Some(v) if v.changed_at > at => {}
        Some(v) => {
            let mut active = v.into_active_model();
            active.patient_id = Set(a.patient_id);
            active.doctor_id = Set(a.doctor_id);
            active.status = Set(a.status);
            active.start_at = Set(a.start_at);
            active.changed_at = Set(at);
            active.update(txn).await?;
        }
        None => {
            visit::ActiveModel {
                appointment_id: Set(a.appointment_id),
                patient_id: Set(a.patient_id),
                doctor_id: Set(a.doctor_id),
                status: Set(a.status),
                start_at: Set(a.start_at),
                changed_at: Set(at),
            }
            .insert(txn)
            .await?;
        }
    }
    Ok(())
}

/// An account is gone: its ratings (and the reports on them) too, and the
/// doctors it rated get their summaries recomputed.
async fn patient_deleted(txn: &DatabaseTransaction, user_id: UserId) -> Result<(), HandlerError> {
    report::Entity::delete_many().filter(report::Column::ReporterUserId.eq(user_id)).exec(txn).await?;
    let Some(p) = patient::Entity::find().filter(patient::Column::UserId.eq(user_id)).one(txn).await? else {
        return Ok(());
    };
    let mut doctors: Vec<DoctorId> = rating::Entity::find()
        .filter(rating::Column::PatientId.eq(p.patient_id))
        .all(txn)
        .await?
        .into_iter()
        .map(|r| r.doctor_id)
        .collect();
    // Locks in one order everywhere, so two deletions cannot deadlock.
    doctors.sort_unstable();
    for doctor_id in doctors {
        summaries::lock(txn, doctor_id).await?;
        let mine = rating::Entity::find()
            .filter(rating::Column::PatientId.eq(p.patient_id))
            .filter(rating::Column::DoctorId.eq(doctor_id))
            .one(txn)
            .await?;
        if let Some(r) = mine {
            report::Entity::delete_many().filter(report::Column::RatingId.eq(r.id)).exec(txn).await?;
            rating::Entity::delete_by_id(r.id).exec(txn).await?;
            summaries::announce_if(txn, doctor_id, r.status == rating::Status::Published, false).await?;
        }
    }
    visit::Entity::delete_many().filter(visit::Column::PatientId.eq(p.patient_id)).exec(txn).await?;
    patient::Entity::delete_by_id(p.patient_id).exec(txn).await?;
    Ok(())
}
