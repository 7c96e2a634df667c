//! Creating, moving and deleting slots: each change takes the doctor's
//! lock, checks overlaps and bookings, and announces `schedule.changed`
//! in its transaction.

use chrono::Utc;
use kit::{
    Error, Result,
    events::catalog::{self, ScheduleChange},
    ids::{DoctorId, ScheduleId},
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QuerySelect, Set,
};

use crate::{
    actor::Actor,
    entity::{appointment, doctor, schedule},
    schedules::{
        management::owned,
        overlap::refuse_overlap,
        shape::{Slot, shape},
    },
    slots,
};

/// 409: moving or deleting the slot would strand its patients.
pub fn slot_booked(message: &'static str) -> Error {
    Error::conflict(message)
}

/// A change to a slot, as a request gives it; what is absent stays.
#[derive(Debug, Default)]
pub struct SlotChange {
    pub day: Option<String>,
    pub specific_date: Option<chrono::NaiveDate>,
    pub start: Option<String>,
    pub end: Option<String>,
}

/// Serializes slot changes of one doctor (MySQL row lock; SQLite's write
/// transaction already runs alone), so two overlapping slots cannot both
/// pass the check.
async fn lock_doctor<C: ConnectionTrait>(conn: &C, doctor_id: DoctorId) -> Result<doctor::Model> {
    doctor::Entity::find_by_id(doctor_id)
        .lock_exclusive()
        .one(conn)
        .await?
        .ok_or_else(|| Error::invalid("doctor_id", "unknown doctor"))
}

async fn active_bookings<C: ConnectionTrait>(conn: &C, schedule_id: ScheduleId) -> Result<u64> {
    Ok(appointment::Entity::find()
        .filter(appointment::Column::ScheduleId.eq(schedule_id))
        .filter(appointment::Column::ActiveSlot.eq(true))
        .count(conn)
        .await?)
}

async fn announce_change<C: ConnectionTrait>(
    conn: &C,
    doctor_id: DoctorId,
    schedule_id: ScheduleId,
    change: ScheduleChange,
) -> Result<()> {
    let data = catalog::ScheduleChanged { doctor_id, schedule_id, change };
    let subject = Some(format!("doctor/{doctor_id}"));
    kit::events::publish(conn, "appointment", catalog::EventType::ScheduleChanged, subject, &data).await?;
    Ok(())
}

/// Adds `slot` to `doctor_id`'s schedule (the doctor must be in the
/// directory); 409 when it overlaps another of their slots.
pub async fn create(db: &DatabaseConnection, doctor_id: DoctorId, slot: Slot) -> Result<schedule::Model> {
    let txn = kit::db::begin_write(db).await?;
    lock_doctor(&txn, doctor_id).await?;
    refuse_overlap(&txn, doctor_id, &slot, None).await?;
    let now = Utc::now();
    let row = schedule::ActiveModel {
        doctor_id: Set(doctor_id),
        day: Set(slot.day),
        specific_date: Set(slot.specific_date),
        start: Set(slot.start),
        end: Set(slot.end),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    announce_change(&txn, doctor_id, row.id, ScheduleChange::Created).await?;
    txn.commit().await?;
    Ok(row)
}

/// Applies `change` to slot `id` of a doctor `actor` manages (404
/// otherwise); 409 while the slot is booked or when the result overlaps.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: ScheduleId,
    change: SlotChange,
) -> Result<schedule::Model> {
    let txn = kit::db::begin_write(db).await?;
    let row = owned(&txn, actor, id).await?;
    lock_doctor(&txn, row.doctor_id).await?;
    // Moving a slot would silently move its patients: refuse while booked.
    if active_bookings(&txn, id).await? > 0 {
        return Err(slot_booked("the slot has active appointments; reschedule or cancel them first"));
    }
    let (day, specific_date) = match (change.day.as_deref(), change.specific_date) {
        (None, None) => (row.day.as_deref(), row.specific_date),
        given => given,
    };
    let start = change.start.unwrap_or_else(|| slots::format_time(row.start));
    let end = change.end.or_else(|| Some(slots::format_time(row.end)));
    let slot = shape(day, specific_date, &start, end.as_deref())?;
    refuse_overlap(&txn, row.doctor_id, &slot, Some(id)).await?;
    let doctor_id = row.doctor_id;
    let mut active = row.into_active_model();
    active.day = Set(slot.day);
    active.specific_date = Set(slot.specific_date);
    active.start = Set(slot.start);
    active.end = Set(slot.end);
    active.updated_at = Set(Utc::now());
    let row = active.update(&txn).await?;
    announce_change(&txn, doctor_id, id, ScheduleChange::Updated).await?;
    txn.commit().await?;
    Ok(row)
}

/// Deletes slot `id` of a doctor `actor` manages (404 otherwise); 409
/// while it is booked. The monolith deleted the appointments with the
/// slot; never again.
pub async fn delete(db: &DatabaseConnection, actor: &Actor, id: ScheduleId) -> Result<()> {
    let txn = kit::db::begin_write(db).await?;
    let row = owned(&txn, actor, id).await?;
    lock_doctor(&txn, row.doctor_id).await?;
    if active_bookings(&txn, id).await? > 0 {
        return Err(slot_booked("the slot has active appointments"));
    }
    schedule::Entity::delete_by_id(id).exec(&txn).await?;
    announce_change(&txn, row.doctor_id, id, ScheduleChange::Deleted).await?;
    txn.commit().await?;
    Ok(())
}
