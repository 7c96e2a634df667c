//! The no-double-booking rule is the database's unique index over
//! (`schedule_id`, `appointment_date`, `active_slot`); this is how its
//! verdict reaches the caller.

use kit::{Error, OnConstraint, Result};

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
