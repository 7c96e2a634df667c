use kit::ids::{AppointmentId, DoctorId, PatientId, ScheduleId};
use sea_orm::entity::prelude::*;

use crate::status::Status;

/// The legacy `appointments` row plus what the new platform tracks.
///
/// `active_slot` is `Some(true)` while the appointment holds its slot
/// (pending or approved) and NULL otherwise. The unique index over
/// (`schedule_id`, `appointment_date`, `active_slot`) is the
/// no-double-booking rule: NULLs never collide, so any number of cancelled
/// appointments may sit on a slot beside at most one active one.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "appointments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: AppointmentId,
    pub reason: String,
    pub status: Status,
    pub appointment_date: Date,
    #[sea_orm(column_type = "Text", nullable)]
    pub doctor_comment: Option<String>,
    pub patient_id: PatientId,
    pub doctor_id: DoctorId,
    pub schedule_id: ScheduleId,
    pub start_at: DateTimeUtc,
    pub end_at: DateTimeUtc,
    pub active_slot: Option<bool>,
    pub cancel_reason: Option<String>,
    pub check_in_time: Option<DateTimeUtc>,
    pub check_out_time: Option<DateTimeUtc>,
    pub travel_time_minutes: Option<i32>,
    /// When the patient said they could come, in their words (the
    /// monolith's `Patient_Disponibility`); at most 255 characters.
    pub patient_availability: Option<String>,
    pub reminder_sent_at: Option<DateTimeUtc>,
    /// When the reminder is due: the start minus the patient's lead time.
    pub reminder_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
