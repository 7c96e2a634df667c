//! A password reset is mailed whatever the preferences say, and nowhere
//! else; its stored copy loses the live link once sent; a redelivered
//! event adds nothing.

use std::time::Duration;

use chrono::Utc;
use kit::{
    events::{Event, catalog},
    identity::Role,
    testing::SmtpSink,
};
use serde_json::json;

use crate::support::{
    TestApp,
    mail::{mail_about, mails_about},
    sms::SmsProvider,
};
use kit::ids::UserId;

/// The subject of the reset mail, in French (the contact's default).
const SUBJECT: &str = "Réinitialisez votre mot de passe";

/// Patient 900, every channel off (in-app too), asks for a reset; the
/// event (to publish again) and the secret it seals.
async fn reset_requested(s: &TestApp) -> (Event, String) {
    s.people().await;
    let off = json!({"email": false, "sms": false, "in_app": false, "reminder_hours_before": 24});
    assert_eq!(s.put_preferences(900, off).await, 200);
    let secret = kit::crypto::new_secret();
    let reset = catalog::PasswordResetRequested {
        user_id: UserId(900),
        name: "Amina El Amrani".into(),
        email: "u900@example.com".into(),
        secret_sealed: s.ctx.keyring.seal_str(&secret),
        expires_at: Utc::now() + chrono::Duration::minutes(60),
    };
    let event = Event::new(
        "auth",
        catalog::EventType::PasswordResetRequested,
        None,
        serde_json::to_value(reset).unwrap(),
    );
    s.publish_event(&event).await;
    (event, secret)
}

kit::per_backend! {
    async fn a_reset_is_mailed_with_its_link_whatever_the_preferences(backend: Backend) {
        let (smtp, sms) = (SmtpSink::start().await, SmsProvider::start().await);
        let s = TestApp::start(backend, &smtp, &sms).await;
        let (_, secret) = reset_requested(&s).await;
        // The contact has no language of their own yet: French, the default.
        let mail = mail_about(&smtp, SUBJECT).await;
        let link =
            format!("{}/reset-password?token={secret}", s.env.settings.public_url.trim_end_matches('/'));
        assert!(mail.text.contains(&link), "{backend:?}: {}", mail.text);
        assert!(mail.text.contains("dans les 60 minutes"), "{}", mail.text);
        let sent = s.sent("password_reset", 1).await;
        assert_eq!(sent.len(), 1, "mail only: {sent:?}");
        assert_eq!(sent[0]["channel"], "email");
        assert_eq!(sent[0]["user_id"], 900);
        s.stop().await;
    }

    async fn a_sent_reset_no_longer_holds_a_live_link(backend: Backend) {
        let (smtp, sms) = (SmtpSink::start().await, SmsProvider::start().await);
        let s = TestApp::start(backend, &smtp, &sms).await;
        let (_, secret) = reset_requested(&s).await;
        s.sent("password_reset", 1).await;
        let payloads = s.payloads("password_reset").await;
        assert_eq!(payloads.len(), 1);
        assert!(!payloads[0].contains(&secret), "{}", payloads[0]);
        assert!(payloads[0].contains("token=[redacted]"), "{}", payloads[0]);
        s.stop().await;
    }

    async fn a_redelivered_reset_adds_nothing(backend: Backend) {
        let (smtp, sms) = (SmtpSink::start().await, SmsProvider::start().await);
        let s = TestApp::start(backend, &smtp, &sms).await;
        let (event, _) = reset_requested(&s).await;
        s.sent("password_reset", 1).await;
        s.publish_event(&event).await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(s.payloads("password_reset").await.len(), 1, "no second delivery");
        assert_eq!(mails_about(&smtp, "Réinitialisez").len(), 1, "no second mail");
        s.stop().await;
    }

    async fn a_reset_is_neither_in_the_app_nor_texted(backend: Backend) {
        let (smtp, sms) = (SmtpSink::start().await, SmsProvider::start().await);
        let s = TestApp::start(backend, &smtp, &sms).await;
        reset_requested(&s).await;
        s.sent("password_reset", 1).await;
        // Only the welcome is in the app.
        assert_eq!(s.get("/api/v1/notifications", 900, Role::Patient).await["total"], 1);
        let texts = sms.texts();
        assert!(
            texts.iter().all(|t| !t["message"].as_str().unwrap_or_default().contains("passe")),
            "{texts:?}"
        );
        s.stop().await;
    }
}
