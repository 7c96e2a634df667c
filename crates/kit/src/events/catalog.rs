//! The event contract between services: type names and payloads. Producer
//! and consumer both use these, so a change is one compile error away from
//! every party it affects. Ids are the typed ids of [`crate::ids`], plain
//! JSON integers on the wire.

use sea_orm::{ActiveEnum, DeriveActiveEnum, EnumIter, sea_query::StringLen};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    identity::Role,
    ids::{
        ApplicationId, AppointmentId, DoctorId, NotificationId, PatientId, ScheduleId, SpecialtyId, UserId,
    },
};

/// Every event type, each written once as its wire name (the CloudEvents
/// `type`, the outbox's and inbox's `kind`): producers name what they
/// publish with it, consumers list and `match` on it, so a type is never a
/// string that still compiles when misspelt. Parsed from an envelope by
/// [`Event::event_type`](super::Event::event_type): a name this build does
/// not know (a newer producer's) is `None` there, not an error.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    strum::Display,
    strum::EnumIter,
    strum::EnumString,
    strum::IntoStaticStr,
)]
pub enum EventType {
    #[strum(serialize = "quickcare.user.registered.v1")]
    UserRegistered,
    #[strum(serialize = "quickcare.user.updated.v1")]
    UserUpdated,
    #[strum(serialize = "quickcare.user.deleted.v1")]
    UserDeleted,
    #[strum(serialize = "quickcare.user.password_reset_requested.v1")]
    PasswordResetRequested,
    #[strum(serialize = "quickcare.appointment.booked.v1")]
    AppointmentBooked,
    #[strum(serialize = "quickcare.appointment.approved.v1")]
    AppointmentApproved,
    #[strum(serialize = "quickcare.appointment.cancelled.v1")]
    AppointmentCancelled,
    #[strum(serialize = "quickcare.appointment.rescheduled.v1")]
    AppointmentRescheduled,
    #[strum(serialize = "quickcare.appointment.completed.v1")]
    AppointmentCompleted,
    #[strum(serialize = "quickcare.appointment.no_show.v1")]
    AppointmentNoShow,
    #[strum(serialize = "quickcare.appointment.expired.v1")]
    AppointmentExpired,
    #[strum(serialize = "quickcare.appointment.reminder_due.v1")]
    AppointmentReminderDue,
    #[strum(serialize = "quickcare.schedule.changed.v1")]
    ScheduleChanged,
    #[strum(serialize = "quickcare.patient.registered.v1")]
    PatientRegistered,
    #[strum(serialize = "quickcare.doctor.changed.v1")]
    DoctorChanged,
    #[strum(serialize = "quickcare.doctor.deleted.v1")]
    DoctorDeleted,
    #[strum(serialize = "quickcare.doctor.application_submitted.v1")]
    DoctorApplicationSubmitted,
    #[strum(serialize = "quickcare.doctor.application_approved.v1")]
    DoctorApplicationApproved,
    #[strum(serialize = "quickcare.doctor.application_rejected.v1")]
    DoctorApplicationRejected,
    #[strum(serialize = "quickcare.rating.summary_changed.v1")]
    RatingSummaryChanged,
    #[strum(serialize = "quickcare.patient.preferences_changed.v1")]
    PatientPreferencesChanged,
    #[strum(serialize = "quickcare.notification.created.v1")]
    NotificationCreated,
    #[strum(serialize = "quickcare.notification.preferences_changed.v1")]
    NotificationPreferencesChanged,
}

impl EventType {
    /// The types whose payload is an [`AppointmentChanged`].
    pub const APPOINTMENT_CHANGES: [EventType; 8] = [
        EventType::AppointmentBooked,
        EventType::AppointmentApproved,
        EventType::AppointmentCancelled,
        EventType::AppointmentRescheduled,
        EventType::AppointmentCompleted,
        EventType::AppointmentNoShow,
        EventType::AppointmentExpired,
        EventType::AppointmentReminderDue,
    ];

    /// The wire name, e.g. `quickcare.user.registered.v1`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

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
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    pub role: Role,
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
    pub specialty_id: SpecialtyId,
    #[serde(default)]
    pub timezone: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct UserUpdated {
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    pub gender: String,
    pub phone: String,
    pub disabled: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct UserDeleted {
    pub user_id: UserId,
    pub role: Role,
}

/// Someone asked to reset the password of an enabled account. The
/// notification service mails the link (built from `public_url`; the event
/// carries the secret, not the link, so the shape of mailed links stays the
/// notification service's business). `secret_sealed` is the single-use
/// secret sealed with the platform keyring (auth keeps only its digest), so
/// it never crosses the bus or sits in an outbox in clear text.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PasswordResetRequested {
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    pub secret_sealed: String,
    /// When the secret stops working.
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// Every appointment state change carries the whole picture, so consumers
/// (care relationships, doctor metrics, notifications) need no call back.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AppointmentChanged {
    pub appointment_id: AppointmentId,
    pub patient_id: PatientId,
    pub patient_user_id: UserId,
    pub doctor_id: DoctorId,
    pub doctor_user_id: UserId,
    pub status: AppointmentStatus,
    pub start_at: chrono::DateTime<chrono::Utc>,
    pub end_at: chrono::DateTime<chrono::Utc>,
    /// Home visits: minutes recorded at check-out.
    #[serde(default)]
    pub travel_time_minutes: Option<i32>,
}
/// Where an appointment stands: stored (the appointment service's rows,
/// the read models of others) and sent as the names api.md gives
/// (`no_show`, …); the `string_value`s below are the one place those
/// names are written. A name this build does not know fails the event's
/// parse, like any other payload change (a new status is a new `.v2`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
pub enum AppointmentStatus {
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

impl AppointmentStatus {
    /// Pending and approved appointments hold their slot and the patient's time.
    pub const ACTIVE: [AppointmentStatus; 2] = [AppointmentStatus::Pending, AppointmentStatus::Approved];

    /// The status named `name` (exactly as api.md writes it).
    pub fn parse(name: &str) -> Option<Self> {
        <Self as sea_orm::Iterable>::iter().find(|s| s.to_value() == name)
    }

    pub fn is_active(self) -> bool {
        Self::ACTIVE.contains(&self)
    }

    /// Every status's name, for messages: `pending, approved, …`.
    pub fn names(separator: &str) -> String {
        <Self as sea_orm::Iterable>::iter().map(|s| s.to_value()).collect::<Vec<_>>().join(separator)
    }
}

impl std::fmt::Display for AppointmentStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_value())
    }
}

/// A doctor's schedule changed (slot added, moved or removed); caches of
/// availability drop what they hold for that doctor.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ScheduleChanged {
    pub doctor_id: DoctorId,
    pub schedule_id: ScheduleId,
    pub change: ScheduleChange,
}

/// What happened to the slot (`created`, `updated` or `deleted` on the wire).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ScheduleChange {
    Created,
    Updated,
    Deleted,
}

/// A patient profile exists: others map the account (`user_id`, what a
/// token carries) to the record (`patient_id`, what appointments hold).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PatientRegistered {
    pub patient_id: PatientId,
    pub user_id: UserId,
    pub name: String,
}

/// A doctor profile was created or changed: the whole public picture, so
/// the appointment service (time zone, slot length, specialty for
/// availability by specialty) needs no call back.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DoctorChanged {
    pub doctor_id: DoctorId,
    pub user_id: UserId,
    pub name: String,
    pub specialty_id: SpecialtyId,
    pub city: Option<String>,
    /// IANA zone the doctor's slots are written in.
    pub timezone: String,
    /// Inactive doctors take no new bookings.
    pub status: DoctorStatus,
}

/// Whether a doctor profile is listed, stored (the doctor service's
/// profiles, others' read models) and sent as its lower-case name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
pub enum DoctorStatus {
    /// Listed publicly and bookable.
    #[sea_orm(string_value = "active")]
    Active,
    /// Hidden from everyone but admins and the doctor.
    #[sea_orm(string_value = "inactive")]
    Inactive,
}

impl DoctorStatus {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            DoctorStatus::Active => "active",
            DoctorStatus::Inactive => "inactive",
        }
    }

    /// The status named `s`, if any.
    pub fn parse(s: &str) -> Option<Self> {
        [DoctorStatus::Active, DoctorStatus::Inactive].into_iter().find(|v| v.as_str() == s)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DoctorDeleted {
    pub doctor_id: DoctorId,
    pub user_id: UserId,
}

/// Someone applied to practise. Applicants have no account yet: they are
/// reached at `email`. The notification service tells them it arrived and
/// tells every admin there is one to review.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DoctorApplicationSubmitted {
    pub application_id: ApplicationId,
    pub name: String,
    pub email: String,
}

/// An application was approved (or approved again: each approval mints a
/// fresh token). `token_sealed` is the registration token sealed with the
/// platform keyring (the doctor service keeps only its digest); the
/// notification service opens it to mail the registration link.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DoctorApplicationApproved {
    pub application_id: ApplicationId,
    pub name: String,
    pub email: String,
    pub token_sealed: String,
    /// When the token stops working.
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// An application was turned down, with the admin's reason for the applicant.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DoctorApplicationRejected {
    pub application_id: ApplicationId,
    pub name: String,
    pub email: String,
    pub reason: String,
}

/// A doctor's published ratings changed: the new average and count, so
/// the doctor service's `avg_rating`/`rating_count` (and the listing
/// sort) follow without a call.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RatingSummaryChanged {
    pub doctor_id: DoctorId,
    /// 0 when there are none.
    pub average: f64,
    pub count: i64,
    /// Grows with each summary of this doctor: a consumer keeps the highest
    /// it has applied and ignores older ones that arrive late (0 from
    /// producers that predate it).
    #[serde(default)]
    pub version: i64,
}

/// A patient's language and time zone: messages to them are written in
/// that language, with times on that clock.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PatientPreferencesChanged {
    pub user_id: UserId,
    pub patient_id: PatientId,
    pub language: String,
    pub timezone: String,
}

/// An in-app notification exists: every notification instance pushes it
/// to the user's open event streams.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct NotificationCreated {
    pub notification_id: NotificationId,
    pub user_id: UserId,
    pub title: String,
    pub message: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// A user's notification preferences; the appointment service times that
/// user's reminders by `reminder_hours_before`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct NotificationPreferencesChanged {
    pub user_id: UserId,
    pub email: bool,
    pub sms: bool,
    pub in_app: bool,
    pub reminder_hours_before: i32,
}

/// A payload of this catalog, tied to the event types it travels under:
/// [`publish`](super::publish) refuses to write it under another type, and
/// [`Event::data_as`](super::Event::data_as) to read it out of one, so a
/// payload sent under the wrong name fails where it is written instead of
/// in every consumer.
pub trait Payload: Serialize + serde::de::DeserializeOwned {
    /// One type for most payloads; the eight appointment changes share
    /// [`AppointmentChanged`].
    const TYPES: &'static [EventType];

    /// True when `kind` carries this payload.
    fn travels_as(kind: EventType) -> bool {
        Self::TYPES.contains(&kind)
    }
}

/// Each payload with its types, written once; the test below checks that
/// every [`EventType`] has exactly one payload.
macro_rules! payloads {
    ($($payload:ident => $types:expr),+ $(,)?) => {
        $(impl Payload for $payload {
            const TYPES: &'static [EventType] = $types;
        })+

        #[cfg(test)]
        const EVERY_PAYLOAD: &[&[EventType]] = &[$(<$payload as Payload>::TYPES),+];
    };
}

payloads! {
    UserRegistered => &[EventType::UserRegistered],
    UserUpdated => &[EventType::UserUpdated],
    UserDeleted => &[EventType::UserDeleted],
    PasswordResetRequested => &[EventType::PasswordResetRequested],
    AppointmentChanged => &EventType::APPOINTMENT_CHANGES,
    ScheduleChanged => &[EventType::ScheduleChanged],
    PatientRegistered => &[EventType::PatientRegistered],
    DoctorChanged => &[EventType::DoctorChanged],
    DoctorDeleted => &[EventType::DoctorDeleted],
    DoctorApplicationSubmitted => &[EventType::DoctorApplicationSubmitted],
    DoctorApplicationApproved => &[EventType::DoctorApplicationApproved],
    DoctorApplicationRejected => &[EventType::DoctorApplicationRejected],
    RatingSummaryChanged => &[EventType::RatingSummaryChanged],
    PatientPreferencesChanged => &[EventType::PatientPreferencesChanged],
    NotificationCreated => &[EventType::NotificationCreated],
    NotificationPreferencesChanged => &[EventType::NotificationPreferencesChanged],
}

#[cfg(test)]
mod tests {
    use strum::IntoEnumIterator;

    use super::*;

    #[test]
    fn every_type_keeps_its_wire_name() {
        assert_eq!(EventType::UserRegistered.as_str(), "quickcare.user.registered.v1");
        assert_eq!(EventType::AppointmentNoShow.to_string(), "quickcare.appointment.no_show.v1");
        for t in EventType::iter() {
            assert_eq!(t.as_str().parse::<EventType>(), Ok(t));
            assert!(t.as_str().starts_with("quickcare.") && t.as_str().ends_with(".v1"), "{t}");
        }
        assert!("quickcare.user.registered.v2".parse::<EventType>().is_err());
    }

    #[test]
    fn doctor_statuses_keep_their_stored_and_wire_names() {
        for (status, name) in [(DoctorStatus::Active, "active"), (DoctorStatus::Inactive, "inactive")] {
            assert_eq!(status.as_str(), name);
            assert_eq!(status.to_value(), name);
            assert_eq!(DoctorStatus::parse(name), Some(status));
            assert_eq!(serde_json::to_value(status).unwrap(), name);
        }
        assert_eq!(DoctorStatus::parse("Active"), None);
    }

    #[test]
    fn every_type_has_exactly_one_payload() {
        for t in EventType::iter() {
            let carriers = EVERY_PAYLOAD.iter().filter(|types| types.contains(&t)).count();
            assert_eq!(carriers, 1, "{t} is carried by {carriers} payloads");
        }
        assert!(AppointmentChanged::travels_as(EventType::AppointmentNoShow));
        assert!(!UserUpdated::travels_as(EventType::UserDeleted));
    }

    #[test]
    fn appointment_statuses_keep_their_api_names() {
        assert_eq!(AppointmentStatus::NoShow.to_string(), "no_show");
        assert_eq!(serde_json::to_value(AppointmentStatus::NoShow).unwrap(), "no_show");
        for status in <AppointmentStatus as sea_orm::Iterable>::iter() {
            let name = status.to_value();
            assert_eq!(AppointmentStatus::parse(&name), Some(status));
            assert_eq!(serde_json::from_value::<AppointmentStatus>(name.clone().into()).unwrap(), status);
        }
        assert_eq!(AppointmentStatus::parse("Expired"), None);
        assert_eq!(
            AppointmentStatus::names(", "),
            "pending, approved, completed, cancelled, no_show, expired"
        );
        assert!(AppointmentStatus::Approved.is_active() && !AppointmentStatus::Cancelled.is_active());
    }

    #[test]
    fn payloads_keep_their_wire_shape() {
        let change = ScheduleChanged {
            doctor_id: DoctorId(3),
            schedule_id: ScheduleId(9),
            change: ScheduleChange::Deleted,
        };
        assert_eq!(
            serde_json::to_value(&change).unwrap(),
            serde_json::json!({"doctor_id": 3, "schedule_id": 9, "change": "deleted"})
        );
    }
}
