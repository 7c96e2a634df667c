//! What the doctor service learns from others' events.
//!
//! - `user.registered` (role doctor, with a profile seed): the profile is
//!   created, or brought up to date when it already exists (upsert by
//!   `user_id`, so a replay or a second registration path never makes two).
//!   A seed naming a specialty unknown here is still accepted: auth
//!   validated it, and our copy of the specialty may simply lag.
//! - `user.updated`: the copied name follows; a disabled account's profile
//!   turns inactive (off the public listing, no new bookings). Re-enabling
//!   the account does not reactivate it by itself: an admin may have made
//!   it inactive for another reason, so that stays an admin's decision.
//! - `user.deleted`: the profile and its credentials go.
//! - `rating.summary_changed`: `avg_rating` and `rating_count` follow.
//! - appointment events feed the metrics' `appointment_facts` (see `facts`).
//!
//! Every profile change publishes `doctor.changed` / `doctor.deleted` in the
//! handler's transaction, so read models elsewhere follow exactly.

use chrono::Utc;
use kit::{
    events::{
        Event, Handler, HandlerError,
        catalog::{self, EventType},
    },
    identity::Role,
    ids::UserId,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter, Set,
};

use crate::{
    announce,
    entity::{credential, doctor},
    profiles::enrolment::Seed,
    read_models::{facts, summary},
};

pub const TYPES: &[EventType] = &[
    EventType::UserRegistered,
    EventType::UserUpdated,
    EventType::UserDeleted,
    EventType::AppointmentBooked,
    EventType::AppointmentApproved,
    EventType::AppointmentRescheduled,
    EventType::AppointmentCancelled,
    EventType::AppointmentCompleted,
    EventType::AppointmentNoShow,
    EventType::AppointmentExpired,
    EventType::RatingSummaryChanged,
];

pub struct DoctorEvents;

#[async_trait::async_trait]
impl Handler for DoctorEvents {
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
            EventType::RatingSummaryChanged => {
                summary::apply(txn, &event.data_as()?).await?;
                Ok(())
            }
            EventType::AppointmentBooked
            | EventType::AppointmentApproved
            | EventType::AppointmentRescheduled
            | EventType::AppointmentCancelled
            | EventType::AppointmentCompleted
            | EventType::AppointmentNoShow
            | EventType::AppointmentExpired => facts::record(txn, event.data_as()?).await,
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
            | EventType::PatientPreferencesChanged
            | EventType::NotificationCreated
            | EventType::NotificationPreferencesChanged => Ok(()),
        }
    }
}

async fn by_user(txn: &DatabaseTransaction, user_id: UserId) -> Result<Option<doctor::Model>, HandlerError> {
    Ok(doctor::Entity::find().filter(doctor::Column::UserId.eq(user_id)).one(txn).await?)
}

/// The seed's zone if it is a real IANA zone, else the platform default: a
/// bad zone from a producer must not cost the doctor their profile.
fn seed_timezone(tz: Option<String>) -> Option<String> {
    let tz = tz?;
    if tz.parse::<chrono_tz::Tz>().is_ok() {
        Some(tz)
    } else {
        tracing::warn!("doctor registration with an unknown time zone; using the default");
        None
    }
}

async fn registered(txn: &DatabaseTransaction, u: catalog::UserRegistered) -> Result<(), HandlerError> {
    if u.role != Role::Doctor {
        return Ok(());
    }
    let Some(seed) = u.doctor else {
        // Without a specialty and degree there is no profile to show; an
        // admin creating doctors always sends a seed.
        tracing::warn!(user_id = %u.user_id, "doctor account registered without a profile seed");
        return Ok(());
    };
    let now = Utc::now();
    let timezone = seed_timezone(seed.timezone);
    let city = u.address.map(|a| a.city);
    let profile = match by_user(txn, u.user_id).await? {
        Some(existing) => {
            let mut active = existing.into_active_model();
            active.name = Set(u.name);
            active.degree = Set(seed.degree);
            active.specialty_id = Set(seed.specialty_id);
            if let Some(tz) = timezone {
                active.timezone = Set(tz);
            }
            if u.birth_date.is_some() {
                active.birth_date = Set(u.birth_date);
            }
            active.updated_at = Set(now);
            active.update(txn).await?
        }
        None => {
            let seed = Seed {
                user_id: u.user_id,
                name: u.name,
                birth_date: u.birth_date,
                degree: seed.degree,
                specialty_id: seed.specialty_id,
                city,
                timezone,
            };
            seed.into_row(now).insert(txn).await?
        }
    };
    announce::changed(txn, &profile).await?;
    Ok(())
}

async fn updated(txn: &DatabaseTransaction, u: catalog::UserUpdated) -> Result<(), HandlerError> {
    let Some(existing) = by_user(txn, u.user_id).await? else {
        return Ok(()); // not a doctor, or no profile (yet): nothing of ours changes
    };
    let mut active = existing.into_active_model();
    // Only real differences count: an update that changes nothing of ours
    // (a new phone number, say) announces nothing.
    active.name.set_if_not_equals(u.name);
    if u.disabled {
        active.status.set_if_not_equals(doctor::Status::Inactive);
    }
    if !active.is_changed() {
        return Ok(());
    }
    active.updated_at = Set(Utc::now());
    let profile = active.update(txn).await?;
    announce::changed(txn, &profile).await?;
    Ok(())
}

async fn deleted(txn: &DatabaseTransaction, u: catalog::UserDeleted) -> Result<(), HandlerError> {
    if let Some(profile) = by_user(txn, u.user_id).await? {
        remove(txn, &profile).await?;
    }
    Ok(())
}

/// Deletes a profile with its credentials and announces it. Shared by the
/// account deletion above and the admin's DELETE.
pub async fn remove(txn: &DatabaseTransaction, profile: &doctor::Model) -> Result<(), sea_orm::DbErr> {
    credential::Entity::delete_many().filter(credential::Column::DoctorId.eq(profile.id)).exec(txn).await?;
    doctor::Entity::delete_by_id(profile.id).exec(txn).await?;
    announce::deleted(txn, profile).await
}
