//! `notifications` → in-app messages, and every imported account → the
//! notification service's contacts. A message whose user was left out is
//! reported and left out too.

use std::collections::HashSet;

use auth::import::LegacyUser;
use kit::ids::UserId;
use notification::{
    ids::NotificationId,
    import::{LegacyContact, LegacyNotification},
};

use super::{
    report::Report,
    source::{Legacy, instant},
};

pub fn contacts(accounts: &[LegacyUser]) -> Vec<LegacyContact> {
    accounts
        .iter()
        .map(|u| LegacyContact {
            user_id: u.id,
            name: u.name.clone(),
            email: u.email.clone(),
            phone: u.phone.clone(),
            role: u.role,
        })
        .collect()
}

/// The messages to import, in legacy id order.
pub fn notifications(
    legacy: &Legacy,
    accounts: &[LegacyUser],
    report: &mut Report,
) -> Vec<LegacyNotification> {
    let known: HashSet<UserId> = accounts.iter().map(|u| u.id).collect();
    let rows: HashSet<i64> = legacy.users.iter().map(|u| u.id).collect();
    let mut out = Vec::new();
    for n in &legacy.notifications {
        if !known.contains(&UserId(n.user_id)) {
            let reason = if rows.contains(&n.user_id) {
                format!("its user {} was skipped", n.user_id)
            } else {
                format!("dangling user_id {}", n.user_id)
            };
            report.skip("notifications", n.id, reason);
            continue;
        }
        out.push(LegacyNotification {
            id: NotificationId(n.id),
            user_id: UserId(n.user_id),
            title: n.title.clone(),
            message: n.message.clone(),
            is_read: n.is_read != 0,
            created_at: instant(n.created_at, n.updated_at),
            updated_at: instant(n.updated_at, n.created_at),
        });
    }
    out
}
