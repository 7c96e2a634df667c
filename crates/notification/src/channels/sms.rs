//! SMS through a provider's HTTP API: a generic JSON POST
//! (`{"to": "+212…", "message": "…"}`) to `QUICKCARE_SMS_URL`, the answer
//! recorded. Without a URL, messages are kept as files in the dev mailbox.

use std::{path::PathBuf, time::Duration};

use super::{Channel, Outgoing, SendError};

pub enum Sms {
    Http { client: reqwest::Client, url: String },
    DevMailbox { dir: PathBuf },
}

/// The answer recorded for an SMS kept in the dev mailbox.
const DEV_MAILBOX_ANSWER: &str = "kept in the dev mailbox";

/// The most of a provider's answer kept with the delivery.
const KEEP: usize = 1000;

impl Sms {
    pub fn from_settings(settings: &kit::config::Settings) -> anyhow::Result<Self> {
        Ok(match settings.sms_url.clone() {
            Some(url) => Sms::Http {
                client: reqwest::Client::builder().timeout(Duration::from_secs(10)).build()?,
                url,
            },
            None => Sms::DevMailbox { dir: settings.data_dir.join("mailbox").join("sms") },
        })
    }
}

/// The text of an SMS: the subject line carries the point.
fn text(m: &Outgoing) -> String {
    format!(
        "{}: {}",
        m.subject,
        m.text.lines().filter(|l| !l.trim().is_empty()).skip(1).collect::<Vec<_>>().join(" ")
    )
}

#[async_trait::async_trait]
impl Channel for Sms {
    async fn send(&self, m: &Outgoing) -> Result<Option<String>, SendError> {
        if m.to_phone.trim().is_empty() {
            return Err(SendError::Permanent("no phone number".into()));
        }
        let body = serde_json::json!({"to": m.to_phone, "message": text(m)});
        match self {
            Sms::Http { client, url } => {
                let res = client
                    .post(url)
                    .json(&body)
                    .send()
                    .await
                    .map_err(|e| SendError::Transient(e.to_string()))?;
                let status = res.status();
                let answer: String = res.text().await.unwrap_or_default().chars().take(KEEP).collect();
                if status.is_success() {
                    Ok(Some(answer))
                } else if status.is_server_error() || status.as_u16() == 429 {
                    Err(SendError::Transient(format!("{status}: {answer}")))
                } else {
                    Err(SendError::Permanent(format!("{status}: {answer}")))
                }
            }
            Sms::DevMailbox { dir } => {
                tokio::fs::create_dir_all(dir).await.map_err(|e| SendError::Transient(e.to_string()))?;
                let file = dir.join(format!("{}.json", uuid_like()));
                let bytes =
                    serde_json::to_vec_pretty(&body).map_err(|e| SendError::Permanent(e.to_string()))?;
                tokio::fs::write(&file, bytes).await.map_err(|e| SendError::Transient(e.to_string()))?;
                // What admins read in the deliveries API: no server path.
                Ok(Some(DEV_MAILBOX_ANSWER.to_owned()))
            }
        }
    }
}

fn uuid_like() -> String {
    format!("{}-{:08x}", chrono::Utc::now().format("%Y%m%dT%H%M%S%.6f"), rand::random::<u32>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_dev_mailbox_sms_records_no_server_path() {
        let dir = tempfile::tempdir().unwrap();
        let sms = Sms::DevMailbox { dir: dir.path().join("mailbox").join("sms") };
        let m = Outgoing {
            to_name: "Amina".into(),
            to_email: String::new(),
            to_phone: "+212600000000".into(),
            subject: "Booked".into(),
            text: "Hello\n\nSee you on Tuesday".into(),
            invite: None,
            message_id: None,
            secrets: Vec::new(),
        };
        let answer = sms.send(&m).await.unwrap().unwrap();
        assert_eq!(answer, DEV_MAILBOX_ANSWER);
        assert!(!answer.contains(&dir.path().display().to_string()));
        let kept = std::fs::read_dir(dir.path().join("mailbox").join("sms")).unwrap().count();
        assert_eq!(kept, 1, "the message is still kept");
    }
}
