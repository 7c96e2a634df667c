//! The no-double-booking rule is the database's unique index over
//! (`schedule_id`, `appointment_date`, `active_slot`); this is how its
//! verdict reaches the caller.

use chrono::NaiveDate;
use kit::{
    Error, OnConstraint, Result,
    ids::{AppointmentId, ScheduleId},
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::entity::appointment;

/// What both backends name when the index refuses a row: SQLite the column
/// (`appointments.active_slot`), MariaDB the index
/// (`uq_appointments_active_slot`). No other unique key of `appointments`
/// mentions it.
const ACTIVE_SLOT_INDEX: &str = "active_slot";

/// 409: another active appointment holds the slot that date.
pub fn slot_taken() -> Error {
    Error::conflict("the slot is already taken")
}

/// Maps the index's refusal of an insert or update to [`slot_taken`].
pub fn or_slot_taken<T>(result: std::result::Result<T, sea_orm::DbErr>) -> Result<T> {
    result.on_constraint(ACTIVE_SLOT_INDEX, slot_taken)
}

/// The active appointment other than `except` that holds `schedule_id` on
/// `date`, if any: who the unique index would refuse a write of `except`
/// as active for. For writers that must report a refusal and go on (the
/// legacy import) rather than fail their transaction.
pub async fn holder<C: ConnectionTrait>(
    conn: &C,
    schedule_id: ScheduleId,
    date: NaiveDate,
    except: AppointmentId,
) -> Result<Option<AppointmentId>> {
    Ok(appointment::Entity::find()
        .select_only()
        .column(appointment::Column::Id)
        .filter(appointment::Column::ScheduleId.eq(schedule_id))
        .filter(appointment::Column::AppointmentDate.eq(date))
        .filter(appointment::Column::ActiveSlot.eq(true))
        .filter(appointment::Column::Id.ne(except))
        .into_tuple()
        .one(conn)
        .await?)
}
