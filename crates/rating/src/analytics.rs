//! Published ratings per month of creation, for charts.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use kit::{Result, ids::DoctorId};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{entity::rating, summaries};

/// Ratings created in one month.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct MonthStat {
    /// `YYYY-MM`.
    pub month: String,
    pub count: i64,
    /// 2 decimals; 0 for a month without ratings.
    pub average: f64,
}

/// Midnight UTC starting `day`.
fn start_of(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(chrono::NaiveTime::MIN).and_utc()
}

/// Published ratings of `doctor_id` (every doctor when `None`) created
/// from `from` to `to` (whole UTC days, both optional), per month.
pub async fn monthly(
    db: &DatabaseConnection,
    doctor_id: Option<DoctorId>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Vec<MonthStat>> {
    let mut query = rating::Entity::find()
        .select_only()
        .column(rating::Column::Rating)
        .column(rating::Column::CreatedAt)
        .filter(rating::Column::Status.eq(rating::Status::Published));
    if let Some(id) = doctor_id {
        query = query.filter(rating::Column::DoctorId.eq(id));
    }
    if let Some(from) = from {
        query = query.filter(rating::Column::CreatedAt.gte(start_of(from)));
    }
    if let Some(next) = to.and_then(|to| to.succ_opt()) {
        query = query.filter(rating::Column::CreatedAt.lt(start_of(next)));
    }
    // Grouped here rather than in SQL: MySQL and SQLite name their date
    // functions differently, and two small columns are cheap to read.
    let rows: Vec<(i32, DateTime<Utc>)> = query.into_tuple().all(db).await?;
    Ok(by_month(rows))
}

/// Groups scores by month of creation, filling the months in between
/// with zeros so a chart's axis has no holes.
pub fn by_month(rows: Vec<(i32, DateTime<Utc>)>) -> Vec<MonthStat> {
    let mut months: BTreeMap<(i32, u32), (i64, i64)> = BTreeMap::new();
    for (score, at) in rows {
        let slot = months.entry((at.year(), at.month())).or_default();
        slot.0 += 1;
        slot.1 += i64::from(score);
    }
    let (Some(&first), Some(&last)) = (months.keys().next(), months.keys().next_back()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let (mut year, mut month) = first;
    while (year, month) <= last {
        let (count, sum) = months.get(&(year, month)).copied().unwrap_or_default();
        out.push(MonthStat {
            month: format!("{year:04}-{month:02}"),
            count,
            average: summaries::average(sum, count),
        });
        (year, month) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn groups_by_month_and_fills_gaps() {
        let rows = vec![
            (5, at("2026-11-03T10:00:00Z")),
            (4, at("2026-11-30T23:59:59Z")),
            (2, at("2027-01-01T00:00:00Z")),
        ];
        let got = by_month(rows);
        let months: Vec<_> = got.iter().map(|m| (m.month.as_str(), m.count, m.average)).collect();
        assert_eq!(months, vec![("2026-11", 2, 4.5), ("2026-12", 0, 0.0), ("2027-01", 1, 2.0)]);
        assert!(by_month(Vec::new()).is_empty());
    }
}
