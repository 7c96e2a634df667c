use kit::ids::DoctorId;
use sea_orm::entity::prelude::*;

/// A doctor's summary as last announced. The row is also the doctor's
/// lock: every change to a doctor's ratings locks it first, so summaries
/// are recomputed one change at a time and the last event is always right.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "doctor_summaries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub doctor_id: DoctorId,
    pub average: f64,
    pub count: i64,
    /// Bumped by every announcement: the event carries it.
    pub version: i64,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
