use kit::{
    events::catalog::AppointmentStatus,
    ids::{AppointmentId, DoctorId},
};
use sea_orm::entity::prelude::*;

/// Read model of appointments (from `appointment.*` events): the latest
/// status of each, and its travel time. Metrics are counted from these
/// rows, so a replayed or reordered event can never count twice.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "appointment_facts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub appointment_id: AppointmentId,
    pub doctor_id: DoctorId,
    pub status: AppointmentStatus,
    pub travel_time_minutes: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
