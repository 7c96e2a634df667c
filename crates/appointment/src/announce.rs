//! Appointment events: every change goes to the outbox in the transaction
//! that makes it, carrying the whole picture (catalog::AppointmentChanged).

use kit::{
    Result,
    events::catalog::{self, EventType},
    ids::UserId,
};
use sea_orm::{ConnectionTrait, EntityTrait};

use crate::entity::{appointment, doctor, patient};

pub async fn announce<C: ConnectionTrait>(conn: &C, kind: EventType, a: &appointment::Model) -> Result<()> {
    // Both rows exist for anything booked through the API; imported
    // history may predate them, and 0 then says "unknown account".
    let patient_user_id =
        patient::Entity::find_by_id(a.patient_id).one(conn).await?.map_or(UserId(0), |p| p.user_id);
    let doctor_user_id =
        doctor::Entity::find_by_id(a.doctor_id).one(conn).await?.map_or(UserId(0), |d| d.user_id);
    let data = payload(a, patient_user_id, doctor_user_id);
    kit::events::publish(conn, "appointment", kind, Some(format!("appointment/{}", a.id)), &data).await?;
    Ok(())
}

/// What an event about `a` carries; the importer builds the same for the
/// read models it fills without events.
pub fn payload(
    a: &appointment::Model,
    patient_user_id: UserId,
    doctor_user_id: UserId,
) -> catalog::AppointmentChanged {
    catalog::AppointmentChanged {
        appointment_id: a.id,
        patient_id: a.patient_id,
        patient_user_id,
        doctor_id: a.doctor_id,
        doctor_user_id,
        status: a.status,
        start_at: a.start_at,
        end_at: a.end_at,
        travel_time_minutes: a.travel_time_minutes,
    }
}
