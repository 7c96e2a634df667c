//! `ratings` → the rating service. A score outside 1..5, a patient or
//! doctor left out, or a second rating of one doctor by one patient (the
//! monolith meant to update in place) is reported and left out.

use std::collections::{HashMap, HashSet};

use kit::ids::{DoctorId, PatientId, RatingId};
use patient::import::LegacyPatient;
use rating::import::LegacyRating;

use doctor::import::LegacyDoctor;

use super::{
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

#[cfg(test)]
mod tests {
    use chrono::{DateTime, NaiveDate};
    use kit::ids::UserId;

    use super::*;
    use crate::import_legacy::source::RatingRow;

    fn rating(id: i64, patient_id: i64, doctor_id: i64, rating: i32) -> RatingRow {
        RatingRow { id, patient_id, doctor_id, rating, comment: None, created_at: None, updated_at: None }
    }

    #[test]
    fn one_rating_per_patient_and_doctor_within_the_scale() {
        let legacy = Legacy {
            ratings: vec![
                rating(1, 1, 1, 5),
                rating(2, 1, 1, 3),
                rating(3, 1, 1, 0),
                rating(4, 9, 1, 4),
                rating(5, 1, 9, 4),
            ],
            ..Legacy::default()
        };
        let doctors = [crate::import_legacy::doctors::for_tests(1, 2, "UTC")];
        let patients = [LegacyPatient {
            id: PatientId(1),
            user_id: UserId(5),
            name: "P".into(),
            cin: "AB1".into(),
            birth_date: NaiveDate::default(),
            address: None,
            created_at: DateTime::UNIX_EPOCH,
            updated_at: DateTime::UNIX_EPOCH,
        }];
        let mut report = Report::default();
        let kept = ratings(&legacy, &doctors, &patients, &mut report);
        assert_eq!(kept.iter().map(|r| (r.id.0, r.rating)).collect::<Vec<_>>(), [(1, 5)]);
        let skipped: Vec<(i64, &str)> = report.skipped.iter().map(|s| (s.id, s.reason.as_str())).collect();
        assert_eq!(
            skipped,
            [
                (2, "patient 1 already rated doctor 1 (ratings 1)"),
                (3, "rating 0 is not 1 to 5"),
                (4, "patient 9 is not imported"),
                (5, "doctor 9 is not imported"),
            ]
        );
    }
}
