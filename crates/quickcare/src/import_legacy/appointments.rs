//! `schedules` → slots and `appointments` → appointments, checked by the
//! appointment service's own rules (`appointment::import`). A row those
//! rules refuse, or that hangs off a row left out, is reported; of two
//! active appointments on one slot and date, or of one patient at one
//! time, the later (by id) is; so is one whose slot and date an
//! appointment booked on QuickCare holds (`appointment::import` decides,
//! in its transaction; [`taken_on_quickcare`] asks it for a dry run).
//! A slot whose id QuickCare gave a slot of its own is left out before
//! the appointments are checked (`taken`), so those on it are reported as
//! hanging off a skipped slot.

use std::collections::{HashMap, HashSet};

use appointment::{
    entity::{appointment as row, schedule},
    import::{LegacyAppointment, LegacySchedule},
    slots, status,
};
use chrono::{DateTime, NaiveDate, Utc};
use kit::{
    ids::{AppointmentId, DoctorId, PatientId, ScheduleId, UserId},
    import::AppointmentFact,
};
use patient::import::LegacyPatient;

use doctor::import::LegacyDoctor;

use super::{
    report::Report,
    source::{Legacy, instant},
};

/// The slots to import, in legacy id order.
pub fn schedules(legacy: &Legacy, doctors: &[LegacyDoctor], report: &mut Report) -> Vec<schedule::Model> {
    let known: Vec<DoctorId> = doctors.iter().map(|d| d.id).collect();
    let mut per_doctor: HashMap<DoctorId, Vec<schedule::Model>> = HashMap::new();
    let mut out = Vec::new();
    for s in &legacy.schedules {
        let doctor_id = DoctorId(s.doctor_id);
        if !known.contains(&doctor_id) {
            report.skip("schedules", s.id, format!("doctor {} is not imported", s.doctor_id));
            continue;
        }
        let wanted = LegacySchedule {
            id: ScheduleId(s.id),
            doctor_id,
            day: s.day.clone(),
            specific_date: s.specific_date,
            start: s.start,
            end: s.end,
            created_at: instant(s.created_at, s.updated_at),
            updated_at: instant(s.updated_at, s.created_at),
        };
        let others = per_doctor.entry(doctor_id).or_default();
        match appointment::import::schedule(&wanted, others) {
            Ok(row) => {
                others.push(row.clone());
                out.push(row);
            }
            Err(e) => report.skip("schedules", s.id, e.to_string()),
        }
    }
    out
}

/// One of a patient's active appointments so far: its start, end and id.
type Held = (DateTime<Utc>, DateTime<Utc>, AppointmentId);

/// The appointments to import as of `now` (`lead_minutes`: the platform's
/// reminder lead time), in legacy id order. Of two active appointments on one slot and
/// date (the unique index), or of one patient's upcoming ones at one time
/// (booking's `patient_overlap`), the later is left out.
pub fn appointments(
    legacy: &Legacy,
    doctors: &[LegacyDoctor],
    patients: &[LegacyPatient],
    slots_kept: &[schedule::Model],
    (now, lead_minutes): (DateTime<Utc>, i64),
    report: &mut Report,
) -> Vec<row::Model> {
    let doctors: HashMap<DoctorId, &LegacyDoctor> = doctors.iter().map(|d| (d.id, d)).collect();
    let patients: HashSet<PatientId> = patients.iter().map(|p| p.id).collect();
    let kept: HashMap<ScheduleId, &schedule::Model> = slots_kept.iter().map(|s| (s.id, s)).collect();
    let legacy_slots: Vec<i64> = legacy.schedules.iter().map(|s| s.id).collect();
    let mut holders: HashMap<(ScheduleId, NaiveDate), AppointmentId> = HashMap::new();
    let mut busy: HashMap<PatientId, Vec<Held>> = HashMap::new();
    let mut rows = Vec::new();
    for a in &legacy.appointments {
        let mut skip = |reason: String| report.skip("appointments", a.id, reason);
        let Some(status) = status::from_legacy(&a.status) else {
            skip(format!("unknown status {:?}", a.status));
            continue;
        };
        if !patients.contains(&PatientId(a.patient_id)) {
            skip(format!("patient {} is not imported", a.patient_id));
            continue;
        }
        let Some(doctor) = doctors.get(&DoctorId(a.doctor_id)) else {
            skip(format!("doctor {} is not imported", a.doctor_id));
            continue;
        };
        let Some(slot) = kept.get(&ScheduleId(a.schedule_id)) else {
            skip(if legacy_slots.contains(&a.schedule_id) {
                format!("its schedule {} was skipped", a.schedule_id)
            } else {
                format!("dangling schedule_id {}", a.schedule_id)
            });
            continue;
        };
        if slot.doctor_id != doctor.id {
            skip(format!(
                "schedule {} is doctor {}'s, not doctor {}'s",
                a.schedule_id, slot.doctor_id, a.doctor_id
            ));
            continue;
        }
        let legacy_row = LegacyAppointment {
            id: AppointmentId(a.id),
            reason: a.reason.clone(),
            status,
            date: a.appointment_date,
            doctor_comment: a.doctor_comment.clone(),
            patient_id: PatientId(a.patient_id),
            doctor_id: doctor.id,
            schedule_id: slot.id,
            check_in_time: a.check_in_time,
            check_out_time: a.check_out_time,
            travel_time_minutes: a.travel_time_minutes,
            patient_availability: a.patient_availability.clone(),
            created_at: instant(a.created_at, a.updated_at),
            updated_at: instant(a.updated_at, a.created_at),
        };
        let wanted =
            match appointment::import::appointment(&legacy_row, slot, &doctor.timezone, now, lead_minutes) {
                Ok(r) => r,
                Err(e) => {
                    skip(e.to_string());
                    continue;
                }
            };
        if wanted.status.is_active() {
            if let Some(first) = holders.get(&(wanted.schedule_id, wanted.appointment_date)) {
                skip(format!(
                    "slot taken: appointments {first} holds schedule {} on {}",
                    a.schedule_id, a.appointment_date
                ));
                continue;
            }
            // Booking's rule of one place at a time holds for what is
            // still ahead; history is what it was.
            if wanted.start_at > now {
                let times = busy.entry(wanted.patient_id).or_default();
                if let Some((_, _, first)) =
                    times.iter().find(|(s, e, _)| slots::overlaps(*s, *e, wanted.start_at, wanted.end_at))
                {
                    skip(format!("patient {} already has appointments {first} at that time", a.patient_id));
                    continue;
                }
                times.push((wanted.start_at, wanted.end_at, wanted.id));
            }
            holders.insert((wanted.schedule_id, wanted.appointment_date), wanted.id);
        }
        rows.push(wanted);
    }
    rows
}

/// For a dry run: `rows` without those whose slot and date an appointment
/// booked on QuickCare holds (when the appointment service's database
/// exists, `db`), each reported as the real run would.
pub async fn taken_on_quickcare(
    db: Option<&sea_orm::DatabaseConnection>,
    rows: Vec<row::Model>,
    report: &mut Report,
) -> anyhow::Result<Vec<row::Model>> {
    let Some(db) = db else { return Ok(rows) };
    let refused: HashMap<AppointmentId, String> =
        appointment::import::refused(db, &rows).await?.into_iter().collect();
    Ok(rows
        .into_iter()
        .filter(|r| match refused.get(&r.id) {
            Some(reason) => {
                report.skip("appointments", r.id.0, reason.clone());
                false
            }
            None => true,
        })
        .collect())
}

/// What the other services' read models learn of each imported
/// appointment, as `stored` in the appointment service.
pub fn facts(
    stored: &[row::Model],
    doctors: &[LegacyDoctor],
    patients: &[LegacyPatient],
) -> Vec<AppointmentFact> {
    let doctors: HashMap<DoctorId, UserId> = doctors.iter().map(|d| (d.id, d.user_id)).collect();
    let patients: HashMap<PatientId, UserId> = patients.iter().map(|p| (p.id, p.user_id)).collect();
    let user = |id: Option<&UserId>| id.copied().unwrap_or_default();
    stored
        .iter()
        .map(|a| {
            appointment::import::fact(a, user(patients.get(&a.patient_id)), user(doctors.get(&a.doctor_id)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, NaiveTime};

    use super::*;
    use crate::import_legacy::source::{AppointmentRow, ScheduleRow};

    fn slot(id: i64, doctor_id: i64, day: &str, hour: u32) -> ScheduleRow {
        let start = NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or_default();
        ScheduleRow {
            id,
            start,
            end: start + Duration::minutes(30),
            day: day.into(),
            specific_date: None,
            doctor_id,
            created_at: None,
            updated_at: None,
        }
    }

    fn visit(id: i64, patient_id: i64, schedule_id: i64, date: &str, status: &str) -> AppointmentRow {
        AppointmentRow {
            id,
            reason: "Suivi".into(),
            status: status.into(),
            appointment_date: date.parse().unwrap_or_default(),
            doctor_comment: None,
            patient_id,
            doctor_id: 1,
            schedule_id,
            created_at: None,
            updated_at: None,
            check_in_time: None,
            check_out_time: None,
            travel_time_minutes: None,
            patient_availability: None,
        }
    }

    fn record(id: i64) -> LegacyPatient {
        LegacyPatient {
            id: PatientId(id),
            user_id: UserId(100 + id),
            name: format!("P {id}"),
            cin: "AB1".into(),
            birth_date: NaiveDate::default(),
            address: None,
            created_at: DateTime::UNIX_EPOCH,
            updated_at: DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn slots_and_appointments_are_refused_by_the_booking_rules() {
        // 2030-01-07 is a Monday.
        let legacy = Legacy {
            schedules: vec![
                slot(1, 1, "Monday", 9),
                slot(2, 1, "Monday", 9),
                slot(3, 1, "Monday", 10),
                slot(4, 2, "Monday", 9),
            ],
            appointments: vec![
                visit(1, 1, 1, "2030-01-07", "Approved"),
                visit(2, 2, 1, "2030-01-07", "pending"),
                visit(3, 2, 1, "2030-01-07", "Cancelled"),
                visit(4, 1, 3, "2030-01-07", "Pending"),
                visit(5, 1, 2, "2030-01-07", "Pending"),
                visit(6, 3, 3, "2030-01-08", "Pending"),
                visit(7, 9, 3, "2030-01-14", "Pending"),
                visit(8, 1, 3, "2030-01-14", "Completed"),
            ],
            ..Legacy::default()
        };
        let doctors = [crate::import_legacy::doctors::for_tests(1, 11, "Africa/Casablanca")];
        let mut report = Report::default();
        let slots = schedules(&legacy, &doctors, &mut report);
        assert_eq!(slots.iter().map(|s| s.id.0).collect::<Vec<_>>(), [1, 3]);
        let records = [record(1), record(2), record(3)];
        let rows = appointments(&legacy, &doctors, &records, &slots, (Utc::now(), 1440), &mut report);
        assert_eq!(rows.iter().map(|r| r.id.0).collect::<Vec<_>>(), [1, 3, 4, 8]);
        assert_eq!(
            facts(&rows, &doctors, &records)
                .iter()
                .map(|f| (f.appointment.patient_user_id.0, f.active))
                .collect::<Vec<_>>(),
            [(101, true), (102, false), (101, true), (101, false)]
        );
        let skipped: Vec<(&str, i64, &str)> =
            report.skipped.iter().map(|s| (s.table, s.id, s.reason.as_str())).collect();
        assert_eq!(
            skipped,
            [
                ("schedules", 2, "the slot overlaps another slot of this doctor"),
                ("schedules", 4, "doctor 2 is not imported"),
                ("appointments", 2, "slot taken: appointments 1 holds schedule 1 on 2030-01-07"),
                ("appointments", 5, "its schedule 2 was skipped"),
                ("appointments", 6, "date: the slot is not offered on that date"),
                ("appointments", 7, "patient 9 is not imported"),
            ]
        );
    }
}
