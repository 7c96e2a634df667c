//! A doctor's numbers, counted from the appointment facts read model.

use kit::{Result, events::catalog::AppointmentStatus};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde::Serialize;
use utoipa::ToSchema;

use crate::entity::{appointment_fact, doctor};

#[derive(Debug, Default, Serialize, ToSchema)]
pub struct Metrics {
    pub appointments_total: i64,
    pub completed: i64,
    pub cancelled: i64,
    pub no_show: i64,
    pub expired: i64,
    /// no-shows among visits that were due (completed + no-show), 0..1.
    pub no_show_rate: f64,
    pub avg_rating: f64,
    pub rating_count: i64,
    /// Over visits with a recorded travel time; null when none.
    pub avg_travel_minutes: Option<f64>,
}

/// The numbers of `profile`, from its appointment facts.
pub async fn of(db: &DatabaseConnection, profile: &doctor::Model) -> Result<Metrics> {
    // One doctor's facts are thousands of small rows at most: counted here
    // rather than with a GROUP BY per column.
    let facts = appointment_fact::Entity::find()
        .filter(appointment_fact::Column::DoctorId.eq(profile.id))
        .all(db)
        .await?;
    Ok(Metrics { avg_rating: profile.avg_rating, rating_count: profile.rating_count, ..tally(&facts) })
}

/// Counts `facts` by status, the no-show rate over visits that were due,
/// and the mean travel time (the rating numbers are left at zero: they
/// are the profile's).
pub fn tally(facts: &[appointment_fact::Model]) -> Metrics {
    let mut m = Metrics::default();
    let (mut travel_sum, mut travel_n) = (0i64, 0i64);
    for f in facts {
        m.appointments_total += 1;
        match f.status {
            AppointmentStatus::Completed => m.completed += 1,
            AppointmentStatus::Cancelled => m.cancelled += 1,
            AppointmentStatus::NoShow => m.no_show += 1,
            AppointmentStatus::Expired => m.expired += 1,
            AppointmentStatus::Pending | AppointmentStatus::Approved => {}
        }
        if let Some(t) = f.travel_time_minutes {
            travel_sum += i64::from(t);
            travel_n += 1;
        }
    }
    let due = m.completed + m.no_show;
    m.no_show_rate = if due > 0 { m.no_show as f64 / due as f64 } else { 0.0 };
    m.avg_travel_minutes = (travel_n > 0).then(|| travel_sum as f64 / travel_n as f64);
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    use kit::events::catalog::AppointmentStatus::*;

    fn fact(status: AppointmentStatus, travel: Option<i32>) -> appointment_fact::Model {
        appointment_fact::Model {
            appointment_id: kit::ids::AppointmentId(0),
            doctor_id: kit::ids::DoctorId(1),
            status,
            travel_time_minutes: travel,
        }
    }

    #[test]
    fn counts_statuses_the_no_show_rate_and_the_mean_travel_time() {
        let facts = [
            fact(Completed, Some(10)),
            fact(Completed, None),
            fact(Completed, Some(20)),
            fact(NoShow, None),
            fact(Cancelled, None),
            fact(Expired, None),
            fact(Approved, None),
        ];
        let m = tally(&facts);
        assert_eq!((m.appointments_total, m.completed, m.no_show, m.cancelled, m.expired), (7, 3, 1, 1, 1));
        assert_eq!(m.no_show_rate, 0.25);
        assert_eq!(m.avg_travel_minutes, Some(15.0));
    }

    #[test]
    fn no_facts_means_zeros_and_no_travel_time() {
        let m = tally(&[]);
        assert_eq!((m.appointments_total, m.no_show_rate, m.avg_travel_minutes), (0, 0.0, None));
    }
}
