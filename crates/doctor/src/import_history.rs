//! The doctor service's share of the legacy monolith's history
//! (`quickcare import-legacy`), beside the profiles themselves: each
//! imported appointment's `appointment_facts` row (what the metrics count)
//! and each rated doctor's summary on the profile — the read models the
//! appointment and rating events would have built, written directly since
//! history is not replayed. This is the only way they are built for
//! history: the appointment import announces nothing, and the rating
//! import records each summary's version without announcing
//! `rating.summary_changed`, so no event arrives later to write them
//! again. Run after the profiles are imported.
//!
//! Re-running is idempotent: equal rows are left alone, and a summary is
//! applied by the rule its event follows ([`summary::apply`]: never over a
//! newer version).

use kit::{
    Result,
    events::catalog,
    import::{AppointmentFact, Counts, Watermarks, upsert},
};
use sea_orm::{DatabaseConnection, EntityTrait};

use crate::{
    entity::{appointment_fact, doctor},
    read_models::summary,
};

/// What one import did, per table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub facts: Counts,
    pub summaries: Counts,
}

/// Writes the facts and the summaries in one transaction: all or none.
/// The last of the doctor service's import writes: this run's `marks`
/// ([`kit::import::advance`]) are recorded in the same transaction, so
/// the legacy rows count as absorbed here only once all of them committed.
pub async fn import(
    db: &DatabaseConnection,
    facts: &[AppointmentFact],
    summaries: &[catalog::RatingSummaryChanged],
    marks: &Watermarks,
) -> Result<Outcome> {
    let txn = kit::db::begin_write(db).await?;
    let mut outcome = Outcome::default();
    for f in facts {
        let a = &f.appointment;
        let wanted = appointment_fact::Model {
            appointment_id: a.appointment_id,
            doctor_id: a.doctor_id,
            status: a.status,
            travel_time_minutes: a.travel_time_minutes,
        };
        let stored = appointment_fact::Entity::find_by_id(wanted.appointment_id).one(&txn).await?;
        upsert(&txn, stored.as_ref(), wanted, &mut outcome.facts).await?;
    }
    for s in summaries {
        let stored = doctor::Entity::find_by_id(s.doctor_id).one(&txn).await?;
        let current = stored.is_some_and(|d| {
            d.rating_version >= s.version && d.rating_count == s.count && d.avg_rating == s.average
        });
        // No profile (yet) to carry it is nothing written either.
        if !current && summary::apply(&txn, s).await? > 0 {
            outcome.summaries.written += 1;
        } else {
            outcome.summaries.unchanged += 1;
        }
    }
    kit::import::advance(&txn, marks).await?;
    txn.commit().await?;
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::profiles::enrolment::Seed;
    use chrono::Utc;
    use kit::{
        ids::{AppointmentId, DoctorId, PatientId, SpecialtyId, UserId},
        testing::{Backend, TestEnv},
    };

    fn fact(id: i64, doctor_id: DoctorId, status: catalog::AppointmentStatus) -> AppointmentFact {
        let now = Utc::now();
        let appointment = catalog::AppointmentChanged {
            appointment_id: AppointmentId(id),
            patient_id: PatientId(1),
            patient_user_id: UserId(10),
            doctor_id,
            doctor_user_id: UserId(20),
            status,
            start_at: now,
            end_at: now,
            travel_time_minutes: Some(25),
        };
        AppointmentFact { appointment, active: false, booked_at: now, changed_at: now }
    }

    #[tokio::test]
    async fn the_profile_carries_the_recomputed_summary_and_a_rerun_changes_nothing() {
        let env = TestEnv::new(Backend::Sqlite);
        let db = kit::db::connect(&env.settings, "doctor").await.unwrap();
        crate::migrate(&db).await.unwrap();
        let seed = Seed {
            user_id: UserId(20),
            name: "Dr Legacy".into(),
            birth_date: None,
            degree: "MD".into(),
            specialty_id: SpecialtyId(1),
            city: None,
            timezone: None,
        };
        let id = doctor::Entity::insert(seed.into_row(Utc::now())).exec(&db).await.unwrap().last_insert_id;
        let profile = doctor::Entity::find_by_id(id).one(&db).await.unwrap().unwrap();
        let summary = |version| catalog::RatingSummaryChanged {
            doctor_id: profile.id,
            average: 3.67,
            count: 3,
            version,
        };
        let facts = [
            fact(1, profile.id, catalog::AppointmentStatus::Completed),
            fact(2, profile.id, catalog::AppointmentStatus::Cancelled),
        ];
        // A summary of a doctor without a profile here writes nothing.
        let nobody = catalog::RatingSummaryChanged { doctor_id: DoctorId(profile.id.0 + 1), ..summary(1) };

        let first = import(&db, &facts, &[summary(2), nobody.clone()], &Watermarks::new()).await.unwrap();
        assert_eq!((first.facts.written, first.summaries.written, first.summaries.unchanged), (2, 1, 1));
        let stored = doctor::Entity::find_by_id(profile.id).one(&db).await.unwrap().unwrap();
        assert_eq!((stored.avg_rating, stored.rating_count, stored.rating_version), (3.67, 3, 2));
        let metrics = crate::metrics::of(&db, &stored).await.unwrap();
        assert_eq!((metrics.completed, metrics.cancelled), (1, 1));

        let again = import(&db, &facts, &[summary(2), nobody], &Watermarks::new()).await.unwrap();
        assert_eq!((again.facts.unchanged, again.summaries.unchanged), (2, 2));
        let older = catalog::RatingSummaryChanged { average: 1.0, ..summary(1) };
        import(&db, &[], &[older], &Watermarks::new()).await.unwrap();
        let kept = doctor::Entity::find_by_id(profile.id).one(&db).await.unwrap().unwrap();
        assert_eq!(kept.avg_rating, 3.67, "an older summary never wins");
    }
}
