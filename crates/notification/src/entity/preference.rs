use kit::ids::UserId;
use sea_orm::entity::prelude::*;

/// A user's channels and reminder lead time (defaults when absent).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "notification_preferences")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: UserId,
    pub email: bool,
    pub sms: bool,
    pub in_app: bool,
    pub reminder_hours_before: i32,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
