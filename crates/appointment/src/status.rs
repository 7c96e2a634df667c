//! Appointment statuses (api.md) and which of them hold a slot.

pub const PENDING: &str = "pending";
pub const APPROVED: &str = "approved";
pub const COMPLETED: &str = "completed";
pub const CANCELLED: &str = "cancelled";
pub const NO_SHOW: &str = "no_show";
pub const EXPIRED: &str = "expired";

/// Pending and approved appointments hold their slot and the patient's time.
pub const ACTIVE: [&str; 2] = [PENDING, APPROVED];

pub const ALL: [&str; 6] = [PENDING, APPROVED, COMPLETED, CANCELLED, NO_SHOW, EXPIRED];

pub fn is_active(status: &str) -> bool {
    ACTIVE.contains(&status)
}

/// The value of `active_slot` for a status: `Some(true)` holds the slot,
/// NULL releases it (see the entity).
pub fn slot_hold(status: &str) -> Option<bool> {
    is_active(status).then_some(true)
}
