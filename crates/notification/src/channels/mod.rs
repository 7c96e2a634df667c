//! The ways a message leaves: mail and SMS behind one trait (in-app
//! notifications are rows of our own, written where the event is handled).

pub mod email;
pub mod sms;

use serde::{Deserialize, Serialize};

use crate::ics::Invite;

/// A rendered message, as stored with its delivery: sent as it read when
/// the event happened, whatever changes later.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Outgoing {
    pub to_name: String,
    pub to_email: String,
    pub to_phone: String,
    pub subject: String,
    pub text: String,
    #[serde(default)]
    pub invite: Option<Invite>,
    /// Stable per delivery: a resend after a crash is recognisably the same message.
    #[serde(default)]
    pub message_id: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// Worth another try later (4xx from SMTP, 5xx or a timeout from the SMS provider).
    #[error("{0}")]
    Transient(String),
    /// Retrying will not help (5xx from SMTP, a refused number).
    #[error("{0}")]
    Permanent(String),
}

#[async_trait::async_trait]
pub trait Channel: Send + Sync {
    /// Sends; `Ok` carries what the provider answered, when it says anything.
    async fn send(&self, message: &Outgoing) -> Result<Option<String>, SendError>;
}
