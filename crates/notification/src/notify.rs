//! Turning "tell this person this" into rows: an in-app notification and a
//! queued delivery per channel the person's preferences allow — all in the
//! caller's transaction, keyed by the event so a redelivery adds nothing.

use chrono::Utc;
use sea_orm::{ActiveEnum, ActiveModelTrait, ConnectionTrait, Set};
use serde::Serialize;

use crate::{
    channels::Outgoing,
    clock,
    entity::{
        contact,
        delivery::{self, Channel, Status},
        notification,
    },
    ics::Invite,
    preferences, templates,
};

/// Which channels a message may use (admin messages choose; events use all).
/// Ordinarily a channel is used when it is allowed here *and* the
/// recipient's preferences have it on.
#[derive(Debug, Clone, Copy)]
pub struct Allowed {
    pub in_app: bool,
    pub email: bool,
    pub sms: bool,
    /// The message must reach the person whatever their preferences say:
    /// the channels above are used as given and preferences are not read.
    /// For security messages (a password reset cannot wait on a mail
    /// switch the user turned off) and for people without an account, who
    /// have no preferences. A disabled contact is still not written to.
    pub mandatory: bool,
}

impl Allowed {
    pub const ALL: Allowed = Allowed { in_app: true, email: true, sms: true, mandatory: false };

    /// By mail, whatever the preferences, and nowhere else: a secret link
    /// has no place in an in-app list (shown on any device logged in) or
    /// an SMS, and applicants have no account to read in-app messages with.
    pub const MAIL_ONLY_MANDATORY: Allowed =
        Allowed { in_app: false, email: true, sms: false, mandatory: true };
}

/// What the message is about, for the template.
pub struct Message<'a, V: Serialize> {
    pub key: &'a str,
    pub vars: V,
    pub invite: Option<Invite>,
    /// Unique per message: the event id (and, for several recipients, the role).
    pub source: String,
    /// One-time secrets the rendered text carries (a reset or registration
    /// token): blanked out of the stored delivery once it is over (see
    /// [`Outgoing::redacted`]).
    pub secrets: Vec<String>,
}

/// Notifies `contact`; returns the in-app notification when one was made.
///
/// `contact` may be transient (not in the contacts table): someone without
/// an account has `user_id` [`delivery::NO_ACCOUNT`] and is only ever
/// mailed — there is nobody to show an in-app notification to.
pub async fn notify<C: ConnectionTrait, V: Serialize>(
    conn: &C,
    contact: &contact::Model,
    message: Message<'_, V>,
    allowed: Allowed,
) -> anyhow::Result<Option<notification::Model>> {
    if contact.disabled {
        return Ok(None);
    }
    let prefs = if allowed.mandatory || contact.user_id == delivery::NO_ACCOUNT {
        // Nothing to honour: the allowed channels are the whole answer.
        preferences::defaults(contact.user_id)
    } else {
        preferences::of(conn, contact.user_id).await?
    };
    let locale = clock::locale(&contact.locale);
    let rendered = templates::render(conn, message.key, locale, &message.vars).await?;
    let now = Utc::now();
    let source = format!("{}:{}", message.source, contact.user_id);
    let mut made = None;
    let has_inbox = contact.user_id != delivery::NO_ACCOUNT;
    if allowed.in_app
        && prefs.in_app
        && has_inbox
        && notification::Entity::find_by_source(conn, &source).await?.is_none()
    {
        let row = notification::ActiveModel {
            user_id: Set(contact.user_id),
            title: Set(rendered.subject.chars().take(255).collect()),
            message: Set(rendered.body.clone()),
            is_read: Set(false),
            source_key: Set(Some(source.clone())),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(conn)
        .await?;
        // Open event streams learn of it through the outbox, on every instance.
        let created = kit::events::catalog::NotificationCreated {
            notification_id: row.id,
            user_id: row.user_id,
            title: row.title.clone(),
            message: row.message.clone(),
            created_at: row.created_at,
        };
        let kind = kit::events::catalog::EventType::NotificationCreated;
        kit::events::publish(conn, "notification", kind, Some(format!("user/{}", row.user_id)), &created)
            .await?;
        made = Some(row);
    }
    let outgoing = Outgoing {
        to_name: contact.name.clone(),
        to_email: contact.email.clone(),
        to_phone: contact.phone.clone(),
        subject: rendered.subject,
        text: rendered.body,
        invite: message.invite,
        message_id: None,
        secrets: message.secrets,
    };
    let channels = [(Channel::Email, allowed.email && prefs.email), (Channel::Sms, allowed.sms && prefs.sms)];
    for (channel, wanted) in channels {
        if !wanted || (channel == Channel::Sms && contact.phone.trim().is_empty()) {
            continue;
        }
        let dedupe_key = format!("{source}:{}", channel.to_value());
        if delivery::Entity::find_by_dedupe(conn, &dedupe_key).await?.is_some() {
            continue;
        }
        let message_id = format!("<{}@quickcare>", dedupe_key.replace(':', "."));
        let payload = serde_json::to_string(&Outgoing { message_id: Some(message_id), ..outgoing.clone() })?;
        delivery::ActiveModel {
            dedupe_key: Set(dedupe_key),
            user_id: Set(contact.user_id),
            channel: Set(channel),
            template: Set(message.key.to_owned()),
            status: Set(Status::Queued),
            attempts: Set(0),
            payload: Set(payload.clone()),
            next_attempt_at: Set(now),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(conn)
        .await?;
    }
    Ok(made)
}
