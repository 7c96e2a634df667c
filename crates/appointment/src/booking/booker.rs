//! Who a booking is for: patients book for themselves; doctors (into their
//! own slots) and admins name the patient.

use kit::{
    Error, Result,
    ids::{DoctorId, PatientId},
};

use crate::actor::Actor;

/// The patient `actor` books for, given the doctor and patient a request
/// names; 403 for a doctor booking into another's slots, 422 when a doctor
/// or admin names no patient.
pub fn patient_of_booking(
    actor: &Actor,
    doctor_id: DoctorId,
    patient_id: Option<PatientId>,
) -> Result<PatientId> {
    match actor {
        Actor::Patient(p) => Ok(p.patient_id),
        Actor::Doctor(d) if d.doctor_id != doctor_id => {
            Err(Error::forbidden("doctors book into their own slots"))
        }
        _ => patient_id.ok_or_else(|| Error::invalid("patient_id", "is required")),
    }
}

#[cfg(test)]
mod tests {
    use kit::ids::{SpecialtyId, UserId};

    use super::*;
    use crate::entity::{doctor, patient};

    #[test]
    fn patients_book_for_themselves_whatever_they_name() {
        let me = Actor::Patient(patient::Model {
            patient_id: PatientId(7),
            user_id: UserId(70),
            name: "P".into(),
            reminder_minutes: None,
        });
        assert_eq!(patient_of_booking(&me, DoctorId(1), Some(PatientId(8))).ok(), Some(PatientId(7)));
    }

    #[test]
    fn doctors_book_into_their_own_slots_and_name_the_patient() {
        let doc = Actor::Doctor(doctor::Model {
            doctor_id: DoctorId(1),
            user_id: UserId(10),
            name: "Dr".into(),
            specialty_id: SpecialtyId(1),
            city: None,
            timezone: "UTC".into(),
            status: doctor::Status::Active,
        });
        assert!(matches!(
            patient_of_booking(&doc, DoctorId(2), Some(PatientId(8))),
            Err(Error::Forbidden(_))
        ));
        assert!(matches!(patient_of_booking(&doc, DoctorId(1), None), Err(Error::Invalid { .. })));
        assert_eq!(patient_of_booking(&doc, DoctorId(1), Some(PatientId(8))).ok(), Some(PatientId(8)));
        assert_eq!(
            patient_of_booking(&Actor::Admin, DoctorId(2), Some(PatientId(8))).ok(),
            Some(PatientId(8))
        );
    }
}
