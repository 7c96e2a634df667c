//! What the notification service learns from others' events:
//!
//! - `user.*` and `patient.preferences_changed` keep the contacts read
//!   model (name, email, phone, language, time zone) — no call per message;
//! - `doctor.*` keeps doctors' names;
//! - `user.registered` and `appointment.*` become messages: in-app, mail
//!   (with a calendar invite for bookings, moves and cancellations) and
//!   SMS, as each recipient's preferences allow, times on their clock;
//! - `user.password_reset_requested` becomes the reset mail: mail only,
//!   whatever the preferences (see `notify::Allowed::MAIL_ONLY_MANDATORY`);
//! - `doctor.application_*` become the applicant's mails and the admins'
//!   notice of a new application (see `applications`);
//! - `notification.created` (our own) goes to every instance's open streams.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use kit::fanout::Fanout;
use kit::{
    crypto::{CryptoError, Keyring},
    events::{
        Event, Handler, HandlerError,
        catalog::{self, EventType},
    },
    ids::AppointmentId,
};
use sea_orm::{ActiveModelTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, Set};
use serde::Serialize;

use crate::{
    applications, clock,
    entity::{contact, doctor},
    ics,
    notify::{self, Allowed, Message},
};

pub const TYPES: &[EventType] = &[
    EventType::UserRegistered,
    EventType::UserUpdated,
    EventType::UserDeleted,
    EventType::PatientPreferencesChanged,
    EventType::DoctorChanged,
    EventType::DoctorDeleted,
    EventType::AppointmentBooked,
    EventType::AppointmentApproved,
    EventType::AppointmentCancelled,
    EventType::AppointmentRescheduled,
    EventType::AppointmentExpired,
    EventType::AppointmentCompleted,
    EventType::AppointmentReminderDue,
    EventType::PasswordResetRequested,
    EventType::DoctorApplicationSubmitted,
    EventType::DoctorApplicationApproved,
    EventType::DoctorApplicationRejected,
];

/// Where the web app takes a reset link (`?token=` follows).
pub const RESET_PATH: &str = "/reset-password";
/// Where the web app takes a doctor registration link (`?token=` follows).
pub const REGISTER_DOCTOR_PATH: &str = "/register/doctor";

/// The handler of [`TYPES`].
///
/// Secret-bearing events (a password reset, an approved application) carry
/// the secret sealed with the platform keyring, not a link: the link is
/// built here, from `public_url` and the web app's paths above, so producers
/// know nothing of how mails point into the web app.
pub struct NotificationEvents {
    pub keyring: Arc<Keyring>,
    /// `QUICKCARE_PUBLIC_URL`: the base of mailed links.
    pub public_url: String,
    /// For the owners of what a message needs and has not arrived (see `learn`).
    pub ctx: kit::service::ServiceContext,
}

impl NotificationEvents {
    /// The secret inside `sealed`. A key this instance does not have yet
    /// (a rotation rolling out) is worth retrying; a broken seal is not.
    pub fn open(&self, sealed: &str) -> Result<String, HandlerError> {
        self.keyring.open_str(sealed).map_err(|e| match e {
            CryptoError::UnknownKey(_) => HandlerError::Retry(e.into()),
            _ => HandlerError::Permanent(e.into()),
        })
    }

    /// `<public_url><path>?token=<secret>` (the secrets are URL-safe base64).
    pub fn link(&self, path: &str, secret: &str) -> String {
        format!("{}{path}?token={secret}", self.public_url.trim_end_matches('/'))
    }

    /// The reset mail, to the address auth has for the account now (our
    /// read model may lag), in the contact's language. Mail only, whatever
    /// the preferences; auth publishes only for enabled accounts.
    async fn password_reset(
        &self,
        txn: &DatabaseTransaction,
        event: &Event,
        r: catalog::PasswordResetRequested,
    ) -> Result<(), HandlerError> {
        let secret = self.open(&r.secret_sealed)?;
        let to = match contact::Entity::find_by_id(r.user_id).one(txn).await? {
            Some(known) => contact::Model { name: r.name, email: r.email, disabled: false, ..known },
            None => contact::Model::transient(r.user_id, r.name, r.email, contact::DEFAULT_LOCALE),
        };
        #[derive(Serialize)]
        struct Vars {
            name: String,
            link: String,
            minutes: i64,
            expires: String,
        }
        let vars = Vars {
            name: to.name.clone(),
            link: self.link(RESET_PATH, &secret),
            minutes: clock::minutes_between(event.time, r.expires_at),
            expires: clock::spell(r.expires_at, clock::zone(&to.timezone), clock::locale(&to.locale)),
        };
        let message = Message {
            key: "password_reset",
            vars,
            invite: None,
            source: event.id.to_string(),
            secrets: vec![secret],
        };
        notify::notify(txn, &to, message, Allowed::MAIL_ONLY_MANDATORY).await.map_err(retry)?;
        Ok(())
    }
}

/// `notification.created` has a consumer group of its own: pushing to live
/// streams must not wait in line behind the messages being composed, nor
/// hold them up.
pub const LIVE_TYPES: &[EventType] = &[EventType::NotificationCreated];

pub struct LiveEvents {
    pub fanout: Arc<dyn Fanout>,
}

#[async_trait::async_trait]
impl Handler for LiveEvents {
    async fn handle(
        &self,
        _txn: &DatabaseTransaction,
        _kind: EventType,
        event: &Event,
    ) -> Result<(), HandlerError> {
        // Only `LIVE_TYPES`. Handled by one instance, pushed by all (see `stream`).
        let payload = serde_json::to_string(&event.data)?;
        self.fanout.publish(crate::stream::TOPIC, &payload).await;
        Ok(())
    }
}

pub(crate) fn retry(e: anyhow::Error) -> HandlerError {
    HandlerError::Retry(e)
}

#[async_trait::async_trait]
impl Handler for NotificationEvents {
    async fn handle(
        &self,
        txn: &DatabaseTransaction,
        kind: EventType,
        event: &Event,
    ) -> Result<(), HandlerError> {
        match kind {
            EventType::UserRegistered => registered(txn, event, event.data_as()?).await,
            EventType::UserUpdated => updated(txn, event.data_as()?).await,
            EventType::UserDeleted => {
                let u: catalog::UserDeleted = event.data_as()?;
                contact::Entity::delete_by_id(u.user_id).exec(txn).await?;
                Ok(())
            }
            EventType::PatientPreferencesChanged => language(txn, event.data_as()?).await,
            EventType::DoctorChanged => doctor_changed(txn, event.data_as()?).await,
            EventType::DoctorDeleted => {
                let d: catalog::DoctorDeleted = event.data_as()?;
                doctor::Entity::delete_by_id(d.doctor_id).exec(txn).await?;
                Ok(())
            }
            EventType::PasswordResetRequested => self.password_reset(txn, event, event.data_as()?).await,
            EventType::DoctorApplicationSubmitted => {
                applications::submitted(txn, event, event.data_as()?).await
            }
            EventType::DoctorApplicationApproved => {
                applications::approved(self, txn, event, event.data_as()?).await
            }
            EventType::DoctorApplicationRejected => {
                applications::rejected(txn, event, event.data_as()?).await
            }
            EventType::AppointmentBooked
            | EventType::AppointmentApproved
            | EventType::AppointmentCancelled
            | EventType::AppointmentRescheduled
            | EventType::AppointmentExpired
            | EventType::AppointmentCompleted
            | EventType::AppointmentNoShow
            | EventType::AppointmentReminderDue => {
                appointment(self, txn, event, kind, event.data_as()?).await
            }
            // Not in `TYPES`, so never delivered here.
            EventType::ScheduleChanged
            | EventType::PatientRegistered
            | EventType::RatingSummaryChanged
            | EventType::NotificationCreated
            | EventType::NotificationPreferencesChanged => Ok(()),
        }
    }

    /// Appointment events of different patients become independent
    /// messages, so they are handled side by side, each patient's in order.
    /// The others (accounts, doctors, resets, applications) set up contacts
    /// and names the messages read: one at a time, in order.
    fn lane(&self, kind: EventType, event: &Event) -> Option<String> {
        template_of(kind)?;
        let a: catalog::AppointmentChanged = event.data_as().ok()?;
        Some(format!("patient/{}", a.patient_user_id))
    }
}

async fn registered(
    txn: &DatabaseTransaction,
    event: &Event,
    u: catalog::UserRegistered,
) -> Result<(), HandlerError> {
    let row = match contact::Entity::find_by_id(u.user_id).one(txn).await? {
        Some(existing) => existing,
        None => {
            contact::ActiveModel {
                user_id: Set(u.user_id),
                name: Set(u.name.clone()),
                email: Set(u.email.clone()),
                phone: Set(u.phone.clone()),
                role: Set(Some(u.role)),
                locale: Set(contact::DEFAULT_LOCALE.into()),
                timezone: Set(contact::DEFAULT_TIMEZONE.into()),
                disabled: Set(false),
            }
            .insert(txn)
            .await?
        }
    };
    #[derive(Serialize)]
    struct Vars {
        name: String,
    }
    let message = Message {
        key: "welcome",
        vars: Vars { name: u.name },
        invite: None,
        source: event.id.to_string(),
        secrets: Vec::new(),
    };
    let allowed = Allowed { sms: false, ..Allowed::ALL };
    notify::notify(txn, &row, message, allowed).await.map_err(retry)?;
    Ok(())
}

async fn updated(txn: &DatabaseTransaction, u: catalog::UserUpdated) -> Result<(), HandlerError> {
    if let Some(existing) = contact::Entity::find_by_id(u.user_id).one(txn).await? {
        let mut active = existing.into_active_model();
        active.name = Set(u.name);
        active.email = Set(u.email);
        active.phone = Set(u.phone);
        active.disabled = Set(u.disabled);
        active.update(txn).await?;
    }
    Ok(())
}

async fn language(
    txn: &DatabaseTransaction,
    p: catalog::PatientPreferencesChanged,
) -> Result<(), HandlerError> {
    if let Some(existing) = contact::Entity::find_by_id(p.user_id).one(txn).await? {
        let mut active = existing.into_active_model();
        active.locale = Set(clock::locale(&p.language).to_owned());
        active.timezone = Set(p.timezone);
        active.update(txn).await?;
    }
    Ok(())
}

async fn doctor_changed(txn: &DatabaseTransaction, d: catalog::DoctorChanged) -> Result<(), HandlerError> {
    let row = doctor::Model::from(&d);
    let exists = doctor::Entity::find_by_id(d.doctor_id).one(txn).await?.is_some();
    let active = row.into_active_model().reset_all();
    if exists {
        active.update(txn).await?;
    } else {
        doctor::Entity::insert(active).exec(txn).await?;
    }
    Ok(())
}

#[derive(Serialize)]
struct AppointmentVars {
    name: String,
    doctor: String,
    patient: String,
    when: String,
    appointment_id: AppointmentId,
}

/// Template key and whether the mail carries an invite (and which kind).
fn template_of(kind: EventType) -> Option<(&'static str, Option<bool>)> {
    Some(match kind {
        EventType::AppointmentBooked => ("appointment_booked", Some(false)),
        EventType::AppointmentApproved => ("appointment_approved", Some(false)),
        EventType::AppointmentRescheduled => ("appointment_rescheduled", Some(false)),
        EventType::AppointmentCancelled => ("appointment_cancelled", Some(true)),
        EventType::AppointmentExpired => ("appointment_expired", None),
        EventType::AppointmentCompleted => ("appointment_completed", None),
        EventType::AppointmentReminderDue => ("appointment_reminder", None),
        _ => return None,
    })
}

async fn appointment(
    handler: &NotificationEvents,
    txn: &DatabaseTransaction,
    event: &Event,
    kind: EventType,
    a: catalog::AppointmentChanged,
) -> Result<(), HandlerError> {
    let Some((key, invite)) = template_of(kind) else { return Ok(()) };
    let doctor = doctor::Entity::find_by_id(a.doctor_id).one(txn).await?;
    let doctor_name = doctor.as_ref().map(|d| d.name.clone()).unwrap_or_else(|| "your doctor".into());
    let patient = crate::learn::contact_within(handler, txn, a.patient_user_id).await?;
    let patient_name = patient.as_ref().map(|p| p.name.clone()).unwrap_or_default();
    let invite =
        invite.map(|cancel| ics::invite(a.appointment_id, a.start_at, a.end_at, &doctor_name, cancel));
    if let Some(p) = &patient {
        let vars = vars(p, &doctor_name, &patient_name, a.start_at, a.appointment_id);
        let source = format!("{}:patient", event.id);
        let message = Message { key, vars, invite: invite.clone(), source, secrets: Vec::new() };
        notify::notify(txn, p, message, Allowed::ALL).await.map_err(retry)?;
    }
    // The doctor hears of new requests (in the app and by mail).
    if kind == EventType::AppointmentBooked
        && let Some(d) = contact::Entity::find_by_id(a.doctor_user_id).one(txn).await?
    {
        let vars = vars(&d, &doctor_name, &patient_name, a.start_at, a.appointment_id);
        let source = format!("{}:doctor", event.id);
        let message = Message { key: "doctor_booked", vars, invite, source, secrets: Vec::new() };
        notify::notify(txn, &d, message, Allowed { sms: false, ..Allowed::ALL }).await.map_err(retry)?;
    }
    Ok(())
}

fn vars(
    to: &contact::Model,
    doctor: &str,
    patient: &str,
    at: DateTime<Utc>,
    id: AppointmentId,
) -> AppointmentVars {
    AppointmentVars {
        name: to.name.clone(),
        doctor: doctor.to_owned(),
        patient: patient.to_owned(),
        when: clock::spell(at, clock::zone(&to.timezone), clock::locale(&to.locale)),
        appointment_id: id,
    }
}
