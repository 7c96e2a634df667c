//! Home-visit travel times per doctor: count, total, average, min, max.

use kit::Result;
use sea_orm::{
    ColumnTrait, ConnectionTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, Func},
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    actor::Actor,
    entity::appointment,
    scope::{Filter, scoped},
};

#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct TravelTimes {
    pub doctor_id: i64,
    pub count: i64,
    /// Minutes, summed over the visits.
    pub total: i64,
    pub avg: f64,
    pub min: i64,
    pub max: i64,
}

/// The aggregate as the database returns it; the average is computed here
/// because MySQL answers AVG/SUM as DECIMAL and SQLite as REAL/INTEGER.
#[derive(Debug, FromQueryResult)]
struct TravelRow {
    doctor_id: i64,
    count: i64,
    total: i64,
    min: i64,
    max: i64,
}

/// Travel times of the visits `actor` may see within `filter`, per doctor.
pub async fn travel_times<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    filter: &Filter,
) -> Result<Vec<TravelTimes>> {
    let minutes = || Expr::col(appointment::Column::TravelTimeMinutes);
    let rows = scoped(actor, filter)?
        .select_only()
        .column(appointment::Column::DoctorId)
        .expr_as(Func::count(minutes()), "count")
        // SUM of an INT is DECIMAL on MySQL; as an integer it decodes on both.
        .expr_as(Func::cast_as(Func::sum(minutes()), "SIGNED"), "total")
        .expr_as(Func::min(minutes()), "min")
        .expr_as(Func::max(minutes()), "max")
        .filter(appointment::Column::TravelTimeMinutes.is_not_null())
        .group_by(appointment::Column::DoctorId)
        .order_by_asc(appointment::Column::DoctorId)
        .into_model::<TravelRow>()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| TravelTimes {
            doctor_id: r.doctor_id,
            count: r.count,
            total: r.total,
            avg: average(r.total, r.count),
            min: r.min,
            max: r.max,
        })
        .collect())
}

/// `total / count` to one decimal; 0 without visits.
pub fn average(total: i64, count: i64) -> f64 {
    if count > 0 { (total as f64 / count as f64 * 10.0).round() / 10.0 } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_average_has_one_decimal_and_no_visits_average_zero() {
        assert_eq!(average(50, 3), 16.7);
        assert_eq!(average(0, 0), 0.0);
    }
}
