//! The admin dashboard's appointment figures: how many, in which status,
//! per month of the appointment's date, and how many fall today. Counted
//! in SQL, never by reading the rows.

use chrono::{NaiveDate, Utc};
use chrono_tz::Tz;
use kit::{
    Result,
    stats::{self, DayRange, MonthCount},
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{entity::appointment, status::Status};

/// Appointments per status (every status present, zero when none).
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = AppointmentsByStatus)]
pub struct ByStatus {
    pub pending: i64,
    pub approved: i64,
    pub completed: i64,
    pub cancelled: i64,
    pub no_show: i64,
    pub expired: i64,
}

impl ByStatus {
    fn add(&mut self, status: Status, count: i64) {
        let slot = match status {
            Status::Pending => &mut self.pending,
            Status::Approved => &mut self.approved,
            Status::Completed => &mut self.completed,
            Status::Cancelled => &mut self.cancelled,
            Status::NoShow => &mut self.no_show,
            Status::Expired => &mut self.expired,
        };
        *slot += count;
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AppointmentStats {
    /// Appointments dated in the range, any status.
    pub total: i64,
    pub by_status: ByStatus,
    /// Per month of the appointment's date.
    pub by_month: Vec<MonthCount>,
    /// Appointments dated today in the asked zone (whatever the range).
    pub today: i64,
    /// That day, `YYYY-MM-DD`.
    pub today_date: NaiveDate,
}

/// The figures for appointments dated in `range`; "today" is today in `zone`.
pub async fn compute(db: &impl ConnectionTrait, range: DayRange, zone: Tz) -> Result<AppointmentStats> {
    let in_range = range.filter_dates(appointment::Entity::find(), appointment::Column::AppointmentDate);
    let mut by_status = ByStatus::default();
    let mut total = 0;
    for (status, count) in
        stats::count_by::<_, _, Status>(db, in_range.clone(), appointment::Column::Status).await?
    {
        by_status.add(status, count);
        total += count;
    }
    let by_month = stats::count_by_month(db, in_range, appointment::Column::AppointmentDate).await?;
    let today_date = Utc::now().with_timezone(&zone).date_naive();
    let today = appointment::Entity::find().filter(appointment::Column::AppointmentDate.eq(today_date));
    Ok(AppointmentStats { total, by_status, by_month, today: stats::count(db, today).await?, today_date })
}
