//! What the appointment and notification services keep about each
//! imported doctor (their directories), as the doctor service's
//! `doctor.changed` would have told them: the account's name, the city of
//! its address, the specialty and zone of the profile.

use std::collections::HashMap;

use auth::import::LegacyUser;
use kit::{events::catalog, ids::UserId};

use super::{doctor_placeholder::LegacyDoctor, source::Legacy};

pub fn directory(
    legacy: &Legacy,
    accounts: &[LegacyUser],
    doctors: &[LegacyDoctor],
) -> Vec<catalog::DoctorChanged> {
    let names: HashMap<UserId, &str> = accounts.iter().map(|u| (u.id, u.name.as_str())).collect();
    let cities: HashMap<i64, &str> = legacy.addresses.iter().map(|a| (a.id, a.ville.as_str())).collect();
    let city_of: HashMap<UserId, &str> =
        legacy.users.iter().filter_map(|u| Some((UserId(u.id), *cities.get(&u.address_id?)?))).collect();
    doctors
        .iter()
        .map(|d| catalog::DoctorChanged {
            doctor_id: d.id.0,
            user_id: d.user_id.0,
            name: names.get(&d.user_id).copied().unwrap_or_default().to_owned(),
            specialty_id: d.specialty_id.0,
            city: city_of.get(&d.user_id).map(|c| c.trim().to_owned()),
            timezone: d.timezone.clone(),
            status: doctor::entity::doctor::Status::Active.as_str().to_owned(),
        })
        .collect()
}
