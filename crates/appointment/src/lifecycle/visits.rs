//! Home visits: the doctor checks in on arrival and out on leaving; the
//! travel time feeds the travel-time report.

use chrono::{DateTime, Utc};
use kit::{Error, Result, ids::AppointmentId};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, sea_query::Expr};

use crate::{entity::appointment, status::Status};

/// Records the check-in of approved appointment `id`; 409 unless approved
/// and not yet checked in.
pub async fn check_in(db: &DatabaseConnection, id: AppointmentId) -> Result<appointment::Model> {
    let txn = kit::db::begin_write(db).await?;
    let done = appointment::Entity::update_many()
        .col_expr(appointment::Column::CheckInTime, Expr::value(Utc::now()))
        .col_expr(appointment::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(appointment::Column::Id.eq(id))
        .filter(appointment::Column::Status.eq(Status::Approved))
        .filter(appointment::Column::CheckInTime.is_null())
        .exec(&txn)
        .await?;
    if done.rows_affected == 0 {
        return Err(Error::conflict("check-in needs an approved appointment not yet checked in"));
    }
    let row = appointment::Entity::find_by_id(id).one(&txn).await?.ok_or(Error::NotFound)?;
    txn.commit().await?;
    Ok(row)
}

/// The travel time of a check-out: as given, else the minutes since check-in.
pub fn travel_minutes(given: Option<i32>, checked_in: DateTime<Utc>, now: DateTime<Utc>) -> i32 {
    given.unwrap_or_else(|| i32::try_from((now - checked_in).num_minutes().max(0)).unwrap_or(i32::MAX))
}

/// Records the check-out of `a` with `travel_time_minutes` (see
/// [`travel_minutes`]); 409 before check-in or after check-out.
pub async fn check_out(
    db: &DatabaseConnection,
    a: &appointment::Model,
    travel_time_minutes: Option<i32>,
) -> Result<appointment::Model> {
    let Some(checked_in) = a.check_in_time else {
        return Err(Error::conflict("check in first"));
    };
    let now = Utc::now();
    let minutes = travel_minutes(travel_time_minutes, checked_in, now);
    let txn = kit::db::begin_write(db).await?;
    let done = appointment::Entity::update_many()
        .col_expr(appointment::Column::CheckOutTime, Expr::value(now))
        .col_expr(appointment::Column::TravelTimeMinutes, Expr::value(minutes))
        .col_expr(appointment::Column::UpdatedAt, Expr::value(now))
        .filter(appointment::Column::Id.eq(a.id))
        .filter(appointment::Column::CheckInTime.is_not_null())
        .filter(appointment::Column::CheckOutTime.is_null())
        .exec(&txn)
        .await?;
    if done.rows_affected == 0 {
        return Err(Error::conflict("already checked out"));
    }
    let row = appointment::Entity::find_by_id(a.id).one(&txn).await?.ok_or(Error::NotFound)?;
    txn.commit().await?;
    Ok(row)
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;

    #[test]
    fn travel_time_defaults_to_the_minutes_since_check_in() {
        let now = Utc::now();
        assert_eq!(travel_minutes(Some(25), now - Duration::minutes(90), now), 25);
        assert_eq!(travel_minutes(None, now - Duration::minutes(90), now), 90);
        assert_eq!(
            travel_minutes(None, now + Duration::minutes(5), now),
            0,
            "clock skew is no negative time"
        );
    }
}
