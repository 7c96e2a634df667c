//! The mails a real SMTP sink received, decoded by a real MIME parser.

use kit::testing::{SmtpSink, eventually};

/// A received mail.
pub struct Got {
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
    pub ics: Option<String>,
}

/// Mails whose subject contains `needle`.
pub fn mails_about(sink: &SmtpSink, needle: &str) -> Vec<Got> {
    sink.messages()
        .into_iter()
        .filter_map(|m| {
            let parsed = mail_parser::MessageParser::default().parse(m.data.as_bytes())?;
            Some(Got {
                subject: parsed.subject().unwrap_or_default().to_owned(),
                text: parsed.body_text(0).map(|t| t.into_owned()).unwrap_or_default(),
                html: parsed.body_html(0).map(|t| t.into_owned()),
                ics: parsed.attachments().next().map(|a| String::from_utf8_lossy(a.contents()).into_owned()),
            })
        })
        .filter(|g| g.subject.contains(needle))
        .collect()
}

/// Waits for a mail whose subject contains `needle`.
pub async fn mail_about(sink: &SmtpSink, needle: &str) -> Got {
    mail_with(sink, needle, "").await
}

/// Waits for a mail whose subject contains `needle` and text `text`.
pub async fn mail_with(sink: &SmtpSink, needle: &str, text: &str) -> Got {
    eventually(&format!("a mail about {needle:?} saying {text:?}"), || async {
        mails_about(sink, needle).into_iter().find(|m| m.text.contains(text))
    })
    .await
}

/// Mails to `address` (as the SMTP envelope says) whose content mentions `needle`.
pub fn mails_to(sink: &SmtpSink, address: &str, needle: &str) -> usize {
    sink.messages()
        .iter()
        .filter(|m| m.to.iter().any(|t| t.contains(address)) && m.data.contains(needle))
        .count()
}
