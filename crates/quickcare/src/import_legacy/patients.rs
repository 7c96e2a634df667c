//! `patients` + `addresses` → patient records, and every imported account
//! → the patient service's directory. A record whose account was left
//! out, or that is not a patient's, is reported and left out too.

use std::collections::HashMap;

use auth::import::LegacyUser;
use kit::{
    identity::Role,
    ids::{PatientId, UserId},
};
use patient::import::{DirectoryEntry, LegacyAddress, LegacyPatient};

use super::{
    report::Report,
    source::{Legacy, instant},
};

pub fn directory(accounts: &[LegacyUser]) -> Vec<DirectoryEntry> {
    accounts
        .iter()
        .map(|u| DirectoryEntry {
            user_id: u.id,
            name: u.name.clone(),
            email: u.email.clone(),
            role: u.role.as_str().to_owned(),
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
