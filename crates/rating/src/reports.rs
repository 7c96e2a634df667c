//! Reporting a published rating. Each user's report counts once; the
//! third since the last moderation decision holds the rating for review.

use chrono::Utc;
use kit::{
    Error, Result,
    ids::{RatingId, UserId},
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter, Set,
};

use crate::{
    entity::{rating, report},
    summaries,
};

/// Reports (from distinct users) that hold a published rating.
pub const HOLD_AFTER_REPORTS: i32 = 3;

/// Records `reporter_user_id`'s report of rating `rating_id` for `reason`
/// (already trimmed, not blank). Idempotent per reporter: a repeat changes
/// nothing, whatever became of the rating since. Only a published rating
/// can be reported; any other is unknown to the reporter (404).
pub async fn report(
    db: &DatabaseConnection,
    reporter_user_id: UserId,
    rating_id: RatingId,
    reason: &str,
) -> Result<()> {
    let doctor_id = rating::Entity::find_by_id(rating_id).one(db).await?.ok_or(Error::NotFound)?.doctor_id;
    let txn = kit::db::begin_write(db).await?;
    summaries::lock(&txn, doctor_id).await?;
    let r = rating::Entity::find_by_id(rating_id).one(&txn).await?.ok_or(Error::NotFound)?;
    let mine = report::Entity::find()
        .filter(report::Column::RatingId.eq(rating_id))
        .filter(report::Column::ReporterUserId.eq(reporter_user_id))
        .one(&txn)
        .await?;
    if mine.is_some() {
        // Idempotent: the same answer as the first time, whatever became of it.
        return Ok(());
    }
    // Only what the public sees can be reported; the rest does not exist to them.
    if r.status != rating::Status::Published {
        return Err(Error::NotFound);
    }
    let recorded = report::ActiveModel {
        rating_id: Set(rating_id),
        reporter_user_id: Set(reporter_user_id),
        reason: Set(reason.to_owned()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    match recorded {
        Ok(_) => {}
        Err(e) if kit::db::is_unique_violation(&e) => return Ok(()),
        Err(e) => return Err(e.into()),
    }
    let count = r.report_count.saturating_add(1);
    let mut active = r.into_active_model();
    active.report_count = Set(count);
    let held = count >= HOLD_AFTER_REPORTS;
    if held {
        active.status = Set(rating::Status::Held);
        active.hold_reason = Set(Some(format!("reported by {count} users")));
    }
    active.update(&txn).await?;
    if held {
        // It left the published set.
        summaries::announce(&txn, doctor_id).await?;
    }
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use kit::{
        ids::{DoctorId, PatientId},
        testing::{Backend, TestEnv, TestIssuer},
    };

    use super::*;

    /// A published rating of doctor 7 on a fresh SQLite database.
    async fn published() -> (TestEnv, DatabaseConnection, RatingId) {
        let env = TestEnv::new(Backend::Sqlite);
        let db = env.context("rating", &TestIssuer::new()).await.db;
        crate::migrate(&db).await.unwrap();
        let now = Utc::now();
        let row = rating::ActiveModel {
            patient_id: Set(PatientId(1)),
            doctor_id: Set(DoctorId(7)),
            rating: Set(4),
            comment: Set(Some("fine".into())),
            created_at: Set(now),
            updated_at: Set(now),
            status: Set(rating::Status::Published),
            hold_reason: Set(None),
            report_count: Set(0),
            moderated_at: Set(None),
            ..Default::default()
        }
        .insert(&db)
        .await
        .unwrap();
        (env, db, row.id)
    }

    async fn status(db: &DatabaseConnection, id: RatingId) -> (rating::Status, i32) {
        let r = rating::Entity::find_by_id(id).one(db).await.unwrap().unwrap();
        (r.status, r.report_count)
    }

    #[tokio::test]
    async fn the_third_distinct_reporter_holds_the_rating_and_repeats_do_not_count() {
        let (_env, db, id) = published().await;
        for _ in 0..3 {
            report(&db, UserId(100), id, "rude").await.unwrap();
        }
        assert_eq!(status(&db, id).await, (rating::Status::Published, 1));
        report(&db, UserId(101), id, "rude").await.unwrap();
        report(&db, UserId(102), id, "rude").await.unwrap();
        assert_eq!(status(&db, id).await, (rating::Status::Held, HOLD_AFTER_REPORTS));
        // Held: no longer public, so unknown to a new reporter; a repeat is still accepted.
        assert!(matches!(report(&db, UserId(103), id, "rude").await, Err(Error::NotFound)));
        report(&db, UserId(100), id, "rude").await.unwrap();
    }
}
