use kit::{identity::Role, ids::UserId};
use sea_orm::entity::prelude::*;

/// The legacy `users` row. `password` holds an argon2id PHC string, or a
/// legacy bcrypt `$2y$` hash until that user's next login.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: UserId,
    pub name: String,
    #[sea_orm(unique)]
    pub email: String,
    pub password: String,
    pub gender: String,
    pub phone: String,
    pub user_type: Role,
    pub email_verified_at: Option<DateTimeUtc>,
    pub img: Option<String>,
    pub remember_token: Option<String>,
    pub disabled_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
