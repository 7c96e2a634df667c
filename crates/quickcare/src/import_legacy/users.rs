//! `users` → auth accounts. A row the platform would refuse is reported
//! and left out, and so is everything that hangs off it (see `patients`).

use std::collections::{HashMap, HashSet};

use auth::import::LegacyUser;
use kit::{identity::Role, ids::UserId};
use validator::ValidateEmail;

use super::{
    report::Report,
    source::{Legacy, instant},
};

/// The accounts to import, in legacy id order.
pub fn accounts(legacy: &Legacy, report: &mut Report) -> Vec<LegacyUser> {
    let addresses: HashSet<i64> = legacy.addresses.iter().map(|a| a.id).collect();
    let mut emails: HashMap<String, i64> = HashMap::new();
    let mut out = Vec::new();
    for u in &legacy.users {
        let email = u.email.trim().to_lowercase();
        if !email.validate_email() {
            report.skip("users", u.id, format!("invalid email {:?}", u.email));
            continue;
        }
        let Ok(role) = u.user_type.parse::<Role>() else {
            report.skip("users", u.id, format!("unknown user_type {:?}", u.user_type));
            continue;
        };
        if let Some(a) = u.address_id.filter(|a| !addresses.contains(a)) {
            report.skip("users", u.id, format!("dangling address_id {a}"));
            continue;
        }
        if let Some(first) = emails.get(&email) {
            report.skip("users", u.id, format!("duplicate email (users {first} has it)"));
            continue;
        }
        emails.insert(email.clone(), u.id);
        out.push(LegacyUser {
            id: UserId(u.id),
            name: u.name.trim().to_owned(),
            email,
            password_hash: u.password.clone(),
            gender: u.gender.clone(),
            phone: u.phone.clone(),
            role,
            email_verified_at: u.email_verified_at,
            created_at: instant(u.created_at, u.updated_at),
            updated_at: instant(u.updated_at, u.created_at),
        });
    }
    out
}
