//! Appointment statuses (api.md) and which of them hold a slot.

use std::fmt;

use sea_orm::{Iterable, entity::prelude::*};

/// Stored and sent as the strings of api.md (`no_show`, …): the
/// `string_value`s below are the one place those strings are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum Status {
    #[sea_orm(string_value = "pending")]
    Pending,
    #[sea_orm(string_value = "approved")]
    Approved,
    #[sea_orm(string_value = "completed")]
    Completed,
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
    #[sea_orm(string_value = "no_show")]
    NoShow,
    #[sea_orm(string_value = "expired")]
    Expired,
}

/// Pending and approved appointments hold their slot and the patient's time.
pub const ACTIVE: [Status; 2] = [Status::Pending, Status::Approved];

impl Status {
    /// The status named `name` (exactly as api.md writes it).
    pub fn parse(name: &str) -> Option<Self> {
        Self::iter().find(|s| s.to_value() == name)
    }

    /// A legacy `appointments.status`: the monolith wrote `Pending`,
    /// `Approved`, `Cancelled`, `Completed`, and `Expired` or `expired`;
    /// any case and surrounding blanks are accepted, anything else is not
    /// a status.
    pub fn from_legacy(name: &str) -> Option<Self> {
        Self::parse(&name.trim().to_lowercase())
    }

    pub fn is_active(self) -> bool {
        ACTIVE.contains(&self)
    }

    /// The value of `active_slot` for this status: `Some(true)` holds the
    /// slot, NULL releases it (see the entity).
    pub fn slot_hold(self) -> Option<bool> {
        self.is_active().then_some(true)
    }

    /// Every status's name, for messages: `pending, approved, …`.
    pub fn names(separator: &str) -> String {
        Self::iter().map(|s| s.to_value()).collect::<Vec<_>>().join(separator)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_value())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_keep_their_api_names() {
        assert_eq!(Status::NoShow.to_string(), "no_show");
        assert_eq!(Status::parse("expired"), Some(Status::Expired));
        assert_eq!(Status::parse("Expired"), None);
        assert_eq!(Status::from_legacy("Expired"), Some(Status::Expired));
        assert_eq!(Status::from_legacy(" expired"), Some(Status::Expired));
        assert_eq!(Status::from_legacy("Completed"), Some(Status::Completed));
        assert_eq!(Status::from_legacy("Lost"), None);
        assert_eq!(Status::names(", "), "pending, approved, completed, cancelled, no_show, expired");
        assert_eq!((Status::Approved.slot_hold(), Status::Cancelled.slot_hold()), (Some(true), None));
    }
}
