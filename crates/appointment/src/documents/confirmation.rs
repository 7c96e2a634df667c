//! The appointment confirmation a patient prints or forwards: who, when in
//! the doctor's zone and in UTC, and why.

use chrono::Utc;
use kit::Result;
use sea_orm::{ConnectionTrait, EntityTrait};

use crate::{
    entity::{appointment, doctor, patient},
    slots,
};

/// The confirmation of `a` as a PDF. Names missing from the read models
/// (imported history) print empty rather than failing the download.
pub async fn render<C: ConnectionTrait>(db: &C, a: &appointment::Model) -> Result<Vec<u8>> {
    let doctor = doctor::Entity::find_by_id(a.doctor_id).one(db).await?;
    let patient = patient::Entity::find_by_id(a.patient_id).one(db).await?;
    let tz = slots::zone(doctor.as_ref().map(|d| d.timezone.as_str()).unwrap_or_default());
    let local = a.start_at.with_timezone(&tz);
    let lines = vec![
        format!("Appointment no. {}", a.id),
        format!("Status: {}", a.status),
        String::new(),
        format!("Doctor: {}", doctor.map(|d| d.name).unwrap_or_default()),
        format!("Patient: {}", patient.map(|p| p.name).unwrap_or_default()),
        format!("When: {} ({})", local.format("%A %d %B %Y, %H:%M"), tz.name()),
        format!("UTC: {} to {}", a.start_at.format("%Y-%m-%d %H:%M"), a.end_at.format("%H:%M")),
        format!("Reason: {}", a.reason),
        String::new(),
        format!("Issued {} UTC by QuickCare.", Utc::now().format("%Y-%m-%d %H:%M")),
    ];
    Ok(super::pdf::render("Appointment confirmation", &lines))
}
