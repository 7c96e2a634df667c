use kit::ids::{PatientId, UserId};
use sea_orm::entity::prelude::*;

/// Read model fed by appointment events: which doctors may see which patients.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "care_relationships")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub doctor_user_id: UserId,
    #[sea_orm(primary_key, auto_increment = false)]
    pub patient_id: PatientId,
    pub active_appointments: i32,
    pub first_seen_at: DateTimeUtc,
    pub last_seen_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
