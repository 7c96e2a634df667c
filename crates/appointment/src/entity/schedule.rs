use kit::ids::{DoctorId, ScheduleId};
use sea_orm::entity::prelude::*;

/// One bookable slot of a doctor, in the legacy shape: weekly (`day` set,
/// `specific_date` null) or one-off (`specific_date` set, `day` null).
/// `start`/`end` are wall-clock times in the doctor's time zone.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "schedules")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: ScheduleId,
    pub doctor_id: DoctorId,
    pub day: Option<String>,
    pub specific_date: Option<Date>,
    pub start: Time,
    pub end: Time,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
