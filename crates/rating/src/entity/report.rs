use kit::ids::{RatingId, UserId};
use sea_orm::entity::prelude::*;

kit::id_type!(
    /// One report of a rating (rating service only).
    ReportId
);

/// One user's report of one rating. The unique index over (`rating_id`,
/// `reporter_user_id`) makes reporting idempotent per reporter, so one
/// user cannot hold a rating alone by reporting it three times.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "rating_reports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: ReportId,
    pub rating_id: RatingId,
    pub reporter_user_id: UserId,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
