//! The admin dashboard's account figures: accounts per role, disabled
//! ones, and sign-ups per month. Counted in SQL, never by reading rows.

use kit::{
    Result,
    identity::Role,
    stats::{self, DayRange, MonthCount},
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use utoipa::ToSchema;

use crate::entity::user;

/// Accounts per role (`user_type`).
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ByRole {
    pub patient: i64,
    pub doctor: i64,
    pub admin: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct UserStats {
    /// Accounts created in the range.
    pub total: i64,
    pub by_role: ByRole,
    /// Of those, the disabled ones.
    pub disabled: i64,
    /// Accounts per month of creation.
    pub signups_by_month: Vec<MonthCount>,
}

pub async fn compute(db: &impl ConnectionTrait, range: DayRange) -> Result<UserStats> {
    let in_range = range.filter_timestamps(user::Entity::find(), user::Column::CreatedAt);
    let mut by_role = ByRole::default();
    let mut total = 0;
    for (role, count) in stats::count_by::<_, _, Role>(db, in_range.clone(), user::Column::UserType).await? {
        total += count;
        match role {
            Role::Patient => by_role.patient += count,
            Role::Doctor => by_role.doctor += count,
            Role::Admin => by_role.admin += count,
        }
    }
    let disabled = in_range.clone().filter(user::Column::DisabledAt.is_not_null());
    Ok(UserStats {
        total,
        by_role,
        disabled: stats::count(db, disabled).await?,
        signups_by_month: stats::count_by_month(db, in_range, user::Column::CreatedAt).await?,
    })
}
