//! Moving an appointment to another slot or date.

use chrono::{DateTime, NaiveDate, Utc};
use kit::{
    Error, Result,
    events::catalog::EventType,
    ids::{AppointmentId, ScheduleId},
};
use sea_orm::{DatabaseConnection, EntityTrait, QuerySelect, sea_query::Expr};

use crate::{
    actor::Actor,
    announce::announce,
    booking::{patient_overlap, placement, reminder},
    entity::{appointment, doctor},
    lifecycle::moves,
    status::{ACTIVE, Status},
};

/// Where the appointment goes.
pub struct Target {
    pub schedule_id: ScheduleId,
    pub date: NaiveDate,
}

/// Moves appointment `id` of `doctor` to `target`, run again on a
/// deadlock or lock timeout. A patient's move goes back to pending.
pub async fn reschedule(
    db: &DatabaseConnection,
    actor: &Actor,
    doctor: &doctor::Model,
    id: AppointmentId,
    target: &Target,
    default_lead_minutes: i64,
) -> Result<appointment::Model> {
    let mut retry = kit::db::Retry::default();
    loop {
        match move_appointment(db, actor, doctor, id, target, default_lead_minutes).await {
            Err(e) if retry.again(&e).await => continue,
            done => return done,
        }
    }
}

/// The reschedule's write transaction: one UPDATE moves the row.
async fn move_appointment(
    db: &DatabaseConnection,
    actor: &Actor,
    doctor: &doctor::Model,
    id: AppointmentId,
    target: &Target,
    default_lead_minutes: i64,
) -> Result<appointment::Model> {
    let txn = kit::db::begin_write(db).await?;
    // Re-read under lock: the status may have moved since the caller looked.
    let current =
        appointment::Entity::find_by_id(id).lock_exclusive().one(&txn).await?.ok_or(Error::NotFound)?;
    if !current.status.is_active() {
        return Err(Error::conflict("only a pending or approved appointment can be rescheduled"));
    }
    let slot = placement::place(&txn, doctor, target.schedule_id, target.date).await?;
    patient_overlap::refuse_patient_overlap(&txn, current.patient_id, slot.start_at, slot.end_at, Some(id))
        .await?;
    // A patient's move needs the doctor's approval again.
    let new_status = if matches!(actor, Actor::Patient(_)) { Status::Pending } else { current.status };
    let reminder_at =
        reminder::reminder_at(&txn, current.patient_id, slot.start_at, default_lead_minutes).await?;
    // One UPDATE moves the row: the old slot is released exactly when the
    // new one is taken, and the unique index refuses a taken one.
    let mut sets = moves::to_status(new_status);
    sets.extend([
        (appointment::Column::ScheduleId, Expr::value(slot.schedule.id)),
        (appointment::Column::AppointmentDate, Expr::value(slot.date)),
        (appointment::Column::StartAt, Expr::value(slot.start_at)),
        (appointment::Column::EndAt, Expr::value(slot.end_at)),
        (appointment::Column::ReminderSentAt, Expr::value(Option::<DateTime<Utc>>::None)),
        (appointment::Column::ReminderAt, Expr::value(reminder_at)),
    ]);
    let row = moves::advance(&txn, id, &ACTIVE, sets).await?;
    announce(&txn, EventType::AppointmentRescheduled, &row).await?;
    txn.commit().await?;
    Ok(row)
}
