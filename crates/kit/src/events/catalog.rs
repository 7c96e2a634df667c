//! The event contract between services: type names and payloads. Producer
//! and consumer both use these structs, so a change is one compile error
//! away from every party it affects.

use serde::{Deserialize, Serialize};

pub const USER_REGISTERED: &str = "quickcare.user.registered.v1";
pub const USER_UPDATED: &str = "quickcare.user.updated.v1";
pub const USER_DELETED: &str = "quickcare.user.deleted.v1";
pub const PASSWORD_RESET_REQUESTED: &str = "quickcare.user.password_reset_requested.v1";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Address {
    pub street: String,
    pub city: String,
}

/// A new account. Patient-only fields are present for `role = patient`.
/// `cin_sealed` is the national id already encrypted with the platform
/// keyring (see `crypto`), so PHI never crosses the bus or sits in an outbox
/// in clear text.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct UserRegistered {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub role: crate::identity::Role,
    pub gender: String,
    pub phone: String,
    #[serde(default)]
    pub cin_sealed: Option<String>,
    #[serde(default)]
    pub birth_date: Option<chrono::NaiveDate>,
    #[serde(default)]
    pub address: Option<Address>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct UserUpdated {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub gender: String,
    pub phone: String,
    pub disabled: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct UserDeleted {
    pub user_id: i64,
    pub role: crate::identity::Role,
}

pub const APPOINTMENT_BOOKED: &str = "quickcare.appointment.booked.v1";
pub const APPOINTMENT_APPROVED: &str = "quickcare.appointment.approved.v1";
pub const APPOINTMENT_CANCELLED: &str = "quickcare.appointment.cancelled.v1";
pub const APPOINTMENT_RESCHEDULED: &str = "quickcare.appointment.rescheduled.v1";
pub const APPOINTMENT_COMPLETED: &str = "quickcare.appointment.completed.v1";
pub const APPOINTMENT_NO_SHOW: &str = "quickcare.appointment.no_show.v1";
pub const APPOINTMENT_EXPIRED: &str = "quickcare.appointment.expired.v1";

/// Every appointment state change carries the whole picture, so consumers
/// (care relationships, doctor metrics, notifications) need no call back.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AppointmentChanged {
    pub appointment_id: i64,
    pub patient_id: i64,
    pub patient_user_id: i64,
    pub doctor_id: i64,
    pub doctor_user_id: i64,
    pub status: String,
    pub start_at: chrono::DateTime<chrono::Utc>,
    pub end_at: chrono::DateTime<chrono::Utc>,
}
