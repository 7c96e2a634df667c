use kit::{identity::Role, ids::UserId};
use sea_orm::entity::prelude::*;

/// Read model of auth's users (fed by user events): names and contact data shown with a record.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "user_directory")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub gender: String,
    pub phone: String,
    pub disabled: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
