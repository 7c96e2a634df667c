//! Patients change their own appointments only up to a deadline before the
//! start; doctors and admins any time.

use chrono::{DateTime, Duration, Utc};
use kit::{Error, Result};

use crate::{actor::Actor, entity::appointment};

/// 409: too close to the start for the patient to change it.
pub fn too_late(deadline_minutes: i64) -> Error {
    Error::conflict(format!(
        "too late: patients may change an appointment until {deadline_minutes} minutes before it starts"
    ))
}

/// 409 when `actor` is a patient and `now` is past the deadline
/// (`deadline_minutes` before `a` starts).
pub fn check_deadline(
    actor: &Actor,
    a: &appointment::Model,
    deadline_minutes: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    if let Actor::Patient(_) = actor
        && now > a.start_at - Duration::minutes(deadline_minutes)
    {
        return Err(too_late(deadline_minutes));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use kit::ids::{AppointmentId, DoctorId, PatientId, ScheduleId, UserId};

    use super::*;
    use crate::{entity::patient, status::Status};

    fn starting_at(start_at: DateTime<Utc>) -> appointment::Model {
        appointment::Model {
            id: AppointmentId(1),
            reason: "checkup".into(),
            status: Status::Approved,
            appointment_date: NaiveDate::default(),
            doctor_comment: None,
            patient_id: PatientId(1),
            doctor_id: DoctorId(1),
            schedule_id: ScheduleId(1),
            start_at,
            end_at: start_at + Duration::minutes(30),
            active_slot: Some(true),
            cancel_reason: None,
            check_in_time: None,
            check_out_time: None,
            travel_time_minutes: None,
            patient_availability: None,
            reminder_sent_at: None,
            reminder_at: None,
            created_at: start_at,
            updated_at: start_at,
        }
    }

    #[test]
    fn patients_are_held_to_the_deadline_and_others_are_not() {
        let now = Utc::now();
        let soon = starting_at(now + Duration::minutes(60));
        let patient = Actor::Patient(patient::Model {
            patient_id: PatientId(1),
            user_id: UserId(1),
            name: "P".into(),
            reminder_minutes: None,
        });
        let e = check_deadline(&patient, &soon, 120, now).err().map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some("too late: patients may change an appointment until 120 minutes before it starts")
        );
        assert!(check_deadline(&patient, &soon, 30, now).is_ok());
        assert!(check_deadline(&Actor::Admin, &soon, 120, now).is_ok());
    }
}
