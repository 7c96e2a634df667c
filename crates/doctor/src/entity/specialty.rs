use kit::ids::SpecialtyId;
use sea_orm::entity::prelude::*;

/// The legacy `specialities` row (the monolith's spelling of the table is
/// kept so imported data lands as is). Names are unique, case-insensitively.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "specialities")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: SpecialtyId,
    pub name: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
