//! Mail through the kit mailer (SMTP, TLS with `smtps://`; or the dev
//! mailbox), with a text part, an HTML part and the calendar invite.

use std::sync::Arc;

use kit::mail::{Attachment, Mail, MailError, Mailer};

use super::{Channel, Outgoing, SendError};

pub struct Email {
    pub mailer: Arc<dyn Mailer>,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The text as simple HTML paragraphs, everything escaped.
fn html(subject: &str, text: &str) -> String {
    let paragraphs: String =
        text.split("\n\n").map(|p| format!("<p>{}</p>", escape(p).replace('\n', "<br>"))).collect();
    format!(
        "<!doctype html><html><body style=\"font-family:sans-serif\"><h2>{}</h2>{paragraphs}<p style=\"color:#888\">QuickCare</p></body></html>",
        escape(subject)
    )
}

#[async_trait::async_trait]
impl Channel for Email {
    async fn send(&self, m: &Outgoing) -> Result<Option<String>, SendError> {
        let attachments = m
            .invite
            .iter()
            .map(|invite| Attachment {
                filename: "appointment.ics".into(),
                content_type: format!("text/calendar; charset=utf-8; method={}", invite.method),
                content: invite.content.clone().into_bytes(),
            })
            .collect();
        let mail = Mail {
            to: format!("{} <{}>", m.to_name.replace(['<', '>', '"'], ""), m.to_email),
            subject: m.subject.clone(),
            text: m.text.clone(),
            html: Some(html(&m.subject, &m.text)),
            attachments,
            message_id: m.message_id.clone(),
        };
        match self.mailer.send(&mail).await {
            Ok(()) => Ok(None),
            Err(MailError::Transient(e)) => Err(SendError::Transient(e)),
            Err(MailError::Permanent(e)) => Err(SendError::Permanent(e)),
        }
    }
}
