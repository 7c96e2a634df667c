use sea_orm::entity::prelude::*;

/// The legacy `patients` row. `cin` holds the keyring-sealed national id, never plaintext.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "patients")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(column_type = "Text")]
    pub cin: String,
    pub birth_date: Date,
    #[sea_orm(unique)]
    pub user_id: i64,
    pub address_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
