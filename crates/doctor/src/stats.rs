//! The admin dashboard's doctor figures: profiles per month of creation,
//! listed or not, and the applications waiting for a decision. Counted in
//! SQL, never by reading rows.

use kit::{
    Result,
    stats::{self, DayRange, MonthCount},
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use utoipa::ToSchema;

use crate::entity::{application, doctor};

/// Profiles per status.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = DoctorsByStatus)]
pub struct ByStatus {
    pub active: i64,
    pub inactive: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct DoctorStats {
    /// Profiles created in the range.
    pub total: i64,
    pub by_status: ByStatus,
    /// Profiles per month of creation.
    pub by_month: Vec<MonthCount>,
    /// Applications waiting for an admin (whatever the range).
    pub pending_applications: i64,
}

pub async fn compute(db: &impl ConnectionTrait, range: DayRange) -> Result<DoctorStats> {
    let in_range = range.filter_timestamps(doctor::Entity::find(), doctor::Column::CreatedAt);
    let mut by_status = ByStatus::default();
    for (status, count) in stats::count_by(db, in_range.clone(), doctor::Column::Status).await? {
        match status {
            doctor::Status::Active => by_status.active += count,
            doctor::Status::Inactive => by_status.inactive += count,
        }
    }
    let pending =
        application::Entity::find().filter(application::Column::Status.eq(application::Status::Pending));
    Ok(DoctorStats {
        total: by_status.active + by_status.inactive,
        by_status,
        by_month: stats::count_by_month(db, in_range, doctor::Column::CreatedAt).await?,
        pending_applications: stats::count(db, pending).await?,
    })
}
