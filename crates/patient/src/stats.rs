//! The admin dashboard's patient figures: records per month of creation
//! and per gender. Gender is auth's, known here through the user directory
//! read model, so the count joins the two tables in SQL.

use kit::{
    Result,
    stats::{self, DayRange, MonthCount},
};
use sea_orm::{ConnectionTrait, EntityTrait, JoinType, QuerySelect};
use serde::Serialize;
use utoipa::ToSchema;

use crate::entity::{directory, patient};

/// Patients per gender; `unknown` counts records whose account the
/// directory has not learned yet.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ByGender {
    pub female: i64,
    pub male: i64,
    pub unknown: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct PatientStats {
    /// Patient records created in the range.
    pub total: i64,
    pub by_gender: ByGender,
    /// Records per month of creation.
    pub by_month: Vec<MonthCount>,
}

pub async fn compute(db: &impl ConnectionTrait, range: DayRange) -> Result<PatientStats> {
    let in_range = range.filter_timestamps(patient::Entity::find(), patient::Column::CreatedAt);
    let account = patient::Entity::belongs_to(directory::Entity)
        .from(patient::Column::UserId)
        .to(directory::Column::UserId)
        .into();
    let with_gender = in_range.clone().join(JoinType::LeftJoin, account);
    let mut by_gender = ByGender::default();
    for (gender, count) in
        stats::count_by::<_, _, Option<String>>(db, with_gender, directory::Column::Gender).await?
    {
        match gender.as_deref() {
            Some("female") => by_gender.female += count,
            Some("male") => by_gender.male += count,
            _ => by_gender.unknown += count,
        }
    }
    Ok(PatientStats {
        total: by_gender.female + by_gender.male + by_gender.unknown,
        by_gender,
        by_month: stats::count_by_month(db, in_range, patient::Column::CreatedAt).await?,
    })
}
