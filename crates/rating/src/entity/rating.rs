use sea_orm::entity::prelude::*;

/// Shown publicly and counted in summaries.
pub const PUBLISHED: &str = "published";
/// Waiting for an admin: a blocked word, or reported too often.
pub const HELD: &str = "held";
/// Refused by an admin; only its author still sees it.
pub const REJECTED: &str = "rejected";

/// The legacy `ratings` row plus moderation. The unique index over
/// (`patient_id`, `doctor_id`) is the one-rating-per-patient-and-doctor
/// rule; a second submission updates this row instead of adding one.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ratings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub patient_id: i64,
    pub doctor_id: i64,
    /// 1 to 5.
    pub rating: i32,
    #[sea_orm(column_type = "Text", nullable)]
    pub comment: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub status: String,
    /// Why it is held (for admins), `None` once moderated or when published.
    pub hold_reason: Option<String>,
    /// Reports received since the last moderation decision.
    pub report_count: i32,
    pub moderated_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
