use sea_orm::entity::prelude::*;

kit::id_type!(
    /// A postal address (patient service; the legacy `addresses` table).
    AddressId
);

/// The legacy `addresses` row (French column names kept: rue = street, ville = city).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "addresses")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: AddressId,
    pub rue: String,
    pub ville: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
