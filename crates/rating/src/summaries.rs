//! A doctor's summary over published ratings, the per-doctor lock that
//! keeps it exact under concurrent changes, and its announcement.
//!
//! Every transaction that changes a doctor's ratings calls [`lock`] first.
//! Changes to one doctor then commit one at a time (MySQL: the row lock;
//! SQLite: write transactions already do), and because MySQL write
//! transactions run READ COMMITTED, each one recomputes over every change
//! committed before it. The `rating.summary_changed` events therefore
//! leave the outbox in commit order, and the last one is always exact.

use std::collections::BTreeMap;

use chrono::Utc;
use kit::{events::catalog, ids::DoctorId};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, QueryFilter,
    QuerySelect, Set,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::entity::{rating, summary};

/// `{doctor_id, average, count, distribution:{"1":n,…,"5":n}}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Summary {
    pub doctor_id: DoctorId,
    /// Mean of the published ratings, 2 decimals; 0 when there are none.
    pub average: f64,
    pub count: i64,
    /// Published ratings per score, every score from "1" to "5" present.
    pub distribution: BTreeMap<String, i64>,
}

/// Rounds to 2 decimals; 0 for no ratings.
pub fn average(sum: i64, count: i64) -> f64 {
    if count == 0 { 0.0 } else { (sum as f64 / count as f64 * 100.0).round() / 100.0 }
}

/// The summary of `doctor_id`'s published ratings, as `conn` sees them.
pub async fn compute<C: ConnectionTrait>(conn: &C, doctor_id: DoctorId) -> Result<Summary, DbErr> {
    let per_score: Vec<(i32, i64)> = rating::Entity::find()
        .select_only()
        .column(rating::Column::Rating)
        .column_as(rating::Column::Id.count(), "n")
        .filter(rating::Column::DoctorId.eq(doctor_id))
        .filter(rating::Column::Status.eq(rating::Status::Published))
        .group_by(rating::Column::Rating)
        .into_tuple()
        .all(conn)
        .await?;
    let mut distribution: BTreeMap<String, i64> = (1..=5).map(|s: i32| (s.to_string(), 0)).collect();
    let (mut sum, mut count) = (0i64, 0i64);
    for (score, n) in per_score {
        distribution.insert(score.to_string(), n);
        sum += i64::from(score) * n;
        count += n;
    }
    Ok(Summary { doctor_id, average: average(sum, count), count, distribution })
}

/// Takes `doctor_id`'s lock for the rest of `txn` (creating its row the
/// first time). Call before reading or writing any of the doctor's ratings.
pub async fn lock(txn: &DatabaseTransaction, doctor_id: DoctorId) -> Result<(), DbErr> {
    let row = summary::ActiveModel {
        doctor_id: Set(doctor_id),
        average: Set(0.0),
        count: Set(0),
        version: Set(0),
        updated_at: Set(Utc::now()),
    };
    summary::Entity::insert(row).on_conflict_do_nothing().exec_without_returning(txn).await?;
    summary::Entity::find_by_id(doctor_id).lock_exclusive().one(txn).await?;
    Ok(())
}

/// Recomputes `doctor_id`'s summary inside `txn` (which holds its
/// [`lock`]), records it and publishes `rating.summary_changed` with it.
pub async fn announce(txn: &DatabaseTransaction, doctor_id: DoctorId) -> Result<Summary, DbErr> {
    let (s, payload) = record(txn, doctor_id).await?;
    let subject = Some(format!("doctor/{doctor_id}"));
    kit::events::publish(txn, "rating", catalog::EventType::RatingSummaryChanged, subject, &payload).await?;
    Ok(s)
}

/// Recomputes `doctor_id`'s summary inside `txn` (which holds its
/// [`lock`]) and records it under the next version, without announcing
/// it: what [`announce`] publishes, for a writer that hands it to the
/// doctor service itself (the legacy import).
pub async fn record(
    txn: &DatabaseTransaction,
    doctor_id: DoctorId,
) -> Result<(Summary, catalog::RatingSummaryChanged), DbErr> {
    let s = compute(txn, doctor_id).await?;
    let previous = summary::Entity::find_by_id(doctor_id).one(txn).await?.map_or(0, |r| r.version);
    let version = previous + 1;
    summary::ActiveModel {
        doctor_id: Set(doctor_id),
        average: Set(s.average),
        count: Set(s.count),
        version: Set(version),
        updated_at: Set(Utc::now()),
    }
    .update(txn)
    .await?;
    let payload = catalog::RatingSummaryChanged { doctor_id, average: s.average, count: s.count, version };
    Ok((s, payload))
}

/// Announces when a change touched the published set: the rating was
/// published before, or is now.
pub async fn announce_if(
    txn: &DatabaseTransaction,
    doctor_id: DoctorId,
    was_published: bool,
    is_published: bool,
) -> Result<(), DbErr> {
    if was_published || is_published {
        announce(txn, doctor_id).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn averages_round_to_two_decimals() {
        assert_eq!(average(0, 0), 0.0);
        assert_eq!(average(10, 3), 3.33);
        assert_eq!(average(11, 3), 3.67);
        assert_eq!(average(5, 1), 5.0);
    }
}
