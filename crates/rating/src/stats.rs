//! The admin dashboard's rating figures: published ratings per month of
//! creation with their average, and what waits for moderation. Counted in
//! SQL (`COUNT`/`SUM` per `kit::stats::month_of`), never by reading rows.

use kit::{
    Result,
    stats::{self, DayRange, Monthly},
};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Alias, Expr, ExprTrait},
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{analytics::MonthStat, entity::rating, summaries};

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RatingStats {
    /// Published ratings created in the range, per month.
    pub by_month: Vec<MonthStat>,
    /// Held ratings waiting for an admin (whatever the range).
    pub held: i64,
    /// Published ratings with reports since the last decision (whatever the range).
    pub reported: i64,
}

impl Monthly for MonthStat {
    fn month(&self) -> &str {
        &self.month
    }
}

pub async fn compute(db: &impl ConnectionTrait, range: DayRange) -> Result<RatingStats> {
    let published = rating::Entity::find().filter(rating::Column::Status.eq(rating::Status::Published));
    let rows: Vec<(String, i64, i64)> = range
        .filter_timestamps(published, rating::Column::CreatedAt)
        .select_only()
        .column_as(stats::month_of(db.get_database_backend(), rating::Column::CreatedAt), "month")
        .column_as(Expr::col(rating::Column::Id).count(), "count")
        // CAST: MariaDB sums integers as DECIMAL, SQLite as INTEGER.
        .column_as(Expr::col(rating::Column::Rating).sum().cast_as(Alias::new("SIGNED")), "total")
        .group_by(Expr::col(Alias::new("month")))
        .order_by_asc(Expr::col(Alias::new("month")))
        .into_tuple()
        .all(db)
        .await?;
    let months = rows
        .into_iter()
        .map(|(month, count, sum)| MonthStat { month, count, average: summaries::average(sum, count) })
        .collect();
    let by_month = stats::fill_months(months, |month| MonthStat { month, count: 0, average: 0.0 });
    let held =
        stats::count(db, rating::Entity::find().filter(rating::Column::Status.eq(rating::Status::Held)))
            .await?;
    let reported = rating::Entity::find().filter(
        Condition::all()
            .add(rating::Column::Status.eq(rating::Status::Published))
            .add(rating::Column::ReportCount.gt(0)),
    );
    Ok(RatingStats { by_month, held, reported: stats::count(db, reported).await? })
}
