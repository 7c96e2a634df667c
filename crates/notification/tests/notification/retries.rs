//! A mail the SMTP server refuses for now (4xx) is tried again with
//! backoff until it goes; one refused for good (5xx) fails at once.

use kit::{
    events::catalog,
    identity::Role,
    testing::{SmtpBehavior, SmtpSink},
};
use serde_json::Value;

use crate::support::{TestApp, mail::mails_about, sms::SmsProvider};

/// Whether `row` is the patient's booking mail.
fn booking_mail(row: &Value) -> bool {
    row["channel"] == "email" && row["template"] == "appointment_booked"
}

/// Books against an SMTP server that behaves as `behavior` and waits for
/// the booking mail's delivery to reach `status`; that delivery row.
async fn booking_mail_once(s: &TestApp, status: &str) -> Value {
    s.people().await;
    s.appointment(catalog::EventType::AppointmentBooked, 88, "2030-12-03T09:00:00Z".parse().unwrap()).await;
    let path = format!("/api/v1/notification-deliveries?user_id=900&status={status}");
    let found = s
        .until(&path, 1, Role::Admin, |v| v["data"].as_array().is_some_and(|d| d.iter().any(booking_mail)))
        .await;
    found["data"].as_array().unwrap().iter().find(|r| booking_mail(r)).unwrap().clone()
}

kit::per_backend! {
    async fn refusals_for_now_are_retried_until_sent(backend: Backend) {
        let smtp = SmtpSink::start_with(SmtpBehavior { fail_first: 3, code: 451 }).await;
        let sms = SmsProvider::start().await;
        let s = TestApp::start(backend, &smtp, &sms).await;
        booking_mail_once(&s, "sent").await;
        // Exactly three refusals were absorbed, whichever mails met them
        // (once every mail is out: a refused one may still be waiting).
        let all_out = |v: &Value| {
            v["data"].as_array().is_some_and(|d| {
                d.iter().filter(|r| r["channel"] == "email").all(|r| r["status"] == "sent")
            })
        };
        s.until("/api/v1/notification-deliveries?per_page=100", 1, Role::Admin, all_out).await;
        let sent = s.get("/api/v1/notification-deliveries?status=sent&per_page=100", 1, Role::Admin).await;
        let emails: Vec<&Value> =
            sent["data"].as_array().unwrap().iter().filter(|r| r["channel"] == "email").collect();
        let attempts: i64 = emails.iter().map(|r| r["attempts"].as_i64().unwrap()).sum();
        assert_eq!(attempts, emails.len() as i64 + 3, "{backend:?}: {emails:?}");
        assert_eq!(smtp.attempts(), emails.len() + 3);
        assert!(!mails_about(&smtp, "demandé").is_empty());
        s.stop().await;
    }

    async fn a_refusal_for_good_fails_at_once(backend: Backend) {
        let smtp = SmtpSink::start_with(SmtpBehavior { fail_first: 100, code: 550 }).await;
        let sms = SmsProvider::start().await;
        let s = TestApp::start(backend, &smtp, &sms).await;
        let row = booking_mail_once(&s, "failed").await;
        assert_eq!(row["attempts"], 1, "a 5xx is not retried: {row}");
        assert!(row["last_error"].as_str().unwrap().contains("550"), "{row}");
        s.stop().await;
    }
}
