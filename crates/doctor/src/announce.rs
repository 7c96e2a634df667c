//! The doctor service's outgoing events. Always called with the
//! transaction that made the change, so the event and the change commit
//! together or not at all.

use kit::events::catalog::{self, EventType};
use sea_orm::{ConnectionTrait, DbErr};

use crate::entity::doctor;

fn subject(d: &doctor::Model) -> Option<String> {
    Some(format!("doctor/{}", d.id))
}

/// `doctor.changed`: the whole public picture, after a create or a change.
pub async fn changed<C: ConnectionTrait>(conn: &C, d: &doctor::Model) -> Result<(), DbErr> {
    kit::events::publish(conn, "doctor", EventType::DoctorChanged, subject(d), &picture(d)).await?;
    Ok(())
}

/// What `doctor.changed` tells the other services of `d`.
pub fn picture(d: &doctor::Model) -> catalog::DoctorChanged {
    catalog::DoctorChanged {
        doctor_id: d.id,
        user_id: d.user_id,
        name: d.name.clone(),
        specialty_id: d.specialty_id,
        city: d.city.clone(),
        timezone: d.timezone.clone(),
        status: d.status,
    }
}

/// `doctor.deleted`: the profile is gone; read models drop it.
pub async fn deleted<C: ConnectionTrait>(conn: &C, d: &doctor::Model) -> Result<(), DbErr> {
    let payload = catalog::DoctorDeleted { doctor_id: d.id, user_id: d.user_id };
    kit::events::publish(conn, "doctor", EventType::DoctorDeleted, subject(d), &payload).await?;
    Ok(())
}
