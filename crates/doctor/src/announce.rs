//! The doctor service's outgoing events. Always called with the
//! transaction that made the change, so the event and the change commit
//! together or not at all.

use kit::events::catalog;
use sea_orm::{ConnectionTrait, DbErr};

use crate::entity::doctor;

fn subject(d: &doctor::Model) -> Option<String> {
    Some(format!("doctor/{}", d.id))
}

/// `doctor.changed`: the whole public picture, after a create or a change.
pub async fn changed<C: ConnectionTrait>(conn: &C, d: &doctor::Model) -> Result<(), DbErr> {
    let payload = catalog::DoctorChanged {
        doctor_id: d.id.0,
        user_id: d.user_id.0,
        name: d.name.clone(),
        specialty_id: d.specialty_id.0,
        city: d.city.clone(),
        timezone: d.timezone.clone(),
        status: d.status.as_str().to_owned(),
    };
    kit::events::publish(conn, "doctor", catalog::DOCTOR_CHANGED, subject(d), &payload).await?;
    Ok(())
}

/// `doctor.deleted`: the profile is gone; read models drop it.
pub async fn deleted<C: ConnectionTrait>(conn: &C, d: &doctor::Model) -> Result<(), DbErr> {
    let payload = catalog::DoctorDeleted { doctor_id: d.id.0, user_id: d.user_id.0 };
    kit::events::publish(conn, "doctor", catalog::DOCTOR_DELETED, subject(d), &payload).await?;
    Ok(())
}
