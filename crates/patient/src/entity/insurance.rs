use kit::ids::PatientId;
use sea_orm::entity::prelude::*;

/// A patient's insurance; `policy_number` and `member_name` are sealed.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "insurance")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub patient_id: PatientId,
    pub provider: String,
    #[sea_orm(column_type = "Text")]
    pub policy_number: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub member_name: Option<String>,
    pub valid_until: Option<Date>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
