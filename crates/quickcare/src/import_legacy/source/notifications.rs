//! The monolith's `notifications` rows (in-app messages).

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, DbErr, FromQueryResult};

#[derive(Debug, Clone, FromQueryResult)]
pub struct NotificationRow {
    pub id: i64,
    pub user_id: i64,
    pub title: String,
    pub message: String,
    /// `TINYINT(1)`: 0 unread, anything else read.
    pub is_read: i8,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
}

pub async fn notifications(db: &DatabaseConnection) -> Result<Vec<NotificationRow>, DbErr> {
    super::all(
        db,
        "SELECT CAST(id AS SIGNED) AS id, CAST(user_id AS SIGNED) AS user_id, title, message, \
         is_read, created_at, updated_at FROM notifications ORDER BY id",
    )
    .await
}
