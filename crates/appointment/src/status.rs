//! Appointment statuses (api.md) and which of them hold a slot. The
//! statuses themselves are part of the event contract
//! ([`kit::events::catalog::AppointmentStatus`]), which every read model of
//! appointments stores; what a status means for this service's rows is here.

pub use kit::events::catalog::AppointmentStatus as Status;

/// Pending and approved appointments hold their slot and the patient's time.
pub const ACTIVE: [Status; 2] = Status::ACTIVE;

/// The value of `active_slot` for `status`: `Some(true)` holds the slot,
/// NULL releases it (see the entity).
pub fn slot_hold(status: Status) -> Option<bool> {
    status.is_active().then_some(true)
}

/// A legacy `appointments.status`: the monolith wrote `Pending`,
/// `Approved`, `Cancelled`, `Completed`, and `Expired` or `expired`; any
/// case and surrounding blanks are accepted, anything else is not a status.
pub fn from_legacy(name: &str) -> Option<Status> {
    Status::parse(&name.trim().to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_names_and_slot_holds() {
        assert_eq!(from_legacy("Expired"), Some(Status::Expired));
        assert_eq!(from_legacy(" expired"), Some(Status::Expired));
        assert_eq!(from_legacy("Completed"), Some(Status::Completed));
        assert_eq!(from_legacy("Lost"), None);
        assert_eq!((slot_hold(Status::Approved), slot_hold(Status::Cancelled)), (Some(true), None));
    }
}
