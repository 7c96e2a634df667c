//! The rating service's summary of a doctor (`rating.summary_changed`, or
//! the legacy import): `avg_rating`, `rating_count` and `rating_version`
//! on the profile, which the listing sorts by. Nothing else reads them,
//! so nothing is announced.

use chrono::Utc;
use kit::events::catalog;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, sea_query::Expr};

use crate::entity::doctor;

/// Applies `r` unless a newer summary already is: with several rating
/// instances relaying in parallel, summaries of one doctor may arrive out
/// of order. (Equal versions carry the same numbers.) How many profiles
/// changed: 0 when the doctor has none here, or a newer summary.
pub async fn apply<C: ConnectionTrait>(conn: &C, r: &catalog::RatingSummaryChanged) -> Result<u64, DbErr> {
    let done = doctor::Entity::update_many()
        .col_expr(doctor::Column::AvgRating, Expr::value(r.average))
        .col_expr(doctor::Column::RatingCount, Expr::value(r.count))
        .col_expr(doctor::Column::RatingVersion, Expr::value(r.version))
        .col_expr(doctor::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(doctor::Column::Id.eq(r.doctor_id))
        .filter(doctor::Column::RatingVersion.lte(r.version))
        .exec(conn)
        .await?;
    Ok(done.rows_affected)
}
