//! `users` → auth accounts. A row the platform would refuse is reported
//! and left out, and so is everything that hangs off it (see `patients`).

use std::collections::{HashMap, HashSet};

use auth::import::{Clash, LegacyUser};
use kit::{identity::Role, ids::UserId};
use validator::ValidateEmail;

use super::{
    report::Report,
    source::{Legacy, instant},
};

/// A legacy email as it is stored and compared (two users whose emails
/// differ only in case or spaces have the same one).
pub fn email_key(raw: &str) -> String {
    raw.trim().to_lowercase()
}

/// The accounts to import, in legacy id order.
pub fn accounts(legacy: &Legacy, report: &mut Report) -> Vec<LegacyUser> {
    let addresses: HashSet<i64> = legacy.addresses.iter().map(|a| a.id).collect();
    let mut emails: HashMap<String, i64> = HashMap::new();
    let mut out = Vec::new();
    for u in &legacy.users {
        let email = email_key(&u.email);
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

/// `accounts` but those a platform account is in the way of (see
/// `auth::import::clashes`), reported: the platform's account stays, and
/// the legacy user's records are left out with it (they report "its user
/// … was skipped").
pub fn without_clashes(
    accounts: Vec<LegacyUser>,
    clashes: &[(UserId, Clash)],
    report: &mut Report,
) -> Vec<LegacyUser> {
    let clashes: HashMap<UserId, Clash> = clashes.iter().copied().collect();
    accounts
        .into_iter()
        .filter(|u| match clashes.get(&u.id) {
            Some(Clash::Email { holder }) => {
                report.skip("users", u.id.0, format!("email taken by platform account {holder}"));
                false
            }
            Some(Clash::Id) => {
                report.skip("users", u.id.0, "id taken by an account made on the platform");
                false
            }
            None => true,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import_legacy::source::UserRow;

    fn user(id: i64, email: &str, user_type: &str, address_id: Option<i64>) -> UserRow {
        UserRow::for_tests(id, &format!(" User {id} "), email, user_type, address_id)
    }

    #[test]
    fn refused_rows_are_reported_and_the_rest_normalised() {
        let legacy = Legacy {
            users: vec![
                user(1, " Amina@Example.com ", "patient", None),
                user(2, "not-an-email", "patient", None),
                user(3, "amina@example.com", "doctor", None),
                user(4, "omar@example.com", "nurse", None),
                user(5, "salma@example.com", "patient", Some(77)),
            ],
            ..Legacy::default()
        };
        let mut report = Report::default();
        let accounts = accounts(&legacy, &mut report);
        assert_eq!(accounts.len(), 1);
        assert_eq!(accounts[0].email, "amina@example.com");
        assert_eq!(accounts[0].name, "User 1");
        assert_eq!(accounts[0].password_hash, "$2y$10$hash");
        assert_eq!(accounts[0].created_at, crate::import_legacy::source::UNKNOWN_TIME);
        let skipped: Vec<(i64, &str)> = report.skipped.iter().map(|s| (s.id, s.reason.as_str())).collect();
        assert_eq!(
            skipped,
            [
                (2, "invalid email \"not-an-email\""),
                (3, "duplicate email (users 1 has it)"),
                (4, "unknown user_type \"nurse\""),
                (5, "dangling address_id 77"),
            ]
        );
    }

    #[test]
    fn a_platform_account_in_the_way_is_a_reported_skip() {
        let legacy = Legacy {
            users: vec![user(1, "a@example.com", "doctor", None), user(2, "b@example.com", "patient", None)],
            ..Legacy::default()
        };
        let mut report = Report::default();
        let all = accounts(&legacy, &mut report);
        let clashes = [(UserId(1), Clash::Id), (UserId(2), Clash::Email { holder: UserId(40) })];
        let kept = without_clashes(all, &clashes[1..], &mut report);
        assert_eq!(kept.iter().map(|u| u.id).collect::<Vec<_>>(), [UserId(1)]);
        assert!(without_clashes(kept, &clashes[..1], &mut report).is_empty());
        let skipped: Vec<(i64, &str)> = report.skipped.iter().map(|s| (s.id, s.reason.as_str())).collect();
        assert_eq!(
            skipped,
            [(2, "email taken by platform account 40"), (1, "id taken by an account made on the platform")]
        );
    }
}
