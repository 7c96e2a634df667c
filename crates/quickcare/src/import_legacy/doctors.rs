//! `specialities` → specialties and `doctors` → doctor profiles. A profile
//! whose account was left out or is not a doctor's, that names a
//! specialty that was left out or never existed, or that is a second one
//! for its user, is reported and left out too — and so, by whoever imports
//! them, is everything that hangs off it (schedules, appointments,
//! ratings: see [`profiles`]). A specialty or profile whose id QuickCare
//! gave a row of its own is left out the same way (`taken`), the
//! specialties before the profiles are checked against them.

use std::collections::{HashMap, HashSet};

use auth::import::LegacyUser;
use doctor::{
    entity::doctor::Status,
    import::{DEFAULT_TIMEZONE, LegacyDoctor, LegacySpecialty},
};
use kit::{
    identity::Role,
    ids::{DoctorId, SpecialtyId, UserId},
};

use super::{
    report::Report,
    source::{Legacy, instant},
};

/// The specialties to import, in legacy id order; every one left out is
/// reported.
pub fn specialties(legacy: &Legacy, report: &mut Report) -> Vec<LegacySpecialty> {
    let (accepted, refused) = checked_specialties(legacy);
    for (id, reason) in refused {
        report.skip("specialities", id, reason);
    }
    accepted
}

/// A specialty name as names are compared: unique whatever the case, as
/// the doctor service has them.
pub fn specialty_key(raw: &str) -> String {
    raw.trim().to_lowercase()
}

/// The specialties kept and the `(id, reason)` of those left out.
fn checked_specialties(legacy: &Legacy) -> (Vec<LegacySpecialty>, Vec<(i64, String)>) {
    let mut names: HashMap<String, i64> = HashMap::new();
    let (mut accepted, mut refused) = (Vec::new(), Vec::new());
    for s in &legacy.doctor_side.specialities {
        let name = s.name.trim();
        if name.is_empty() {
            refused.push((s.id, "empty name".to_owned()));
            continue;
        }
        let key = specialty_key(name);
        if let Some(first) = names.get(&key) {
            refused.push((s.id, format!("duplicate name (specialities {first} has it)")));
            continue;
        }
        names.insert(key, s.id);
        accepted.push(LegacySpecialty {
            id: SpecialtyId(s.id),
            name: name.to_owned(),
            created_at: instant(s.created_at, s.updated_at),
            updated_at: instant(s.updated_at, s.created_at),
        });
    }
    (accepted, refused)
}

/// The profiles to import, in legacy id order, on the `specialties` kept
/// (by [`specialties`], and of those the ids QuickCare has not given away):
/// the set of imported doctors everything doctor-owned is checked against.
/// Every row left out is reported (the specialties' own refusals where
/// they were left out).
pub fn profiles(
    legacy: &Legacy,
    accounts: &[LegacyUser],
    specialties: &[LegacySpecialty],
    report: &mut Report,
) -> Vec<LegacyDoctor> {
    let known: HashMap<UserId, &LegacyUser> = accounts.iter().map(|u| (u.id, u)).collect();
    let users: HashMap<i64, Option<i64>> = legacy.users.iter().map(|u| (u.id, u.address_id)).collect();
    let cities: HashMap<i64, &str> = legacy.addresses.iter().map(|a| (a.id, a.ville.as_str())).collect();
    let specialties: HashSet<SpecialtyId> = specialties.iter().map(|s| s.id).collect();
    let legacy_specialties: HashSet<i64> = legacy.doctor_side.specialities.iter().map(|s| s.id).collect();
    let mut holders: HashMap<UserId, i64> = HashMap::new();
    let mut out = Vec::new();
    for d in &legacy.doctor_side.doctors {
        let user_id = UserId(d.user_id);
        let Some(account) = known.get(&user_id) else {
            let reason = if users.contains_key(&d.user_id) {
                format!("its user {} was skipped", d.user_id)
            } else {
                format!("dangling user_id {}", d.user_id)
            };
            report.skip("doctors", d.id, reason);
            continue;
        };
        if account.role != Role::Doctor {
            let reason = format!("user {} is not a doctor ({})", d.user_id, account.role.as_str());
            report.skip("doctors", d.id, reason);
            continue;
        }
        if let Some(first) = holders.get(&user_id) {
            report.skip("doctors", d.id, format!("user {} already has doctors {first}", d.user_id));
            continue;
        }
        let specialty_id = SpecialtyId(d.specialty_id);
        if !specialties.contains(&specialty_id) {
            let reason = if legacy_specialties.contains(&d.specialty_id) {
                format!("its specialty {} was skipped", d.specialty_id)
            } else {
                format!("dangling specialty_id {}", d.specialty_id)
            };
            report.skip("doctors", d.id, reason);
            continue;
        }
        holders.insert(user_id, d.id);
        out.push(LegacyDoctor {
            id: DoctorId(d.id),
            user_id,
            name: account.name.clone(),
            birth_date: d.birth_date,
            degree: d.degree.trim().to_owned(),
            status: status(d.id, &d.status, report),
            specialty_id,
            city: users
                .get(&d.user_id)
                .copied()
                .flatten()
                .and_then(|a| cities.get(&a))
                .map(|c| (*c).to_owned()),
            timezone: DEFAULT_TIMEZONE.to_owned(),
            created_at: instant(d.created_at, d.updated_at),
            updated_at: instant(d.updated_at, d.created_at),
        });
    }
    out
}

/// The monolith wrote `active` (in any case); anything else it may hold
/// keeps the doctor and their history, off the public listing until an
/// admin decides, with a warning.
fn status(id: i64, legacy: &str, report: &mut Report) -> Status {
    match Status::parse(&legacy.trim().to_lowercase()) {
        Some(status) => status,
        None => {
            report.warn("doctors", id, format!("unknown status {legacy:?}, imported inactive"));
            Status::Inactive
        }
    }
}

/// A profile as `profiles` makes one, for the other modules' unit tests.
#[cfg(test)]
pub fn for_tests(id: i64, user_id: i64, timezone: &str) -> LegacyDoctor {
    LegacyDoctor {
        id: DoctorId(id),
        user_id: UserId(user_id),
        name: format!("Doctor {id}"),
        birth_date: chrono::NaiveDate::default(),
        degree: "MD".into(),
        status: doctor::entity::doctor::Status::Active,
        specialty_id: kit::ids::SpecialtyId(1),
        city: None,
        timezone: timezone.into(),
        created_at: chrono::DateTime::UNIX_EPOCH,
        updated_at: chrono::DateTime::UNIX_EPOCH,
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::import_legacy::source::{
        AddressRow, UserRow,
        doctors::{DoctorRow, DoctorTables, SpecialityRow},
    };

    fn user(id: i64, user_type: &str, address_id: Option<i64>) -> UserRow {
        UserRow::for_tests(id, &format!("Dr {id}"), &format!("user{id}@example.com"), user_type, address_id)
    }

    fn doctor(id: i64, user_id: i64, specialty_id: i64, status: &str) -> DoctorRow {
        DoctorRow {
            id,
            birth_date: NaiveDate::from_ymd_opt(1970, 1, 1).unwrap(),
            degree: " MD ".into(),
            status: status.into(),
            specialty_id,
            user_id,
            created_at: None,
            updated_at: None,
        }
    }

    fn specialty(id: i64, name: &str) -> SpecialityRow {
        SpecialityRow { id, name: name.into(), created_at: None, updated_at: None }
    }

    #[test]
    fn profiles_follow_their_accounts_and_specialties() {
        let legacy = Legacy {
            users: vec![
                user(1, "doctor", Some(10)),
                user(2, "patient", None),
                user(3, "doctor", None),
                user(4, "doctor", None),
                user(5, "doctor", None),
            ],
            addresses: vec![AddressRow {
                id: 10,
                rue: "1 Rue Tazi".into(),
                ville: "Rabat".into(),
                created_at: None,
                updated_at: None,
            }],
            doctor_side: DoctorTables {
                specialities: vec![
                    specialty(1, "Cardiology"),
                    specialty(2, " cardiology "),
                    specialty(3, " "),
                ],
                doctors: vec![
                    doctor(1, 1, 1, "Active"),
                    doctor(2, 2, 1, "active"),
                    doctor(3, 1, 1, "active"),
                    doctor(4, 42, 1, "active"),
                    doctor(5, 3, 2, "active"),
                    doctor(6, 4, 9, "active"),
                    doctor(7, 5, 1, "on leave"),
                ],
                applications: Vec::new(),
            },
            ..Legacy::default()
        };
        let mut report = Report::default();
        let accounts = super::super::users::accounts(&legacy, &mut report);
        let kept = specialties(&legacy, &mut report);
        assert_eq!(kept.len(), 1);
        let profiles = profiles(&legacy, &accounts, &kept, &mut report);
        let got: Vec<_> = profiles
            .iter()
            .map(|d| (d.id.0, d.user_id.0, d.status, d.city.as_deref(), d.degree.as_str()))
            .collect();
        assert_eq!(got, [(1, 1, Status::Active, Some("Rabat"), "MD"), (7, 5, Status::Inactive, None, "MD")]);
        assert_eq!(profiles[0].name, "Dr 1");
        assert_eq!(profiles[0].timezone, "Africa/Casablanca");
        let skipped: Vec<(&str, i64, &str)> =
            report.skipped.iter().map(|s| (s.table, s.id, s.reason.as_str())).collect();
        assert_eq!(
            skipped,
            [
                ("specialities", 2, "duplicate name (specialities 1 has it)"),
                ("specialities", 3, "empty name"),
                ("doctors", 2, "user 2 is not a doctor (patient)"),
                ("doctors", 3, "user 1 already has doctors 1"),
                ("doctors", 4, "dangling user_id 42"),
                ("doctors", 5, "its specialty 2 was skipped"),
                ("doctors", 6, "dangling specialty_id 9"),
            ]
        );
        let warned: Vec<(i64, &str)> = report.warnings.iter().map(|w| (w.id, w.reason.as_str())).collect();
        assert_eq!(warned, [(7, "unknown status \"on leave\", imported inactive")]);
    }
}
