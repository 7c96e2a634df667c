//! What the appointment and notification services keep about each
//! imported doctor (their directories), as the doctor service's
//! `doctor.changed` would have told them: the account's name, the city of
//! its address, the specialty, zone and status of the profile.

use doctor::import::LegacyDoctor;
use kit::events::catalog;

pub fn directory(doctors: &[LegacyDoctor]) -> Vec<catalog::DoctorChanged> {
    doctors
        .iter()
        .map(|d| catalog::DoctorChanged {
            doctor_id: d.id,
            user_id: d.user_id,
            name: d.name.clone(),
            specialty_id: d.specialty_id,
            city: d.city.clone(),
            timezone: d.timezone.clone(),
            status: d.status,
        })
        .collect()
}
