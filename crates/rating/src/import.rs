//! Ratings brought over from the legacy monolith (`quickcare import-legacy`).
//!
//! A legacy rating keeps its id and lands as a new one would: its comment
//! is judged by the rule every submission passes
//! ([`Content::judge`](crate::authoring::Content::judge)), so one with a
//! blocked word is held for moderation (and left out of the summary), the
//! rest published (the monolith showed every rating). The monolith kept
//! one row per patient and doctor, updated in place; so does the unique
//! index here. Each imported appointment gives its `visits` row (what
//! eligibility to rate is decided on), as its events would have. The
//! summaries are recomputed from the ratings by [`summaries`], never
//! copied from the monolith's `avg_rating`, and recorded under a new
//! version — not announced: `rating.summary_changed` has one consumer, the
//! doctor listing, and the importer hands it [`Outcome::standing`]
//! (`doctor::import_history`, which applies it by that event's rule), so
//! each read model is built one way.
//!
//! Re-running is idempotent: equal rows are left alone, and so is a
//! rating its patient changed on QuickCare since (a later `updated_at`);
//! moderation (held, reported, rejected) stays as it is here while the
//! comment does, and starts over, as an edit's does, when the monolith's
//! comment changed. A summary gets a new version only when its numbers
//! change. A legacy rating whose id QuickCare has since given a rating of
//! its own is never written over it: the importer asks [`taken_ratings`]
//! first and leaves it out.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use kit::{
    Result,
    events::catalog,
    ids::{DoctorId, PatientId, RatingId},
    import::{AppointmentFact, Counts, Watermarks, upsert},
};
use sea_orm::{DatabaseConnection, DatabaseTransaction, EntityTrait};

use crate::{
    authoring::{self, Content},
    entity::{rating, summary, visit},
    moderation::BlockList,
    summaries,
};

/// One legacy `ratings` row, validated by the importer (score 1 to 5, its
/// patient and doctor imported, one per pair).
#[derive(Clone, Debug)]
pub struct LegacyRating {
    pub id: RatingId,
    pub patient_id: PatientId,
    pub doctor_id: DoctorId,
    pub rating: i32,
    pub comment: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What one import did, per table, and every rated doctor's summary as it
/// now stands (for the doctor service's copy).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    pub visits: Counts,
    pub ratings: Counts,
    pub summaries: Counts,
    pub standing: Vec<catalog::RatingSummaryChanged>,
}

/// Of the legacy `rows`, the ids QuickCare has given ratings of its own since an
/// earlier import ([`kit::import::made_on_quickcare`]): the importer
/// leaves those legacy rows out, and what hangs off them, instead of
/// writing over the platform's.
pub async fn taken_ratings(db: &DatabaseConnection, rows: &[LegacyRating]) -> Result<BTreeSet<i64>> {
    let legacy: Vec<_> = rows.iter().map(|r| (r.id.0, r.created_at)).collect();
    kit::import::made_on_quickcare::<rating::Entity, _>(
        db,
        rating::Column::Id,
        rating::Column::CreatedAt,
        &legacy,
    )
    .await
}

/// Writes the visits, the ratings (comments judged against `blocked`, the
/// rating service's list) and the rated doctors' summaries in one
/// transaction: all or none. A summary is recomputed from every rating
/// stored for its doctor, so a delta run's few ratings give the same
/// summary a full run would. This run's `marks` ([`kit::import::advance`])
/// are recorded in the same transaction: the legacy rows count as absorbed
/// here only once these writes committed.
pub async fn import(
    db: &DatabaseConnection,
    blocked: &BlockList,
    facts: &[AppointmentFact],
    ratings: &[LegacyRating],
    marks: &Watermarks,
) -> Result<Outcome> {
    let txn = kit::db::begin_write(db).await?;
    let mut outcome = Outcome::default();
    for f in facts {
        let a = &f.appointment;
        let wanted = visit::Model {
            appointment_id: a.appointment_id,
            patient_id: a.patient_id,
            doctor_id: a.doctor_id,
            status: a.status,
            start_at: a.start_at,
            changed_at: f.changed_at,
        };
        let stored = visit::Entity::find_by_id(wanted.appointment_id).one(&txn).await?;
        match &stored {
            Some(s) if s.changed_at > wanted.changed_at => outcome.visits.unchanged += 1,
            _ => upsert(&txn, stored.as_ref(), wanted, &mut outcome.visits).await?,
        }
    }
    // Locks in one order everywhere (see `summaries`), before any rating
    // of the doctor is written.
    let doctors: BTreeSet<DoctorId> = ratings.iter().map(|r| r.doctor_id).collect();
    for &doctor_id in &doctors {
        summaries::lock(&txn, doctor_id).await?;
    }
    for legacy in ratings {
        let stored = rating::Entity::find_by_id(legacy.id).one(&txn).await?;
        match &stored {
            Some(s) if s.updated_at > legacy.updated_at => outcome.ratings.unchanged += 1,
            _ => {
                let wanted = row(legacy, stored.as_ref(), blocked);
                if stored.as_ref().is_some_and(|s| s.comment != wanted.comment) {
                    authoring::drop_reports(&txn, legacy.id).await?;
                }
                upsert(&txn, stored.as_ref(), wanted, &mut outcome.ratings).await?;
            }
        }
    }
    for doctor_id in doctors {
        outcome.standing.push(summary(&txn, doctor_id, &mut outcome.summaries).await?);
    }
    kit::import::advance(&txn, marks).await?;
    txn.commit().await?;
    Ok(outcome)
}

/// The row a legacy rating stands for: judged as a submission is, unless
/// the stored row has the same comment (its moderation stays).
fn row(legacy: &LegacyRating, stored: Option<&rating::Model>, blocked: &BlockList) -> rating::Model {
    let content = Content::judge(blocked, legacy.rating, legacy.comment.clone());
    let moderation = match stored {
        Some(s) if s.comment == content.comment => {
            (s.status, s.hold_reason.clone(), s.report_count, s.moderated_at)
        }
        _ => (content.status, content.hold_reason, 0, None),
    };
    let (status, hold_reason, report_count, moderated_at) = moderation;
    rating::Model {
        id: legacy.id,
        patient_id: legacy.patient_id,
        doctor_id: legacy.doctor_id,
        rating: content.rating,
        comment: content.comment,
        created_at: legacy.created_at,
        updated_at: legacy.updated_at,
        status,
        hold_reason,
        report_count,
        moderated_at,
    }
}

/// `doctor_id`'s summary (its lock held), recorded under a new version
/// when its numbers differ from the last recorded ones or none was.
async fn summary(
    txn: &DatabaseTransaction,
    doctor_id: DoctorId,
    counts: &mut Counts,
) -> Result<catalog::RatingSummaryChanged> {
    let now = summaries::compute(txn, doctor_id).await?;
    let last = summary::Entity::find_by_id(doctor_id).one(txn).await?;
    let version = match last {
        Some(s) if s.version > 0 && s.count == now.count && s.average == now.average => {
            counts.unchanged += 1;
            s.version
        }
        _ => {
            counts.written += 1;
            summaries::record(txn, doctor_id).await?.1.version
        }
    };
    Ok(catalog::RatingSummaryChanged { doctor_id, average: now.average, count: now.count, version })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use kit::testing::{Backend, TestEnv};
    use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};

    use super::*;

    fn legacy(id: i64, patient_id: i64, doctor_id: i64, score: i32) -> LegacyRating {
        let at = DateTime::UNIX_EPOCH + chrono::Duration::days(20_000);
        LegacyRating {
            id: RatingId(id),
            patient_id: PatientId(patient_id),
            doctor_id: DoctorId(doctor_id),
            rating: score,
            comment: Some("Très bien".into()),
            created_at: at,
            updated_at: at,
        }
    }

    fn completed(appointment_id: i64, patient_id: i64, doctor_id: i64) -> AppointmentFact {
        let at = DateTime::UNIX_EPOCH + chrono::Duration::days(20_000);
        let appointment = catalog::AppointmentChanged {
            appointment_id: kit::ids::AppointmentId(appointment_id),
            patient_id: PatientId(patient_id),
            patient_user_id: kit::ids::UserId(100 + patient_id),
            doctor_id: DoctorId(doctor_id),
            doctor_user_id: kit::ids::UserId(200 + doctor_id),
            status: catalog::AppointmentStatus::Completed,
            start_at: at,
            end_at: at,
            travel_time_minutes: None,
        };
        AppointmentFact { appointment, active: false, booked_at: at, changed_at: at }
    }

    #[tokio::test]
    async fn summaries_are_recomputed_and_a_rerun_keeps_moderation_and_announces_nothing() {
        let env = TestEnv::new(Backend::Sqlite);
        let db = kit::db::connect(&env.settings, "rating").await.unwrap();
        crate::migrate(&db).await.unwrap();
        let blocked = BlockList::new(None);
        let facts = [completed(1, 1, 7), completed(2, 2, 7)];
        let rude = LegacyRating { comment: Some("Quel imbécile !".into()), ..legacy(4, 4, 7, 1) };
        let ratings = [legacy(1, 1, 7, 5), legacy(2, 2, 7, 2), legacy(3, 3, 8, 4), rude];

        let first = import(&db, &blocked, &facts, &ratings, &Watermarks::new()).await.unwrap();
        assert_eq!((first.visits.written, first.ratings.written, first.summaries.written), (2, 4, 2));
        // The blocked word holds the rating as it holds a new one, so the
        // summary leaves it out.
        let held = rating::Entity::find_by_id(RatingId(4)).one(&db).await.unwrap().unwrap();
        assert_eq!(held.status, rating::Status::Held);
        assert_eq!(held.hold_reason.as_deref(), Some("comment contains the blocked word \"imbecile\""));
        let seven = first.standing.iter().find(|s| s.doctor_id == DoctorId(7)).unwrap();
        assert_eq!((seven.average, seven.count, seven.version), (3.5, 2, 1));
        assert!(crate::eligibility::may_rate(&db, PatientId(1), DoctorId(7), Utc::now()).await.unwrap());
        let kind = catalog::EventType::RatingSummaryChanged;
        assert!(kit::events::first_written(&db, kind, "doctor/7").await.unwrap().is_none(), "announced");

        // An admin holds one rating; the re-run leaves it held and the
        // summaries as recorded.
        let held = rating::Entity::find_by_id(RatingId(3)).one(&db).await.unwrap().unwrap();
        let mut held = held.into_active_model();
        held.status = Set(rating::Status::Held);
        held.update(&db).await.unwrap();
        let again = import(&db, &blocked, &facts, &ratings, &Watermarks::new()).await.unwrap();
        assert_eq!((again.visits.unchanged, again.ratings.unchanged), (2, 4));
        assert_eq!(again.summaries.written, 1, "doctor 8's summary lost its held rating");
        let still = rating::Entity::find_by_id(RatingId(3)).one(&db).await.unwrap().unwrap();
        assert_eq!(still.status, rating::Status::Held);
        let third = import(&db, &blocked, &facts, &ratings, &Watermarks::new()).await.unwrap();
        assert_eq!((third.summaries.written, third.summaries.unchanged), (0, 2));

        // A comment changed in the monolith is judged again.
        let polite = LegacyRating {
            comment: Some("Très à l'écoute".into()),
            updated_at: ratings[3].updated_at + chrono::Duration::days(1),
            ..ratings[3].clone()
        };
        let fourth = import(&db, &blocked, &facts, &[polite], &Watermarks::new()).await.unwrap();
        assert_eq!(fourth.ratings.written, 1);
        let published = rating::Entity::find_by_id(RatingId(4)).one(&db).await.unwrap().unwrap();
        assert_eq!((published.status, published.hold_reason), (rating::Status::Published, None));
        let seven = fourth.standing.iter().find(|s| s.doctor_id == DoctorId(7)).unwrap();
        assert_eq!((seven.average, seven.count, seven.version), (2.67, 3, 2));
    }
}
