//! A user's in-app notifications: a page of them, and marking them read.
//! Only ever the owner's: another user's id is as unknown as a missing one.

use chrono::Utc;
use kit::{ids::UserId, pagination::Paging};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::Expr,
};

use crate::{entity::notification, ids::NotificationId};

/// `user_id`'s notifications, newest first (only the unread ones when
/// `unread_only`), and how many there are in all.
pub async fn page(
    db: &DatabaseConnection,
    user_id: UserId,
    unread_only: bool,
    paging: Paging,
) -> kit::Result<(Vec<notification::Model>, u64)> {
    let mut query = notification::Entity::find().filter(notification::Column::UserId.eq(user_id));
    if unread_only {
        query = query.filter(notification::Column::IsRead.eq(false));
    }
    let total = query.clone().count(db).await?;
    let rows = query
        .order_by_desc(notification::Column::Id)
        .offset(paging.offset())
        .limit(paging.per_page())
        .all(db)
        .await?;
    Ok((rows, total))
}

/// Marks notification `id` of `user_id` read (again is fine); `NotFound`
/// when it is not theirs.
pub async fn mark_read(db: &DatabaseConnection, user_id: UserId, id: NotificationId) -> kit::Result<()> {
    let done = notification::Entity::update_many()
        .col_expr(notification::Column::IsRead, Expr::value(true))
        .col_expr(notification::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(notification::Column::Id.eq(id))
        .filter(notification::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    // Nothing changed: already read (MySQL counts changed rows), or not theirs.
    if done.rows_affected == 0
        && notification::Entity::find_by_id(id).one(db).await?.is_none_or(|n| n.user_id != user_id)
    {
        return Err(kit::Error::NotFound);
    }
    Ok(())
}

/// Marks every unread notification of `user_id` read.
pub async fn mark_all_read(db: &DatabaseConnection, user_id: UserId) -> kit::Result<()> {
    notification::Entity::update_many()
        .col_expr(notification::Column::IsRead, Expr::value(true))
        .col_expr(notification::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::IsRead.eq(false))
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use kit::testing::{Backend, TestEnv};
    use sea_orm::{ActiveModelTrait, Set};

    use super::*;

    /// A fresh SQLite database with the service's tables and one unread
    /// notification of user 1.
    async fn one_notification() -> (TestEnv, DatabaseConnection, NotificationId) {
        let env = TestEnv::new(Backend::Sqlite);
        let db = kit::db::connect(&env.settings, "notification").await.unwrap();
        crate::migrate(&db).await.unwrap();
        let now = Utc::now();
        let row = notification::ActiveModel {
            user_id: Set(UserId(1)),
            title: Set("t".into()),
            message: Set("m".into()),
            is_read: Set(false),
            source_key: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&db)
        .await
        .unwrap();
        (env, db, row.id)
    }

    #[tokio::test]
    async fn only_the_owner_marks_a_notification_read_and_again_is_fine() {
        let (_env, db, id) = one_notification().await;
        assert!(matches!(mark_read(&db, UserId(2), id).await, Err(kit::Error::NotFound)));
        assert!(matches!(
            mark_read(&db, UserId(1), NotificationId(id.0 + 1)).await,
            Err(kit::Error::NotFound)
        ));
        mark_read(&db, UserId(1), id).await.unwrap();
        mark_read(&db, UserId(1), id).await.unwrap();
        let paging = kit::pagination::PageParams { page: None, per_page: None }.check().unwrap();
        let (unread, total) = page(&db, UserId(1), true, paging).await.unwrap();
        assert_eq!((unread.len(), total), (0, 0));
        assert_eq!(page(&db, UserId(1), false, paging).await.unwrap().1, 1);
    }
}
