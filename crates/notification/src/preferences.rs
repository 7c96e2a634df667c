//! A user's channels and reminder lead time: what applies when they set
//! none, and saving theirs (which the appointment service hears of, since
//! it times the user's reminders by it).

use chrono::Utc;
use kit::{events::catalog, ids::UserId};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel};

use crate::entity::preference;

/// A user's preferences, or the defaults.
pub async fn of<C: ConnectionTrait>(conn: &C, user_id: UserId) -> Result<preference::Model, DbErr> {
    Ok(preference::Entity::find_by_id(user_id).one(conn).await?.unwrap_or_else(|| defaults(user_id)))
}

/// Everything on, reminders 24 h ahead.
pub fn defaults(user_id: UserId) -> preference::Model {
    preference::Model {
        user_id,
        email: true,
        sms: true,
        in_app: true,
        reminder_hours_before: 24,
        updated_at: Utc::now(),
    }
}

/// What a user chooses (already validated: 1 to 168 hours).
#[derive(Debug, Clone, Copy)]
pub struct Choice {
    pub email: bool,
    pub sms: bool,
    pub in_app: bool,
    pub reminder_hours_before: i32,
}

/// Stores `user_id`'s choice and announces it
/// (`notification.preferences_changed`), in one transaction.
pub async fn save(
    db: &sea_orm::DatabaseConnection,
    user_id: UserId,
    choice: Choice,
) -> kit::Result<preference::Model> {
    let txn = kit::db::begin_write(db).await?;
    let row = preference::Model {
        user_id,
        email: choice.email,
        sms: choice.sms,
        in_app: choice.in_app,
        reminder_hours_before: choice.reminder_hours_before,
        updated_at: Utc::now(),
    };
    let exists = preference::Entity::find_by_id(user_id).one(&txn).await?.is_some();
    let active = row.into_active_model().reset_all();
    let saved = if exists { active.update(&txn).await? } else { active.insert(&txn).await? };
    let changed = catalog::NotificationPreferencesChanged {
        user_id: saved.user_id,
        email: saved.email,
        sms: saved.sms,
        in_app: saved.in_app,
        reminder_hours_before: saved.reminder_hours_before,
    };
    let subject = Some(format!("user/{}", saved.user_id));
    kit::events::publish(
        &txn,
        "notification",
        catalog::EventType::NotificationPreferencesChanged,
        subject,
        &changed,
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_use_every_channel_and_remind_a_day_ahead() {
        let d = defaults(UserId(7));
        assert_eq!(d.user_id, UserId(7));
        assert!(d.email && d.sms && d.in_app);
        assert_eq!(d.reminder_hours_before, 24);
    }
}
