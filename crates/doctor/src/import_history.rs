//! The doctor service's share of the legacy monolith's history
//! (`quickcare import-legacy`), beside the profiles themselves: each
//! imported appointment's `appointment_facts` row (what the metrics count)
//! and each rated doctor's summary on the profile — the read models the
//! appointment and rating events would have built, written directly since
//! history is not replayed. Run after the profiles are imported.
//!
//! Re-running is idempotent: equal rows are left alone, and a summary is
//! applied by the rule its event follows ([`summary::apply`]: never over a
//! newer version).

use kit::{
    Result,
    events::catalog,
    ids::{AppointmentId, DoctorId},
    import::{AppointmentFact, Counts, upsert},
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
pub async fn import(
    db: &DatabaseConnection,
    facts: &[AppointmentFact],
    summaries: &[catalog::RatingSummaryChanged],
) -> Result<Outcome> {
    let txn = kit::db::begin_write(db).await?;
    let mut outcome = Outcome::default();
    for f in facts {
        let a = &f.appointment;
        let wanted = appointment_fact::Model {
            appointment_id: AppointmentId(a.appointment_id),
            doctor_id: DoctorId(a.doctor_id),
            status: a.status.clone(),
            travel_time_minutes: a.travel_time_minutes,
        };
        let stored = appointment_fact::Entity::find_by_id(wanted.appointment_id).one(&txn).await?;
        upsert(&txn, stored.as_ref(), wanted, &mut outcome.facts).await?;
    }
    for s in summaries {
        let stored = doctor::Entity::find_by_id(DoctorId(s.doctor_id)).one(&txn).await?;
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
    txn.commit().await?;
    Ok(outcome)
}
