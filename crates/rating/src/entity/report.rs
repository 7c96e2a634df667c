use sea_orm::entity::prelude::*;

/// One user's report of one rating. The unique index over (`rating_id`,
/// `reporter_user_id`) makes reporting idempotent per reporter, so one
/// user cannot hold a rating alone by reporting it three times.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "rating_reports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub rating_id: i64,
    pub reporter_user_id: i64,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
