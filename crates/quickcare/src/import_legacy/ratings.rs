//! `ratings` → the rating service. A score outside 1..5, a patient or
//! doctor left out, or a second rating of one doctor by one patient (the
//! monolith meant to update in place) is reported and left out.

use std::collections::{HashMap, HashSet};

use kit::ids::{DoctorId, PatientId, RatingId};
use patient::import::LegacyPatient;
use rating::import::LegacyRating;

use super::{
    doctor_placeholder::LegacyDoctor,
    report::Report,
    source::{Legacy, instant},
};

/// The ratings to import, in legacy id order.
pub fn ratings(
    legacy: &Legacy,
    doctors: &[LegacyDoctor],
    patients: &[LegacyPatient],
    report: &mut Report,
) -> Vec<LegacyRating> {
    let doctors: HashSet<DoctorId> = doctors.iter().map(|d| d.id).collect();
    let patients: HashSet<PatientId> = patients.iter().map(|p| p.id).collect();
    let mut pairs: HashMap<(PatientId, DoctorId), i64> = HashMap::new();
    let mut out = Vec::new();
    for r in &legacy.ratings {
        let (patient_id, doctor_id) = (PatientId(r.patient_id), DoctorId(r.doctor_id));
        let reason = if !(1..=5).contains(&r.rating) {
            Some(format!("rating {} is not 1 to 5", r.rating))
        } else if !patients.contains(&patient_id) {
            Some(format!("patient {} is not imported", r.patient_id))
        } else if !doctors.contains(&doctor_id) {
            Some(format!("doctor {} is not imported", r.doctor_id))
        } else {
            pairs.get(&(patient_id, doctor_id)).map(|first| {
                format!("patient {} already rated doctor {} (ratings {first})", r.patient_id, r.doctor_id)
            })
        };
        if let Some(reason) = reason {
            report.skip("ratings", r.id, reason);
            continue;
        }
        pairs.insert((patient_id, doctor_id), r.id);
        out.push(LegacyRating {
            id: RatingId(r.id),
            patient_id,
            doctor_id,
            rating: r.rating,
            comment: r.comment.clone(),
            created_at: instant(r.created_at, r.updated_at),
            updated_at: instant(r.updated_at, r.created_at),
        });
    }
    out
}
