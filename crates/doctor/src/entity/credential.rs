use sea_orm::entity::prelude::*;

/// A doctor's professional credential (licence, board certification, …),
/// as the doctor declared it. Not PHI: licence numbers are public registers.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "doctor_credentials")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub doctor_id: i64,
    pub kind: String,
    pub issuer: String,
    pub number: String,
    pub valid_until: Option<Date>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
