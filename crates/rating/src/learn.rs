//! Read your own writes: the patient directory and the visits are filled
//! by events, which may still be on their way when a patient rates right
//! after registering or right after the doctor completed the visit. A miss
//! asks the owner once for the event that would have filled it and handles
//! it here as the bus would (`kit::internal::learn`); its delivery later is
//! a no-op (or, for visits, older than what is stored, and ignored).

use chrono::Utc;
use kit::Result;
use kit::{
    events::catalog::EventType,
    identity::AuthUser,
    ids::{DoctorId, PatientId},
    service::ServiceContext,
};

use crate::{eligibility, entity::patient, events::RatingEvents};

/// The patient record behind a patient's token.
pub async fn patient_of(ctx: &ServiceContext, caller: &AuthUser) -> Result<Option<patient::Model>> {
    if let Some(p) = eligibility::patient_of(&ctx.db, caller).await? {
        return Ok(Some(p));
    }
    if caller.role != kit::identity::Role::Patient {
        return Ok(None);
    }
    let path = format!("/internal/patients/by-user/{}", caller.user_id);
    let kind = EventType::PatientRegistered;
    if !kit::internal::learn(ctx, &RatingEvents, "patient", &path, kit::internal::of_kind(kind)).await? {
        return Ok(None);
    }
    Ok(eligibility::patient_of(&ctx.db, caller).await?)
}

/// Whether `patient_id` may rate `doctor_id`, asking the appointment
/// service when the visits here say no.
pub async fn may_rate(ctx: &ServiceContext, patient_id: PatientId, doctor_id: DoctorId) -> Result<bool> {
    if eligibility::may_rate(&ctx.db, patient_id, doctor_id, Utc::now()).await? {
        return Ok(true);
    }
    let path = format!("/internal/visits/{patient_id}/{doctor_id}");
    let visit = |e: &kit::events::Event| {
        e.event_type().is_some_and(|t| EventType::APPOINTMENT_CHANGES.contains(&t))
            && e.subject.as_deref().is_some_and(|s| s.starts_with("appointment/"))
    };
    if !kit::internal::learn(ctx, &RatingEvents, "appointment", &path, visit).await? {
        return Ok(false);
    }
    Ok(eligibility::may_rate(&ctx.db, patient_id, doctor_id, Utc::now()).await?)
}
