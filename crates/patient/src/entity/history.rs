use kit::{
    identity::Role,
    ids::{PatientId, UserId},
};
use sea_orm::entity::prelude::*;

/// One medical history entry; `description` is sealed.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "medical_history")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub patient_id: PatientId,
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub recorded_at: DateTimeUtc,
    pub recorded_by: UserId,
    pub recorded_by_role: Role,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
