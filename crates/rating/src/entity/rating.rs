use kit::ids::{DoctorId, PatientId, RatingId};
use sea_orm::entity::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

/// Where a rating stands in moderation (stored and sent as its lower-case name).
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
#[schema(as = RatingStatus)]
pub enum Status {
    /// Shown publicly and counted in summaries.
    #[sea_orm(string_value = "published")]
    Published,
    /// Waiting for an admin: a blocked word, or reported too often.
    #[sea_orm(string_value = "held")]
    Held,
    /// Refused by an admin; only its author still sees it.
    #[sea_orm(string_value = "rejected")]
    Rejected,
}

/// The legacy `ratings` row plus moderation. The unique index over
/// (`patient_id`, `doctor_id`) is the one-rating-per-patient-and-doctor
/// rule; a second submission updates this row instead of adding one.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ratings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: RatingId,
    pub patient_id: PatientId,
    pub doctor_id: DoctorId,
    /// 1 to 5.
    pub rating: i32,
    #[sea_orm(column_type = "Text", nullable)]
    pub comment: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub status: Status,
    /// Why it is held (for admins), `None` once moderated or when published.
    pub hold_reason: Option<String>,
    /// Reports received since the last moderation decision.
    pub report_count: i32,
    pub moderated_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
