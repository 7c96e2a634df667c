use kit::ids::UserId;
use sea_orm::entity::prelude::*;

use crate::ids::NotificationId;

/// The legacy `notifications` row: one in-app message for one user.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "notifications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: NotificationId,
    pub user_id: UserId,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub message: String,
    pub is_read: bool,
    /// The event it came from: a redelivered event finds it and adds nothing.
    #[sea_orm(unique)]
    pub source_key: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Entity {
    pub async fn find_by_source<C: ConnectionTrait>(conn: &C, key: &str) -> Result<Option<Model>, DbErr> {
        Self::find().filter(Column::SourceKey.eq(key)).one(conn).await
    }
}
