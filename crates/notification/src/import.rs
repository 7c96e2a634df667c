//! What the notification service keeps of the legacy monolith
//! (`quickcare import-legacy`).
//!
//! Every imported account gets its contact and every imported doctor its
//! name and zone: the read models `user.registered` and `doctor.changed`
//! would have built — without the welcome message, since history sends no
//! mail. The doctors are the imported profiles as the doctor service now
//! has them (`doctor::import` announces none, so this is the one way they
//! get here). The legacy `notifications` rows become inbox rows with their ids,
//! read state and times; no delivery is queued for them.
//!
//! Re-running is idempotent: equal rows are left alone. A contact keeps
//! what only QuickCare knows (language, zone, disabled); a doctor follows
//! its profile; a notification its user read since (a
//! later `updated_at`) stays read. A legacy message whose id QuickCare has
//! since given a message of its own is never written over it: the
//! importer asks [`taken_notifications`] first and leaves it out.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use kit::{
    Result,
    events::catalog,
    identity::Role,
    ids::UserId,
    import::{Counts, Watermarks, upsert},
};
use sea_orm::{DatabaseConnection, EntityTrait};

use crate::{
    entity::{contact, doctor, notification},
    ids::NotificationId,
};

/// An imported account, as messages address it.
#[derive(Clone, Debug)]
pub struct LegacyContact {
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub role: Role,
}

/// One legacy `notifications` row whose user was imported.
#[derive(Clone, Debug)]
pub struct LegacyNotification {
    pub id: NotificationId,
    pub user_id: UserId,
    pub title: String,
    pub message: String,
    pub is_read: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What one import did, per table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub contacts: Counts,
    pub doctors: Counts,
    pub notifications: Counts,
}

/// Of the legacy `rows`, the ids QuickCare has given messages of its own since an
/// earlier import ([`kit::import::made_on_quickcare`]): the importer
/// leaves those legacy rows out, and what hangs off them, instead of
/// writing over the platform's.
pub async fn taken_notifications(
    db: &DatabaseConnection,
    rows: &[LegacyNotification],
) -> Result<BTreeSet<i64>> {
    let legacy: Vec<_> = rows.iter().map(|n| (n.id.0, n.created_at)).collect();
    kit::import::made_on_quickcare::<notification::Entity, _>(
        db,
        notification::Column::Id,
        notification::Column::CreatedAt,
        &legacy,
    )
    .await
}

/// Writes contacts, doctors and notifications in one transaction: all or
/// none. This run's `marks` ([`kit::import::advance`]) are recorded in
/// the same transaction: the legacy rows count as absorbed here only once
/// these writes committed.
pub async fn import(
    db: &DatabaseConnection,
    contacts: &[LegacyContact],
    doctors: &[catalog::DoctorChanged],
    notifications: &[LegacyNotification],
    marks: &Watermarks,
) -> Result<Outcome> {
    let txn = kit::db::begin_write(db).await?;
    let mut outcome = Outcome::default();
    for c in contacts {
        let stored = contact::Entity::find_by_id(c.user_id).one(&txn).await?;
        let wanted = contact::Model {
            user_id: c.user_id,
            name: c.name.clone(),
            email: c.email.clone(),
            phone: c.phone.clone(),
            role: Some(c.role),
            locale: stored.as_ref().map_or_else(|| contact::DEFAULT_LOCALE.to_owned(), |s| s.locale.clone()),
            timezone: stored
                .as_ref()
                .map_or_else(|| contact::DEFAULT_TIMEZONE.to_owned(), |s| s.timezone.clone()),
            disabled: stored.as_ref().is_some_and(|s| s.disabled),
        };
        upsert(&txn, stored.as_ref(), wanted, &mut outcome.contacts).await?;
    }
    for d in doctors {
        let wanted = doctor::Model::from(d);
        let stored = doctor::Entity::find_by_id(d.doctor_id).one(&txn).await?;
        upsert(&txn, stored.as_ref(), wanted, &mut outcome.doctors).await?;
    }
    for n in notifications {
        let stored = notification::Entity::find_by_id(n.id).one(&txn).await?;
        let wanted = notification::Model {
            id: n.id,
            user_id: n.user_id,
            title: n.title.clone(),
            message: n.message.clone(),
            is_read: n.is_read,
            source_key: None,
            created_at: n.created_at,
            updated_at: n.updated_at,
        };
        match &stored {
            Some(s) if s.updated_at > wanted.updated_at => outcome.notifications.unchanged += 1,
            _ => upsert(&txn, stored.as_ref(), wanted, &mut outcome.notifications).await?,
        }
    }
    kit::import::advance(&txn, marks).await?;
    txn.commit().await?;
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use kit::testing::{Backend, TestEnv};

    use super::*;

    #[tokio::test]
    async fn history_lands_in_the_inbox_without_a_delivery_and_a_rerun_keeps_what_users_did() {
        let env = TestEnv::new(Backend::Sqlite);
        let db = kit::db::connect(&env.settings, "notification").await.unwrap();
        crate::migrate(&db).await.unwrap();
        let amina = LegacyContact {
            user_id: UserId(5),
            name: "Amina".into(),
            email: "amina@example.com".into(),
            phone: "0600000000".into(),
            role: Role::Patient,
        };
        let at = DateTime::UNIX_EPOCH + chrono::Duration::days(20_000);
        let message = |id, is_read| LegacyNotification {
            id: NotificationId(id),
            user_id: UserId(5),
            title: "Appointment Reminder".into(),
            message: "You have an appointment tomorrow.".into(),
            is_read,
            created_at: at,
            updated_at: at,
        };
        let messages = [message(1, false), message(2, true)];
        let first =
            import(&db, std::slice::from_ref(&amina), &[], &messages, &Watermarks::new()).await.unwrap();
        assert_eq!((first.contacts.written, first.notifications.written), (1, 2));
        let paging = kit::pagination::PageParams::default().check().unwrap();
        let (unread, total) = crate::inbox::page(&db, UserId(5), true, paging).await.unwrap();
        assert_eq!((unread.len(), total), (1, 1));
        assert_eq!(crate::entity::delivery::Entity::find().all(&db).await.unwrap().len(), 0, "nothing sent");

        // Amina reads everything and writes in English; a re-run undoes neither.
        crate::inbox::mark_all_read(&db, UserId(5)).await.unwrap();
        let mut english: contact::ActiveModel =
            contact::Entity::find_by_id(UserId(5)).one(&db).await.unwrap().unwrap().into();
        english.locale = sea_orm::Set("en".into());
        sea_orm::ActiveModelTrait::update(english, &db).await.unwrap();
        let again = import(&db, &[amina], &[], &messages, &Watermarks::new()).await.unwrap();
        assert_eq!((again.contacts.unchanged, again.notifications.unchanged), (1, 2));
        let (unread, _) = crate::inbox::page(&db, UserId(5), true, paging).await.unwrap();
        assert!(unread.is_empty());
        let stored = contact::Entity::find_by_id(UserId(5)).one(&db).await.unwrap().unwrap();
        assert_eq!(stored.locale, "en");
    }
}
