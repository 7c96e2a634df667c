//! Appointment events: every change goes to the outbox in the transaction
//! that makes it, carrying the whole picture (catalog::AppointmentChanged).

use kit::{Result, events::catalog};
use sea_orm::{ConnectionTrait, EntityTrait};

use crate::entity::{appointment, doctor, patient};

pub async fn announce<C: ConnectionTrait>(conn: &C, kind: &str, a: &appointment::Model) -> Result<()> {
    // The catalog's payloads are plain integers (kit's, shared with every
    // consumer); the typed ids end here.
    // Both rows exist for anything booked through the API; imported
    // history may predate them, and 0 then says "unknown account".
    let patient_user_id =
        patient::Entity::find_by_id(a.patient_id).one(conn).await?.map(|p| p.user_id.0).unwrap_or(0);
    let doctor_user_id =
        doctor::Entity::find_by_id(a.doctor_id).one(conn).await?.map(|d| d.user_id.0).unwrap_or(0);
    let data = payload(a, patient_user_id, doctor_user_id);
    kit::events::publish(conn, "appointment", kind, Some(format!("appointment/{}", a.id)), &data).await?;
    Ok(())
}

/// What an event about `a` carries; the importer builds the same for the
/// read models it fills without events.
pub fn payload(
    a: &appointment::Model,
    patient_user_id: i64,
    doctor_user_id: i64,
) -> catalog::AppointmentChanged {
    catalog::AppointmentChanged {
        appointment_id: a.id.0,
        patient_id: a.patient_id.0,
        patient_user_id,
        doctor_id: a.doctor_id.0,
        doctor_user_id,
        status: a.status.to_string(),
        start_at: a.start_at,
        end_at: a.end_at,
        travel_time_minutes: a.travel_time_minutes,
    }
}
