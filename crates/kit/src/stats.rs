//! Admin dashboard aggregates, computed in SQL: a `YYYY-MM` month bucket
//! that works on both backends, the date range every stats endpoint
//! takes, and counts per month or per value of a column.
//!
//! Why here: every service that owns dashboard data groups by month, and
//! SQLite (`strftime`) and MariaDB (`DATE_FORMAT`) spell that differently.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select, TryGetable,
    sea_query::{Alias, Expr, ExprTrait, Func, IntoColumnRef},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{Error, Result};

/// The alias the month bucket is selected and grouped as.
const MONTH: &str = "month";
const COUNT: &str = "count";

/// `YYYY-MM` of a date or UTC timestamp column, in the connected
/// backend's dialect. The format is a bound value, not spliced SQL.
pub fn month_of(backend: DbBackend, column: impl IntoColumnRef) -> Expr {
    let column = Expr::col(column);
    match backend {
        DbBackend::MySql => Func::cust(Alias::new("DATE_FORMAT")).arg(column).arg("%Y-%m").into(),
        // SQLite stores timestamps as RFC 3339 text in UTC and dates as
        // `YYYY-MM-DD`: strftime reads both.
        _ => Func::cust(Alias::new("strftime")).arg("%Y-%m").arg(column).into(),
    }
}

/// The days a stats endpoint counts: `from` to `to`, both whole UTC days,
/// both optional.
#[derive(Debug, Clone, Copy, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DayRange {
    /// First day counted (`YYYY-MM-DD`, UTC).
    pub from: Option<NaiveDate>,
    /// Last day counted (`YYYY-MM-DD`, UTC).
    pub to: Option<NaiveDate>,
}

impl DayRange {
    /// 422 `errors.to` when the range ends before it starts.
    pub fn check(self) -> Result<Self> {
        match (self.from, self.to) {
            (Some(from), Some(to)) if from > to => Err(Error::invalid("to", "must not be before from")),
            _ => Ok(self),
        }
    }

    /// Keeps the rows whose timestamp `column` falls in the range.
    pub fn filter_timestamps<E: EntityTrait>(
        self,
        mut query: Select<E>,
        column: impl ColumnTrait,
    ) -> Select<E> {
        if let Some(from) = self.from {
            query = query.filter(column.gte(midnight(from)));
        }
        if let Some(next) = self.to.and_then(|to| to.succ_opt()) {
            query = query.filter(column.lt(midnight(next)));
        }
        query
    }

    /// Keeps the rows whose date `column` falls in the range.
    pub fn filter_dates<E: EntityTrait>(self, mut query: Select<E>, column: impl ColumnTrait) -> Select<E> {
        if let Some(from) = self.from {
            query = query.filter(column.gte(from));
        }
        if let Some(to) = self.to {
            query = query.filter(column.lte(to));
        }
        query
    }
}

fn midnight(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(NaiveTime::MIN).and_utc()
}

/// Rows counted in one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct MonthCount {
    /// `YYYY-MM`.
    pub month: String,
    pub count: i64,
}

/// The rows of `query` per month of `column`, oldest first, every month
/// from the first to the last present (zeros in between, so a chart's axis
/// has no holes).
pub async fn count_by_month<E, C>(
    db: &impl ConnectionTrait,
    query: Select<E>,
    column: C,
) -> Result<Vec<MonthCount>>
where
    E: EntityTrait,
    C: ColumnTrait,
{
    let rows: Vec<(String, i64)> = query
        .select_only()
        .column_as(month_of(db.get_database_backend(), column), MONTH)
        .column_as(Expr::col(column).count(), COUNT)
        .group_by(Expr::col(Alias::new(MONTH)))
        .order_by_asc(Expr::col(Alias::new(MONTH)))
        .into_tuple()
        .all(db)
        .await?;
    Ok(fill_months(
        rows.into_iter().map(|(month, count)| MonthCount { month, count }).collect(),
        MonthCount::zero,
    ))
}

impl MonthCount {
    fn zero(month: String) -> Self {
        Self { month, count: 0 }
    }
}

/// The rows of `query` per value of `column` (values without rows absent).
pub async fn count_by<E, C, V>(
    db: &impl ConnectionTrait,
    query: Select<E>,
    column: C,
) -> Result<Vec<(V, i64)>>
where
    E: EntityTrait,
    C: ColumnTrait,
    V: TryGetable,
{
    Ok(query
        .select_only()
        .column(column)
        .column_as(Expr::col(column).count(), COUNT)
        .group_by(column)
        .into_tuple()
        .all(db)
        .await?)
}

/// How many rows `query` selects, as the `i64` the dashboards send.
pub async fn count<'db, C, E>(db: &'db C, query: Select<E>) -> Result<i64>
where
    C: ConnectionTrait,
    E: EntityTrait,
    E::Model: Sync + 'db,
{
    let n = query.count(db).await?;
    Ok(i64::try_from(n).unwrap_or(i64::MAX))
}

/// Anything keyed by a `YYYY-MM` month.
pub trait Monthly {
    fn month(&self) -> &str;
}

impl Monthly for MonthCount {
    fn month(&self) -> &str {
        &self.month
    }
}

/// `rows` (keyed `YYYY-MM`, any order) with every missing month between
/// the first and the last made by `empty`, oldest first.
pub fn fill_months<T: Monthly>(rows: Vec<T>, empty: impl Fn(String) -> T) -> Vec<T> {
    let mut by_month: BTreeMap<(i32, u32), T> = BTreeMap::new();
    for row in rows {
        if let Some(key) = parse_month(row.month()) {
            by_month.insert(key, row);
        }
    }
    let (Some(&first), Some(&last)) = (by_month.keys().next(), by_month.keys().next_back()) else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(by_month.len());
    let (mut year, mut month) = first;
    while (year, month) <= last {
        out.push(by_month.remove(&(year, month)).unwrap_or_else(|| empty(format!("{year:04}-{month:02}"))));
        (year, month) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    }
    out
}

fn parse_month(s: &str) -> Option<(i32, u32)> {
    let (year, month) = s.split_once('-')?;
    let month: u32 = month.parse().ok()?;
    (1..=12).contains(&month).then_some(())?;
    Some((year.parse().ok()?, month))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mc(month: &str, count: i64) -> MonthCount {
        MonthCount { month: month.into(), count }
    }

    #[test]
    fn fills_the_months_between_first_and_last() {
        let got = fill_months(vec![mc("2027-01", 1), mc("2026-11", 2)], MonthCount::zero);
        assert_eq!(got, vec![mc("2026-11", 2), mc("2026-12", 0), mc("2027-01", 1)]);
        assert!(fill_months(Vec::<MonthCount>::new(), MonthCount::zero).is_empty());
    }

    #[test]
    fn a_reversed_range_is_refused() {
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 12, d);
        assert!(DayRange { from: day(2), to: day(1) }.check().is_err());
        assert!(DayRange { from: day(1), to: day(1) }.check().is_ok());
    }

    #[test]
    fn the_month_expression_is_the_backends_own() {
        use sea_orm::sea_query::{MysqlQueryBuilder, Query, SqliteQueryBuilder};
        let select = |b| Query::select().expr(month_of(b, Alias::new("at"))).to_owned();
        assert_eq!(
            select(DbBackend::MySql).to_string(MysqlQueryBuilder),
            "SELECT DATE_FORMAT(`at`, '%Y-%m')"
        );
        assert_eq!(
            select(DbBackend::Sqlite).to_string(SqliteQueryBuilder),
            r#"SELECT strftime('%Y-%m', "at")"#
        );
    }
}
