use kit::ids::{PatientId, UserId};

use super::address::AddressId;
use sea_orm::entity::prelude::*;

/// The legacy `patients` row. `cin` holds the keyring-sealed national id, never plaintext.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "patients")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: PatientId,
    #[sea_orm(column_type = "Text")]
    pub cin: String,
    pub birth_date: Date,
    #[sea_orm(unique)]
    pub user_id: UserId,
    pub address_id: Option<AddressId>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
