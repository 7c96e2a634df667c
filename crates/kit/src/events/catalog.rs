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
    /// Doctor-only: the profile the doctor service creates from this event.
    #[serde(default)]
    pub doctor: Option<DoctorProfileSeed>,
}

/// What a doctor account brings for its profile (registration by token,
/// or an admin creating the doctor directly).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DoctorProfileSeed {
    pub degree: String,
    pub specialty_id: i64,
    #[serde(default)]
    pub timezone: Option<String>,
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

/// Someone asked to reset the password of an enabled account. The
/// notification service mails the link (built from `public_url`; the event
/// carries the secret, not the link, so the shape of mailed links stays the
/// notification service's business). `secret_sealed` is the single-use
/// secret sealed with the platform keyring (auth keeps only its digest), so
/// it never crosses the bus or sits in an outbox in clear text.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PasswordResetRequested {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub secret_sealed: String,
    /// When the secret stops working.
    pub expires_at: chrono::DateTime<chrono::Utc>,
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
    /// Home visits: minutes recorded at check-out.
    #[serde(default)]
    pub travel_time_minutes: Option<i32>,
}
pub const APPOINTMENT_REMINDER_DUE: &str = "quickcare.appointment.reminder_due.v1";
pub const SCHEDULE_CHANGED: &str = "quickcare.schedule.changed.v1";

/// A doctor's schedule changed (slot added, moved or removed); caches of
/// availability drop what they hold for that doctor.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ScheduleChanged {
    pub doctor_id: i64,
    pub schedule_id: i64,
    /// `created`, `updated` or `deleted`.
    pub change: String,
}

pub const PATIENT_REGISTERED: &str = "quickcare.patient.registered.v1";

/// A patient profile exists: others map the account (`user_id`, what a
/// token carries) to the record (`patient_id`, what appointments hold).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PatientRegistered {
    pub patient_id: i64,
    pub user_id: i64,
    pub name: String,
}

pub const DOCTOR_CHANGED: &str = "quickcare.doctor.changed.v1";
pub const DOCTOR_DELETED: &str = "quickcare.doctor.deleted.v1";

/// A doctor profile was created or changed: the whole public picture, so
/// the appointment service (time zone, slot length, specialty for
/// availability by specialty) needs no call back.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DoctorChanged {
    pub doctor_id: i64,
    pub user_id: i64,
    pub name: String,
    pub specialty_id: i64,
    pub city: Option<String>,
    /// IANA zone the doctor's slots are written in.
    pub timezone: String,
    /// `active` or `inactive`; inactive doctors take no new bookings.
    pub status: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DoctorDeleted {
    pub doctor_id: i64,
    pub user_id: i64,
}

pub const DOCTOR_APPLICATION_SUBMITTED: &str = "quickcare.doctor.application_submitted.v1";
pub const DOCTOR_APPLICATION_APPROVED: &str = "quickcare.doctor.application_approved.v1";
pub const DOCTOR_APPLICATION_REJECTED: &str = "quickcare.doctor.application_rejected.v1";

/// Someone applied to practise. Applicants have no account yet: they are
/// reached at `email`. The notification service tells them it arrived and
/// tells every admin there is one to review.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DoctorApplicationSubmitted {
    pub application_id: i64,
    pub name: String,
    pub email: String,
}

/// An application was approved (or approved again: each approval mints a
/// fresh token). `token_sealed` is the registration token sealed with the
/// platform keyring (the doctor service keeps only its digest); the
/// notification service opens it to mail the registration link.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DoctorApplicationApproved {
    pub application_id: i64,
    pub name: String,
    pub email: String,
    pub token_sealed: String,
    /// When the token stops working.
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// An application was turned down, with the admin's reason for the applicant.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DoctorApplicationRejected {
    pub application_id: i64,
    pub name: String,
    pub email: String,
    pub reason: String,
}

pub const RATING_SUMMARY_CHANGED: &str = "quickcare.rating.summary_changed.v1";

/// A doctor's published ratings changed: the new average and count, so
/// the doctor service's `avg_rating`/`rating_count` (and the listing
/// sort) follow without a call.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RatingSummaryChanged {
    pub doctor_id: i64,
    /// 0 when there are none.
    pub average: f64,
    pub count: i64,
    /// Grows with each summary of this doctor: a consumer keeps the highest
    /// it has applied and ignores older ones that arrive late (0 from
    /// producers that predate it).
    #[serde(default)]
    pub version: i64,
}

pub const PATIENT_PREFERENCES_CHANGED: &str = "quickcare.patient.preferences_changed.v1";

/// A patient's language and time zone: messages to them are written in
/// that language, with times on that clock.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PatientPreferencesChanged {
    pub user_id: i64,
    pub patient_id: i64,
    pub language: String,
    pub timezone: String,
}

pub const NOTIFICATION_CREATED: &str = "quickcare.notification.created.v1";

/// An in-app notification exists: every notification instance pushes it
/// to the user's open event streams.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct NotificationCreated {
    pub notification_id: i64,
    pub user_id: i64,
    pub title: String,
    pub message: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

pub const NOTIFICATION_PREFERENCES_CHANGED: &str = "quickcare.notification.preferences_changed.v1";

/// A user's notification preferences; the appointment service times that
/// user's reminders by `reminder_hours_before`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct NotificationPreferencesChanged {
    pub user_id: i64,
    pub email: bool,
    pub sms: bool,
    pub in_app: bool,
    pub reminder_hours_before: i32,
}
