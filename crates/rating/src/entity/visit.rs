use kit::{
    events::catalog::AppointmentStatus,
    ids::{AppointmentId, DoctorId, PatientId},
};
use sea_orm::entity::prelude::*;

/// Read model of appointments (every `appointment.*` event): what
/// eligibility to rate is decided on.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "visits")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub appointment_id: AppointmentId,
    pub patient_id: PatientId,
    pub doctor_id: DoctorId,
    pub status: AppointmentStatus,
    pub start_at: DateTimeUtc,
    /// Time of the event that set `status`: an older event delivered late
    /// (at-least-once, retries) never overwrites a newer status.
    pub changed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
