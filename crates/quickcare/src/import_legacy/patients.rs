//! `patients` + `addresses` → patient records, and every imported account
//! → the patient service's directory. A record whose account was left
//! out, or that is not a patient's, is reported and left out too, and so
//! is one whose id or address id QuickCare has given a row of its own
//! (`taken`, [`without_taken_addresses`]).

use std::collections::{BTreeSet, HashMap};

use auth::import::LegacyUser;
use kit::{
    identity::Role,
    ids::{PatientId, UserId},
};
use patient::import::{DirectoryEntry, LegacyAddress, LegacyPatient};

use super::{
    report::Report,
    source::{Legacy, instant},
    taken,
};

pub fn directory(accounts: &[LegacyUser]) -> Vec<DirectoryEntry> {
    accounts
        .iter()
        .map(|u| DirectoryEntry {
            user_id: u.id,
            name: u.name.clone(),
            email: u.email.clone(),
            role: u.role,
            gender: u.gender.clone(),
            phone: u.phone.clone(),
        })
        .collect()
}

/// The records to import, in legacy id order.
pub fn records(legacy: &Legacy, accounts: &[LegacyUser], report: &mut Report) -> Vec<LegacyPatient> {
    let known: HashMap<UserId, &LegacyUser> = accounts.iter().map(|u| (u.id, u)).collect();
    let rows: HashMap<i64, Option<i64>> = legacy.users.iter().map(|u| (u.id, u.address_id)).collect();
    let addresses: HashMap<i64, _> = legacy.addresses.iter().map(|a| (a.id, a)).collect();
    let mut holders: HashMap<UserId, i64> = HashMap::new();
    let mut out = Vec::new();
    for p in &legacy.patients {
        let user_id = UserId(p.user_id);
        let Some(account) = known.get(&user_id) else {
            let reason = if rows.contains_key(&p.user_id) {
                format!("its user {} was skipped", p.user_id)
            } else {
                format!("dangling user_id {}", p.user_id)
            };
            report.skip("patients", p.id, reason);
            continue;
        };
        if account.role != Role::Patient {
            report.skip(
                "patients",
                p.id,
                format!("user {} is not a patient ({})", p.user_id, account.role.as_str()),
            );
            continue;
        }
        if let Some(first) = holders.get(&user_id) {
            report.skip("patients", p.id, format!("user {} already has patients {first}", p.user_id));
            continue;
        }
        let cin = p.cin.trim();
        if cin.is_empty() {
            report.skip("patients", p.id, "empty cin");
            continue;
        }
        holders.insert(user_id, p.id);
        let address = rows.get(&p.user_id).copied().flatten().and_then(|id| addresses.get(&id)).map(|a| {
            LegacyAddress {
                id: a.id,
                street: a.rue.clone(),
                city: a.ville.clone(),
                created_at: instant(a.created_at, a.updated_at),
                updated_at: instant(a.updated_at, a.created_at),
            }
        });
        out.push(LegacyPatient {
            id: PatientId(p.id),
            user_id,
            name: account.name.clone(),
            cin: cin.to_owned(),
            birth_date: p.birth_date,
            address,
            created_at: instant(p.created_at, p.updated_at),
            updated_at: instant(p.updated_at, p.created_at),
        });
    }
    out
}

/// `records` without those whose address id QuickCare has given an
/// address of its own (when the patient database exists, `db`): the
/// address is reported, and its patients with it, as hanging off it.
pub async fn without_taken_addresses(
    db: Option<&sea_orm::DatabaseConnection>,
    records: Vec<LegacyPatient>,
    report: &mut Report,
) -> anyhow::Result<Vec<LegacyPatient>> {
    let Some(db) = db else { return Ok(records) };
    let taken = patient::import::taken_addresses(db, &records).await?;
    let mut reported = BTreeSet::new();
    Ok(records
        .into_iter()
        .filter(|p| match p.address.as_ref().filter(|a| taken.contains(&a.id)) {
            Some(a) => {
                if reported.insert(a.id) {
                    report.skip("addresses", a.id, taken::REASON);
                }
                report.skip("patients", p.id.0, format!("its address {} was skipped", a.id));
                false
            }
            None => true,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::import_legacy::source::{AddressRow, PatientRow, UserRow};

    fn user(id: i64, user_type: &str, address_id: Option<i64>) -> UserRow {
        UserRow::for_tests(id, &format!("User {id}"), &format!("user{id}@example.com"), user_type, address_id)
    }

    fn patient(id: i64, user_id: i64, cin: &str) -> PatientRow {
        let birth_date = NaiveDate::from_ymd_opt(1980, 1, 1).unwrap_or_default();
        PatientRow { id, cin: cin.into(), birth_date, user_id, created_at: None, updated_at: None }
    }

    #[test]
    fn records_follow_their_accounts_and_keep_their_address() {
        let legacy = Legacy {
            users: vec![
                user(1, "patient", Some(10)),
                user(2, "doctor", None),
                user(3, "patient", None),
                user(4, "patient", Some(99)),
            ],
            addresses: vec![AddressRow {
                id: 10,
                rue: "1 Rue Tazi".into(),
                ville: "Rabat".into(),
                created_at: None,
                updated_at: None,
            }],
            patients: vec![
                patient(1, 1, " AB123 "),
                patient(2, 2, "CD1"),
                patient(3, 1, "EF1"),
                patient(4, 42, "GH1"),
                patient(5, 3, " "),
                patient(6, 4, "IJ1"),
            ],
            ..Legacy::default()
        };
        let mut report = Report::default();
        let accounts = super::super::users::accounts(&legacy, &mut report);
        let records = records(&legacy, &accounts, &mut report);
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].id, PatientId(1));
        assert_eq!(records[0].cin, "AB123");
        assert_eq!(records[0].address.as_ref().map(|a| (a.id, a.city.as_str())), Some((10, "Rabat")));
        let skipped: Vec<(&str, i64, &str)> =
            report.skipped.iter().map(|s| (s.table, s.id, s.reason.as_str())).collect();
        assert_eq!(
            skipped,
            [
                ("users", 4, "dangling address_id 99"),
                ("patients", 2, "user 2 is not a patient (doctor)"),
                ("patients", 3, "user 1 already has patients 1"),
                ("patients", 4, "dangling user_id 42"),
                ("patients", 5, "empty cin"),
                ("patients", 6, "its user 4 was skipped"),
            ]
        );
        assert_eq!(directory(&accounts).len(), 3);
    }
}
