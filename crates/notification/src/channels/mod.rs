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
    /// One-time secrets (reset or registration tokens) in the subject or
    /// text, as rendered: needed to send, not to keep (see [`Self::redacted`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<String>,
}

/// What a secret reads as in a stored message once it was delivered.
pub const REDACTED: &str = "[redacted]";

impl Outgoing {
    /// This message with every secret replaced by [`REDACTED`], or `None`
    /// when it carries none. The sender stores it in place of the original
    /// once the delivery is sent or failed for good, so the deliveries table
    /// (read by admins, backed up, replicated) does not keep live reset or
    /// registration links. The rest of the text stays, for the record.
    pub fn redacted(&self) -> Option<Outgoing> {
        if self.secrets.is_empty() {
            return None;
        }
        let blank = |s: &str| {
            self.secrets
                .iter()
                .filter(|x| !x.is_empty())
                .fold(s.to_owned(), |s, x| s.replace(x.as_str(), REDACTED))
        };
        Some(Outgoing {
            subject: blank(&self.subject),
            text: blank(&self.text),
            secrets: Vec::new(),
            ..self.clone()
        })
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_blanks_every_secret_and_keeps_the_rest() {
        let m = Outgoing {
            to_name: "Amina".into(),
            to_email: "a@example.com".into(),
            to_phone: String::new(),
            subject: "Reset".into(),
            text: "open https://q.test/reset-password?token=s3cr3t\n\ntoken: s3cr3t".into(),
            invite: None,
            message_id: Some("<id@quickcare>".into()),
            secrets: vec!["s3cr3t".into()],
        };
        let r = m.redacted().unwrap();
        assert_eq!(r.text, "open https://q.test/reset-password?token=[redacted]\n\ntoken: [redacted]");
        assert!(r.secrets.is_empty() && r.message_id == m.message_id);
        assert!(!serde_json::to_string(&r).unwrap().contains("s3cr3t"));
        assert!(r.redacted().is_none(), "nothing left to redact");
    }
}
