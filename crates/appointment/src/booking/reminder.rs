//! When a patient's reminder is due.

use chrono::{DateTime, Utc};
use kit::{Result, ids::PatientId};
use sea_orm::{ConnectionTrait, EntityTrait};

use crate::entity::patient;

/// When the patient's reminder for an appointment at `start` is due: their
/// own lead time (notification preferences) or `default_lead_minutes`, the
/// platform's.
pub async fn reminder_at<C: ConnectionTrait>(
    conn: &C,
    patient_id: PatientId,
    start: DateTime<Utc>,
    default_lead_minutes: i64,
) -> Result<DateTime<Utc>> {
    let own = patient::Entity::find_by_id(patient_id).one(conn).await?.and_then(|p| p.reminder_minutes);
    Ok(due(start, own, default_lead_minutes))
}

/// `start` minus the patient's own lead time, or the default one.
pub fn due(start: DateTime<Utc>, own_minutes: Option<i32>, default_minutes: i64) -> DateTime<Utc> {
    start - chrono::Duration::minutes(own_minutes.map(i64::from).unwrap_or(default_minutes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_patients_own_lead_time_wins_over_the_platforms() {
        let start = Utc::now();
        assert_eq!(due(start, Some(60), 1440), start - chrono::Duration::hours(1));
        assert_eq!(due(start, None, 1440), start - chrono::Duration::hours(24));
    }
}
