use kit::ids::PatientId;
use sea_orm::entity::prelude::*;

/// Language, time zone and free-form extra settings (JSON text).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "preferences")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub patient_id: PatientId,
    pub language: String,
    pub timezone: String,
    #[sea_orm(column_type = "Text")]
    pub extra: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
