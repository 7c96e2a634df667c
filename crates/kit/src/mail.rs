//! Outgoing mail behind one trait: SMTP (lettre) when `QUICKCARE_SMTP_URL`
//! is set, else a dev mailbox of files under the data dir.

use std::{path::PathBuf, sync::Arc};

use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, MultiPart, SinglePart, header::ContentType},
};
use serde::{Deserialize, Serialize};

use crate::config::Settings;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Attachment {
    pub filename: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
    pub attachments: Vec<Attachment>,
    /// A stable `Message-ID` (`<id@host>`): a message sent again after a
    /// crash keeps its id, and receivers drop the copy.
    #[serde(default)]
    pub message_id: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// 4xx, connection trouble: try again later.
    #[error("transient mail failure: {0}")]
    Transient(String),
    /// 5xx, bad address: retrying will not help.
    #[error("permanent mail failure: {0}")]
    Permanent(String),
}

#[async_trait::async_trait]
pub trait Mailer: Send + Sync {
    async fn send(&self, mail: &Mail) -> Result<(), MailError>;
}

/// The mailer the settings ask for.
pub fn from_settings(settings: &Settings) -> anyhow::Result<Arc<dyn Mailer>> {
    Ok(match settings.smtp_url.as_deref() {
        Some(url) => Arc::new(SmtpMailer::new(url, &settings.mail_from)?),
        None => Arc::new(DevMailbox::new(settings.data_dir.join("mailbox"))),
    })
}

/// SMTP through lettre. `smtp://` is plain (loopback relays, dev sinks),
/// `smtps://` is implicit TLS; credentials may sit in the URL.
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpMailer {
    pub fn new(url: &str, from: &str) -> anyhow::Result<Self> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?
            .timeout(Some(std::time::Duration::from_secs(20)))
            .build();
        Ok(Self { transport, from: from.parse()? })
    }
}

fn build(from: &Mailbox, mail: &Mail) -> Result<Message, MailError> {
    let to: Mailbox = mail.to.parse().map_err(|e| MailError::Permanent(format!("bad recipient: {e}")))?;
    let body = match &mail.html {
        Some(html) => MultiPart::alternative_plain_html(mail.text.clone(), html.clone()),
        None => MultiPart::mixed().singlepart(SinglePart::plain(mail.text.clone())),
    };
    let body = mail.attachments.iter().fold(MultiPart::mixed().multipart(body), |mp, a| {
        let ct = ContentType::parse(&a.content_type).unwrap_or(ContentType::TEXT_PLAIN);
        mp.singlepart(lettre::message::Attachment::new(a.filename.clone()).body(a.content.clone(), ct))
    });
    Message::builder()
        .from(from.clone())
        .to(to)
        .message_id(mail.message_id.clone())
        .subject(mail.subject.clone())
        .multipart(body)
        .map_err(|e| MailError::Permanent(e.to_string()))
}

#[async_trait::async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, mail: &Mail) -> Result<(), MailError> {
        let message = build(&self.from, mail)?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(MailError::Permanent(e.to_string())),
            Err(e) => Err(MailError::Transient(e.to_string())),
        }
    }
}

/// Mails kept as files (one JSON per mail) in `<data_dir>/mailbox`, for
/// development and demos: nothing leaves the machine.
pub struct DevMailbox {
    pub dir: PathBuf,
}

impl DevMailbox {
    pub fn new(dir: PathBuf) -> Self {
        Self { dir }
    }

    /// Every stored mail, oldest first.
    pub fn list(&self) -> std::io::Result<Vec<Mail>> {
        let mut files: Vec<PathBuf> = match std::fs::read_dir(&self.dir) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        files.retain(|p| p.extension().is_some_and(|x| x == "json"));
        files.sort();
        files
            .iter()
            .map(|p| {
                let bytes = std::fs::read(p)?;
                serde_json::from_slice(&bytes).map_err(std::io::Error::other)
            })
            .collect()
    }
}

#[async_trait::async_trait]
impl Mailer for DevMailbox {
    async fn send(&self, mail: &Mail) -> Result<(), MailError> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let path = self.dir.join(format!("{nanos:020}-{}.json", uuid::Uuid::now_v7().simple()));
        let json = serde_json::to_vec_pretty(mail).map_err(|e| MailError::Permanent(e.to_string()))?;
        let dir = self.dir.clone();
        tokio::task::spawn_blocking(move || {
            std::fs::create_dir_all(&dir)?;
            // Write then rename, so a reader never sees half a mail.
            let tmp = path.with_extension("tmp");
            std::fs::write(&tmp, json)?;
            std::fs::rename(&tmp, &path)
        })
        .await
        .map_err(|e| MailError::Transient(e.to_string()))?
        .map_err(|e| MailError::Transient(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail(to: &str) -> Mail {
        Mail {
            to: to.into(),
            subject: "Hi".into(),
            text: "Hello".into(),
            html: None,
            attachments: vec![],
            message_id: None,
        }
    }

    #[tokio::test]
    async fn dev_mailbox_keeps_mails_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let mb = DevMailbox::new(dir.path().join("mailbox"));
        assert!(mb.list().unwrap().is_empty());
        mb.send(&mail("a@example.com")).await.unwrap();
        mb.send(&mail("b@example.com")).await.unwrap();
        let got: Vec<String> = mb.list().unwrap().into_iter().map(|m| m.to).collect();
        assert_eq!(got, vec!["a@example.com", "b@example.com"]);
    }

    #[test]
    fn builds_multipart_with_attachments() {
        let mut m = mail("Amina <a@example.com>");
        m.html = Some("<p>Hello</p>".into());
        m.attachments.push(Attachment {
            filename: "invite.ics".into(),
            content_type: "text/calendar".into(),
            content: b"BEGIN:VCALENDAR".to_vec(),
        });
        let from: Mailbox = "QuickCare <no-reply@quickcare.local>".parse().unwrap();
        let raw = String::from_utf8(build(&from, &m).unwrap().formatted()).unwrap();
        assert!(raw.contains("text/html") && raw.contains("invite.ics"));
        assert!(matches!(build(&from, &mail("not an address")), Err(MailError::Permanent(_))));
    }
}
