use sea_orm::entity::prelude::*;

/// Read model of accounts (auth's `user.*`, the patient service's
/// preferences): where and how to reach someone, never fetched per message.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "contacts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub role: String,
    /// `en` or `fr` (others fall back to `fr`, the monolith's language).
    pub locale: String,
    pub timezone: String,
    pub disabled: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
