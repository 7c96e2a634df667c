//! Demo data for `quickcare up`: weekly schedules for the demo doctors and
//! a history of past and upcoming appointments for the demo patients, so
//! the first screen a newcomer sees is alive. It runs once (nothing is
//! added when schedules exist) and writes events like any change, so
//! care relationships and metrics fill in too.

use std::time::Duration;

use chrono::{Datelike, Duration as Days, NaiveTime, Utc, Weekday};
use kit::events::catalog::EventType;
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryOrder, Set};

use crate::{
    announce::announce,
    entity::{appointment, doctor, patient, schedule},
    slots,
    status::{Status, slot_hold},
};

const WEEKDAYS: [Weekday; 5] = [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri];
const STARTS: [(u32, u32); 10] =
    [(9, 0), (9, 30), (10, 0), (10, 30), (11, 0), (11, 30), (14, 0), (14, 30), (15, 0), (15, 30)];

/// Waits (up to `wait`) for `doctors` doctors and at least one patient to
/// reach the read models, then seeds. Returns whether it seeded.
pub async fn demo(db: &DatabaseConnection, doctors: u64, wait: Duration) -> anyhow::Result<bool> {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let known = doctor::Entity::find().count(db).await?;
        let patients = patient::Entity::find().count(db).await?;
        if known >= doctors && patients > 0 {
            break;
        }
        if tokio::time::Instant::now() > deadline {
            tracing::warn!(
                known,
                patients,
                "demo doctors or patients not announced in time; no demo schedules"
            );
            return Ok(false);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    if schedule::Entity::find().count(db).await? > 0 {
        return Ok(false);
    }
    let now = Utc::now();
    let doctors = doctor::Entity::find().order_by_asc(doctor::Column::DoctorId).all(db).await?;
    let mut slots_of = Vec::new();
    for d in &doctors {
        let mut rows = Vec::new();
        for day in WEEKDAYS {
            for (h, m) in STARTS {
                let start = NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default();
                let row = schedule::ActiveModel {
                    doctor_id: Set(d.doctor_id),
                    day: Set(Some(slots::day_name(day).to_owned())),
                    specific_date: Set(None),
                    start: Set(start),
                    end: Set(slots::default_end(start)),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(db)
                .await?;
                rows.push(row);
            }
        }
        slots_of.push((d.clone(), rows));
    }
    let patients = patient::Entity::find().order_by_asc(patient::Column::PatientId).all(db).await?;
    let today = now.date_naive();
    // Four appointments per patient: two past (completed, cancelled) and two
    // ahead (approved, pending), each in its own week so none overlap.
    let plan =
        [(-3i64, Status::Completed), (-1, Status::Cancelled), (1, Status::Approved), (2, Status::Pending)];
    for (pi, p) in patients.iter().enumerate() {
        for (k, (weeks, state)) in plan.iter().enumerate() {
            let (d, rows) = &slots_of[(pi * 3 + k) % slots_of.len()];
            let row = &rows[(pi * 7 + k * 11) % rows.len()];
            let Some(day) = row.day.as_deref().and_then(slots::parse_day) else { continue };
            let monday = today - Days::days(i64::from(today.weekday().num_days_from_monday()));
            let date = monday + Days::weeks(*weeks) + Days::days(i64::from(day.num_days_from_monday()));
            let Some((start_at, end_at)) =
                slots::instants(slots::zone(&d.timezone), date, row.start, row.end)
            else {
                continue;
            };
            let txn = kit::db::begin_write(db).await?;
            let a = appointment::ActiveModel {
                reason: Set(["Consultation", "Suivi", "Contrôle annuel", "Douleurs"][k].to_owned()),
                status: Set(*state),
                appointment_date: Set(date),
                doctor_comment: Set(
                    (*state == Status::Completed).then(|| "RAS, à revoir dans 6 mois".to_owned())
                ),
                patient_id: Set(p.patient_id),
                doctor_id: Set(d.doctor_id),
                schedule_id: Set(row.id),
                start_at: Set(start_at),
                end_at: Set(end_at),
                active_slot: Set(slot_hold(*state)),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            let kind = match *state {
                Status::Completed => EventType::AppointmentCompleted,
                Status::Cancelled => EventType::AppointmentCancelled,
                Status::Approved => EventType::AppointmentApproved,
                _ => EventType::AppointmentBooked,
            };
            announce(&txn, kind, &a).await?;
            txn.commit().await?;
        }
    }
    Ok(true)
}
