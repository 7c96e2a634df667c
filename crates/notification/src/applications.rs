//! Doctor applications, told to the people concerned: the applicant hears
//! that the application arrived, then that it was approved (with the
//! registration link and token) or rejected (with the reason); every admin
//! hears of a new one.
//!
//! Applicants have no account: they are written to at the address in the
//! event, as a transient contact with `user_id` [`delivery::NO_ACCOUNT`],
//! by mail only (no preferences to read, no inbox to show anything in). The
//! form is in English and asks for no language, so they read
//! [`APPLICANT_LOCALE`]. Admins are contacts like any other (the read model
//! of `user.*`), written to in the app and by mail as they prefer.
//!
//! Each message's source is the event id and the recipient's role (and,
//! inside `notify`, the user id), so a redelivered event adds nothing.

use chrono::{DateTime, Utc};
use kit::{
    events::{Event, HandlerError, catalog},
    identity::Role,
    ids::ApplicationId,
};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use serde::Serialize;

use crate::{
    clock,
    entity::{contact, delivery},
    events::{NotificationEvents, REGISTER_DOCTOR_PATH, retry},
    notify::{self, Allowed, Message},
};

/// The language applicants are written in: the application form is English.
pub const APPLICANT_LOCALE: &str = "en";
/// What tells an applicant's message apart in its delivery key (the admins
/// get one of their own from the same event).
const APPLICANT: &str = "applicant";

fn applicant(name: &str, email: &str) -> contact::Model {
    contact::Model::transient(delivery::NO_ACCOUNT, name.to_owned(), email.to_owned(), APPLICANT_LOCALE)
}

/// Mails the applicant `key` with `vars`.
async fn to_applicant<V: Serialize>(
    txn: &DatabaseTransaction,
    event: &Event,
    to: &contact::Model,
    key: &str,
    vars: V,
    secrets: Vec<String>,
) -> Result<(), HandlerError> {
    let source = format!("{}:{APPLICANT}", event.id);
    let message = Message { key, vars, invite: None, source, secrets };
    notify::notify(txn, to, message, Allowed::MAIL_ONLY_MANDATORY).await.map_err(retry)?;
    Ok(())
}

pub async fn submitted(
    txn: &DatabaseTransaction,
    event: &Event,
    a: catalog::DoctorApplicationSubmitted,
) -> Result<(), HandlerError> {
    #[derive(Serialize)]
    struct Received {
        name: String,
        application_id: ApplicationId,
    }
    let to = applicant(&a.name, &a.email);
    let vars = Received { name: a.name.clone(), application_id: a.application_id };
    to_applicant(txn, event, &to, "application_received", vars, Vec::new()).await?;

    #[derive(Serialize)]
    struct ToAdmin<'a> {
        name: String,
        applicant: &'a str,
        applicant_email: &'a str,
        application_id: ApplicationId,
    }
    let admins = contact::Entity::find()
        .filter(contact::Column::Role.eq(Role::Admin.as_str()))
        .filter(contact::Column::Disabled.eq(false))
        .all(txn)
        .await?;
    for admin in admins {
        let vars = ToAdmin {
            name: admin.name.clone(),
            applicant: &a.name,
            applicant_email: &a.email,
            application_id: a.application_id,
        };
        let source = format!("{}:admin", event.id);
        let message =
            Message { key: "application_submitted_admin", vars, invite: None, source, secrets: Vec::new() };
        notify::notify(txn, &admin, message, Allowed { sms: false, ..Allowed::ALL }).await.map_err(retry)?;
    }
    Ok(())
}

pub async fn approved(
    events: &NotificationEvents,
    txn: &DatabaseTransaction,
    event: &Event,
    a: catalog::DoctorApplicationApproved,
) -> Result<(), HandlerError> {
    #[derive(Serialize)]
    struct Approved {
        name: String,
        link: String,
        token: String,
        hours: i64,
        expires: String,
    }
    let token = events.open(&a.token_sealed)?;
    let to = applicant(&a.name, &a.email);
    let vars = Approved {
        name: a.name,
        link: events.link(REGISTER_DOCTOR_PATH, &token),
        token: token.clone(),
        hours: hours_between(event.time, a.expires_at),
        expires: clock::spell(a.expires_at, clock::zone(&to.timezone), clock::locale(&to.locale)),
    };
    to_applicant(txn, event, &to, "application_approved", vars, vec![token]).await
}

pub async fn rejected(
    txn: &DatabaseTransaction,
    event: &Event,
    a: catalog::DoctorApplicationRejected,
) -> Result<(), HandlerError> {
    #[derive(Serialize)]
    struct Rejected {
        name: String,
        reason: String,
    }
    let to = applicant(&a.name, &a.email);
    let vars = Rejected { name: a.name, reason: a.reason };
    to_applicant(txn, event, &to, "application_rejected", vars, Vec::new()).await
}

/// Whole hours, rounded (see [`clock::minutes_between`]).
fn hours_between(from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
    (clock::minutes_between(from, to) + 30) / 60
}
