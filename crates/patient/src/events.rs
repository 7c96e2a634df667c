//! What the patient service learns from others' events.
//!
//! - `user.registered`: a patient account gets its profile (cin arrives
//!   sealed and is stored as is) and `patient.registered` announces it;
//!   every account gets a directory row.
//! - `user.updated`: the directory follows (upsert: it may be the first we hear).
//! - `user.deleted`: the record goes — profile, address, history, insurance,
//!   preferences, care rows, directory. The access log stays: it holds no
//!   PHI, and the audit trail must outlive the record.
//! - `appointment.*`: the care-relationship read model. A doctor may see a
//!   patient once any appointment between them was booked, and keeps that
//!   access afterwards (the record of a past visit stays reachable);
//!   `active_appointments` counts pending/approved ones for the listing.

use chrono::Utc;
use kit::events::{
    Event, Handler, HandlerError,
    catalog::{self, EventType},
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter, Set,
};

use crate::entity::{address, care, directory, history, insurance, patient, preferences};

pub const TYPES: &[EventType] = &[
    EventType::UserRegistered,
    EventType::UserUpdated,
    EventType::UserDeleted,
    EventType::AppointmentBooked,
    EventType::AppointmentApproved,
    EventType::AppointmentRescheduled,
    EventType::AppointmentCancelled,
    EventType::AppointmentExpired,
    EventType::AppointmentCompleted,
    EventType::AppointmentNoShow,
];

pub struct PatientEvents;

#[async_trait::async_trait]
impl Handler for PatientEvents {
    async fn handle(
        &self,
        txn: &DatabaseTransaction,
        kind: EventType,
        event: &Event,
    ) -> Result<(), HandlerError> {
        match kind {
            EventType::UserRegistered => registered(txn, event.data_as()?).await,
            EventType::UserUpdated => updated(txn, event.data_as()?).await,
            EventType::UserDeleted => deleted(txn, event.data_as()?).await,
            EventType::AppointmentBooked
            | EventType::AppointmentApproved
            | EventType::AppointmentRescheduled
            | EventType::AppointmentCancelled
            | EventType::AppointmentExpired
            | EventType::AppointmentCompleted
            | EventType::AppointmentNoShow => appointment(txn, kind, event.data_as()?).await,
            // Not in `TYPES`, so never delivered here.
            EventType::PasswordResetRequested
            | EventType::AppointmentReminderDue
            | EventType::ScheduleChanged
            | EventType::PatientRegistered
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

async fn upsert_directory(txn: &DatabaseTransaction, row: directory::Model) -> Result<(), HandlerError> {
    let existing = directory::Entity::find_by_id(row.user_id).one(txn).await?;
    let active = row.into_active_model().reset_all();
    if existing.is_some() {
        active.update(txn).await?;
    } else {
        directory::Entity::insert(active).exec(txn).await?;
    }
    Ok(())
}

async fn registered(txn: &DatabaseTransaction, u: catalog::UserRegistered) -> Result<(), HandlerError> {
    upsert_directory(
        txn,
        directory::Model {
            user_id: u.user_id,
            name: u.name.clone(),
            email: u.email,
            role: u.role,
            gender: u.gender,
            phone: u.phone,
            disabled: false,
        },
    )
    .await?;
    if u.role != kit::identity::Role::Patient {
        return Ok(());
    }
    let exists = patient::Entity::find().filter(patient::Column::UserId.eq(u.user_id)).one(txn).await?;
    if exists.is_some() {
        return Ok(());
    }
    let (Some(cin), Some(birth_date)) = (u.cin_sealed, u.birth_date) else {
        return Err(HandlerError::Permanent(anyhow::anyhow!(
            "patient registration without cin or birth date"
        )));
    };
    let now = Utc::now();
    let address_id = match u.address {
        Some(a) => Some(
            address::ActiveModel {
                rue: Set(a.street),
                ville: Set(a.city),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(txn)
            .await?
            .id,
        ),
        None => None,
    };
    let profile = patient::ActiveModel {
        cin: Set(cin),
        birth_date: Set(birth_date),
        user_id: Set(u.user_id),
        address_id: Set(address_id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let announced = catalog::PatientRegistered { patient_id: profile.id, user_id: u.user_id, name: u.name };
    kit::events::publish(
        txn,
        "patient",
        EventType::PatientRegistered,
        Some(format!("patient/{}", profile.id)),
        &announced,
    )
    .await?;
    Ok(())
}

async fn updated(txn: &DatabaseTransaction, u: catalog::UserUpdated) -> Result<(), HandlerError> {
    let role = directory::Entity::find_by_id(u.user_id).one(txn).await?.map(|d| d.role);
    upsert_directory(
        txn,
        directory::Model {
            user_id: u.user_id,
            name: u.name,
            email: u.email,
            role: role.unwrap_or(kit::identity::Role::Patient),
            gender: u.gender,
            phone: u.phone,
            disabled: u.disabled,
        },
    )
    .await
}

async fn deleted(txn: &DatabaseTransaction, u: catalog::UserDeleted) -> Result<(), HandlerError> {
    if let Some(p) = patient::Entity::find().filter(patient::Column::UserId.eq(u.user_id)).one(txn).await? {
        history::Entity::delete_many().filter(history::Column::PatientId.eq(p.id)).exec(txn).await?;
        insurance::Entity::delete_by_id(p.id).exec(txn).await?;
        preferences::Entity::delete_by_id(p.id).exec(txn).await?;
        care::Entity::delete_many().filter(care::Column::PatientId.eq(p.id)).exec(txn).await?;
        if let Some(a) = p.address_id {
            address::Entity::delete_by_id(a).exec(txn).await?;
        }
        patient::Entity::delete_by_id(p.id).exec(txn).await?;
    }
    care::Entity::delete_many().filter(care::Column::DoctorUserId.eq(u.user_id)).exec(txn).await?;
    directory::Entity::delete_by_id(u.user_id).exec(txn).await?;
    Ok(())
}

async fn appointment(
    txn: &DatabaseTransaction,
    kind: EventType,
    a: catalog::AppointmentChanged,
) -> Result<(), HandlerError> {
    let delta = match kind {
        EventType::AppointmentBooked => 1,
        EventType::AppointmentCancelled
        | EventType::AppointmentExpired
        | EventType::AppointmentCompleted
        | EventType::AppointmentNoShow => -1,
        _ => 0, // approved, rescheduled: still active, same count
    };
    let now = Utc::now();
    match care::Entity::find_by_id((a.doctor_user_id, a.patient_id)).one(txn).await? {
        Some(row) => {
            let count = (row.active_appointments + delta).max(0);
            let mut active = row.into_active_model();
            active.active_appointments = Set(count);
            active.last_seen_at = Set(now);
            active.update(txn).await?;
        }
        None => {
            care::Entity::insert(care::ActiveModel {
                doctor_user_id: Set(a.doctor_user_id),
                patient_id: Set(a.patient_id),
                active_appointments: Set(delta.max(0)),
                first_seen_at: Set(now),
                last_seen_at: Set(now),
            })
            .exec(txn)
            .await?;
        }
    }
    Ok(())
}
