//! An appointment event becomes the patient's in-app notification, mail
//! (text, HTML and a calendar invite) and SMS, in their language and on
//! their clock, as their preferences allow; the doctor hears of requests.

use std::time::Duration;

use chrono::{DateTime, Utc};
use icalendar::Component;
use kit::{
    events::catalog,
    identity::Role,
    testing::{SmtpSink, eventually},
};
use serde_json::{Value, json};

use crate::support::{TestApp, mail::mails_about, sms::SmsProvider};
use kit::ids::{PatientId, UserId};

/// Patient 900, French, in Paris, books doctor 5 (Casablanca) for 09:00
/// UTC — 10:00 on the patient's clock; returns that instant once the
/// patient's inbox has the booking (welcome + booking).
async fn booked_in_paris(s: &TestApp) -> DateTime<Utc> {
    s.people().await;
    let prefs = catalog::PatientPreferencesChanged {
        user_id: UserId(900),
        patient_id: PatientId(40),
        language: "fr".into(),
        timezone: "Europe/Paris".into(),
    };
    s.publish(catalog::EventType::PatientPreferencesChanged, prefs).await;
    let start: DateTime<Utc> = "2030-12-03T09:00:00Z".parse().unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    s.appointment(catalog::EventType::AppointmentBooked, 77, start).await;
    start
}

kit::per_backend! {
    async fn a_booking_reaches_the_app_in_the_patients_language_and_zone(backend: Backend) {
        let (smtp, sms) = (SmtpSink::start().await, SmsProvider::start().await);
        let s = TestApp::start(backend, &smtp, &sms).await;
        booked_in_paris(&s).await;
        let inbox = s.until("/api/v1/notifications", 900, Role::Patient, |v| v["total"] == 2).await;
        let newest = &inbox["data"][0];
        assert_eq!(newest["title"], "Rendez-vous demandé avec Dr Tazi", "{backend:?}");
        assert!(newest["message"].as_str().unwrap().contains("mardi 3 décembre 2030 à 10:00"), "{newest}");
        s.until("/api/v1/notifications", 901, Role::Doctor, |v| v["total"] == 2).await;
        s.stop().await;
    }

    async fn a_booking_is_mailed_with_an_html_part_and_an_invite_at_the_real_instant(backend: Backend) {
        let (smtp, sms) = (SmtpSink::start().await, SmsProvider::start().await);
        let s = TestApp::start(backend, &smtp, &sms).await;
        let start = booked_in_paris(&s).await;
        let mail = eventually("the booking mail", || async { mails_about(&smtp, "Rendez-vous").pop() }).await;
        assert_eq!(mail.subject, "Rendez-vous demandé avec Dr Tazi");
        assert!(mail.text.contains("mardi 3 décembre 2030 à 10:00"), "{}", mail.text);
        assert!(mail.html.unwrap().contains("à 10:00"), "an HTML part too");
        let calendar: icalendar::Calendar = mail.ics.expect("an invite").parse().unwrap();
        let event = calendar.components.iter().find_map(|c| c.as_event()).unwrap();
        assert_eq!(event.get_uid(), Some("appointment-77@quickcare"));
        let parsed_start = match event.get_start().unwrap() {
            icalendar::DatePerhapsTime::DateTime(icalendar::CalendarDateTime::Utc(t)) => t,
            other => panic!("unexpected start {other:?}"),
        };
        assert_eq!(parsed_start, start, "the invite is at the real instant");
        s.stop().await;
    }

    async fn a_booking_is_texted_and_the_providers_answer_kept(backend: Backend) {
        let (smtp, sms) = (SmtpSink::start().await, SmsProvider::start().await);
        let s = TestApp::start(backend, &smtp, &sms).await;
        booked_in_paris(&s).await;
        let texts = eventually("the booking SMS", || async {
            let texts = sms.texts();
            texts.iter().any(|t| t["to"] == "+2126000900").then_some(texts)
        })
        .await;
        assert!(texts.iter().any(|t| t["to"] == "+2126000900"), "{texts:?}");
        let deliveries =
            s.until("/api/v1/notification-deliveries?user_id=900&status=sent", 1, Role::Admin, |v| {
                v["total"].as_u64().unwrap_or(0) >= 3
            });
        let deliveries = deliveries.await;
        let sms_row = deliveries["data"].as_array().unwrap().iter().find(|d| d["channel"] == "sms").unwrap();
        assert!(sms_row["provider_response"].as_str().unwrap().contains("accepted"));
        s.stop().await;
    }

    async fn with_mail_off_an_approval_arrives_in_the_app_only(backend: Backend) {
        let (smtp, sms) = (SmtpSink::start().await, SmsProvider::start().await);
        let s = TestApp::start(backend, &smtp, &sms).await;
        let start = booked_in_paris(&s).await;
        s.until("/api/v1/notifications", 900, Role::Patient, |v| v["total"] == 2).await;
        let off = json!({"email": false, "sms": false, "in_app": true, "reminder_hours_before": 24});
        assert_eq!(s.put_preferences(900, off).await, 200);
        s.appointment(catalog::EventType::AppointmentApproved, 77, start).await;
        s.until("/api/v1/notifications", 900, Role::Patient, |v| v["total"] == 3).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(mails_about(&smtp, "confirm").is_empty(), "no approval mail with mail turned off");
        s.stop().await;
    }

    async fn only_its_owner_reads_a_notification_and_read_all_reads_the_rest(backend: Backend) {
        let (smtp, sms) = (SmtpSink::start().await, SmsProvider::start().await);
        let s = TestApp::start(backend, &smtp, &sms).await;
        booked_in_paris(&s).await;
        let inbox: Value = s.until("/api/v1/notifications", 900, Role::Patient, |v| v["total"] == 2).await;
        let id = inbox["data"][0]["id"].as_i64().unwrap();
        assert_eq!(s.mark_read(901, Role::Doctor, id).await, 404, "someone else's notification");
        assert_eq!(s.mark_read(900, Role::Patient, id).await, 204);
        // The welcome is still unread.
        assert_eq!(s.get("/api/v1/notifications?unread=true", 900, Role::Patient).await["total"], 1);
        s.read_all(900, Role::Patient).await;
        assert_eq!(s.get("/api/v1/notifications?unread=true", 900, Role::Patient).await["total"], 0);
        s.stop().await;
    }
}
