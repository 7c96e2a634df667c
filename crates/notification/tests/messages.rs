//! Events become in-app notifications, mails to a real SMTP server on
//! loopback and SMS to a real HTTP endpoint on loopback, by preferences,
//! in the recipient's language and on their clock; failures retry.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{Json, Router, routing::post};
use chrono::{DateTime, Utc};
use icalendar::Component;
use kit::{
    events::{Event, catalog},
    identity::Role,
    service::ServiceContext,
    testing::{Backend, SmtpBehavior, SmtpSink, TestEnv, TestIssuer, backends},
};
use serde_json::{Value, json};

/// An SMS provider on loopback that records what it is asked to send.
struct SmsProvider {
    url: String,
    received: Arc<Mutex<Vec<Value>>>,
}

async fn sms_provider() -> SmsProvider {
    let received: Arc<Mutex<Vec<Value>>> = Arc::default();
    let store = received.clone();
    let app = Router::new().route(
        "/sms",
        post(move |Json(body): Json<Value>| {
            let store = store.clone();
            async move {
                let n = {
                    let mut all = store.lock().unwrap();
                    all.push(body);
                    all.len()
                };
                Json(json!({"message_id": format!("sms-{n}"), "status": "accepted"}))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/sms", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    SmsProvider { url, received }
}

struct Service {
    env: TestEnv,
    ctx: ServiceContext,
    base: String,
    http: reqwest::Client,
    issuer: Arc<TestIssuer>,
}

async fn start(backend: Backend, smtp: &SmtpSink, sms: &SmsProvider) -> Service {
    let mut env = TestEnv::new(backend);
    env.settings.smtp_url = Some(smtp.url());
    env.settings.sms_url = Some(sms.url.clone());
    env.settings.delivery_retry_base_ms = 30;
    let issuer = TestIssuer::new();
    let mut ctx = env.context("notification", &issuer).await;
    // The test context keeps mail in the dev mailbox; these tests talk SMTP.
    ctx.mailer = kit::mail::from_settings(&env.settings).unwrap();
    let handle = notification::start(ctx.clone()).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let shutdown = ctx.shutdown.clone();
    tokio::spawn(async move {
        axum::serve(listener, handle.router.into_make_service_with_connect_info::<std::net::SocketAddr>())
            .with_graceful_shutdown(async move { shutdown.cancelled().await })
            .await
            .unwrap();
    });
    Service { env, ctx, base, http: reqwest::Client::new(), issuer }
}

impl Service {
    async fn publish(&self, kind: &str, data: impl serde::Serialize) {
        let event = Event::new("test", kind, None, serde_json::to_value(data).unwrap());
        self.ctx.bus.publish(&event).await.unwrap();
    }

    async fn get(&self, path: &str, user: i64, role: Role) -> Value {
        let res =
            self.http.get(format!("{}{path}", self.base)).bearer_auth(self.issuer.token(user, role)).send();
        res.await.unwrap().json().await.unwrap()
    }

    /// Polls until `check` holds for the answer of `path`.
    async fn until(&self, path: &str, user: i64, role: Role, check: impl Fn(&Value) -> bool) -> Value {
        for _ in 0..400 {
            let v = self.get(path, user, role).await;
            if check(&v) {
                return v;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("{path} never satisfied the check: {}", self.get(path, user, role).await);
    }

    async fn people(&self) {
        self.contact(900, "Amina El Amrani", Role::Patient).await;
        self.contact(901, "Dr Tazi", Role::Doctor).await;
        let doctor = catalog::DoctorChanged {
            doctor_id: 5,
            user_id: 901,
            name: "Dr Tazi".into(),
            specialty_id: 1,
            city: None,
            timezone: "Africa/Casablanca".into(),
            status: "active".into(),
        };
        self.publish(catalog::DOCTOR_CHANGED, doctor).await;
    }

    async fn appointment(&self, kind: &str, id: i64, start: DateTime<Utc>) {
        let data = catalog::AppointmentChanged {
            appointment_id: id,
            patient_id: 40,
            patient_user_id: 900,
            doctor_id: 5,
            doctor_user_id: 901,
            status: "pending".into(),
            start_at: start,
            end_at: start + chrono::Duration::minutes(30),
            travel_time_minutes: None,
        };
        self.publish(kind, data).await;
    }
}

/// A received mail, decoded by a real MIME parser.
struct Got {
    subject: String,
    text: String,
    html: Option<String>,
    ics: Option<String>,
}

/// Mails whose subject contains `needle`.
fn mails_about(sink: &SmtpSink, needle: &str) -> Vec<Got> {
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_booking_reaches_app_mail_and_phone_in_the_patients_language_and_zone() {
    for backend in backends() {
        let smtp = SmtpSink::start().await;
        let sms = sms_provider().await;
        let s = start(backend, &smtp, &sms).await;
        s.people().await;
        let prefs = catalog::PatientPreferencesChanged {
            user_id: 900,
            patient_id: 40,
            language: "fr".into(),
            timezone: "Europe/Paris".into(),
        };
        s.publish(catalog::PATIENT_PREFERENCES_CHANGED, prefs).await;
        // A doctor in Casablanca, 09:00 UTC: 10:00 on the patient's Paris clock.
        let start: DateTime<Utc> = "2030-12-03T09:00:00Z".parse().unwrap();
        tokio::time::sleep(Duration::from_millis(200)).await;
        s.appointment(catalog::APPOINTMENT_BOOKED, 77, start).await;

        let inbox = s.until("/api/v1/notifications", 900, Role::Patient, |v| v["total"] == 2).await;
        let newest = &inbox["data"][0];
        assert_eq!(newest["title"], "Rendez-vous demandé avec Dr Tazi", "{backend:?}");
        assert!(newest["message"].as_str().unwrap().contains("mardi 3 décembre 2030 à 10:00"), "{newest}");
        s.until("/api/v1/notifications", 901, Role::Doctor, |v| v["total"] == 2).await;

        for _ in 0..200 {
            if !mails_about(&smtp, "Rendez-vous").is_empty() && !sms.received.lock().unwrap().is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        let mail = mails_about(&smtp, "Rendez-vous").pop().expect("booking mail");
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
        let texts = sms.received.lock().unwrap().clone();
        assert!(texts.iter().any(|t| t["to"] == "+2126000900"), "{texts:?}");

        let deliveries =
            s.until("/api/v1/notification-deliveries?user_id=900&status=sent", 1, Role::Admin, |v| {
                v["total"].as_u64().unwrap_or(0) >= 3
            });
        let deliveries = deliveries.await;
        let sms_row = deliveries["data"].as_array().unwrap().iter().find(|d| d["channel"] == "sms").unwrap();
        assert!(sms_row["provider_response"].as_str().unwrap().contains("accepted"));

        // Mail off: the approval arrives in the app only.
        let off = json!({"email": false, "sms": false, "in_app": true, "reminder_hours_before": 24});
        let res = s
            .http
            .put(format!("{}/api/v1/notifications/preferences", s.base))
            .bearer_auth(s.issuer.token(900, Role::Patient))
            .json(&off)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        s.appointment(catalog::APPOINTMENT_APPROVED, 77, start).await;
        s.until("/api/v1/notifications", 900, Role::Patient, |v| v["total"] == 3).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(mails_about(&smtp, "confirm").is_empty(), "no approval mail with mail turned off");

        // Read one, read all.
        let id = s.get("/api/v1/notifications", 900, Role::Patient).await["data"][0]["id"].as_i64().unwrap();
        let other = s
            .http
            .put(format!("{}/api/v1/notifications/{id}/read", s.base))
            .bearer_auth(s.issuer.token(901, Role::Doctor))
            .send()
            .await
            .unwrap();
        assert_eq!(other.status(), 404, "someone else's notification");
        let mine = s
            .http
            .put(format!("{}/api/v1/notifications/{id}/read", s.base))
            .bearer_auth(s.issuer.token(900, Role::Patient))
            .send()
            .await
            .unwrap();
        assert_eq!(mine.status(), 204);
        assert_eq!(s.get("/api/v1/notifications?unread=true", 900, Role::Patient).await["total"], 2);
        s.http
            .post(format!("{}/api/v1/notifications/read-all", s.base))
            .bearer_auth(s.issuer.token(900, Role::Patient))
            .send()
            .await
            .unwrap();
        assert_eq!(s.get("/api/v1/notifications?unread=true", 900, Role::Patient).await["total"], 0);
        s.ctx.shutdown.cancel();
        s.env.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_mail_is_retried_and_a_permanent_refusal_fails() {
    for backend in backends() {
        for (behavior, expect_sent) in [
            (SmtpBehavior { fail_first: 3, code: 451 }, true),
            (SmtpBehavior { fail_first: 100, code: 550 }, false),
        ] {
            let smtp = SmtpSink::start_with(behavior).await;
            let sms = sms_provider().await;
            let s = start(backend, &smtp, &sms).await;
            s.people().await;
            s.appointment(catalog::APPOINTMENT_BOOKED, 88, "2030-12-03T09:00:00Z".parse().unwrap()).await;
            let wanted = if expect_sent { "sent" } else { "failed" };
            let path = format!("/api/v1/notification-deliveries?user_id=900&status={wanted}");
            let found = s
                .until(&path, 1, Role::Admin, |v| {
                    v["data"].as_array().is_some_and(|d| {
                        d.iter().any(|r| r["channel"] == "email" && r["template"] == "appointment_booked")
                    })
                })
                .await;
            let row = found["data"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["channel"] == "email" && r["template"] == "appointment_booked")
                .unwrap()
                .clone();
            if expect_sent {
                // Exactly three refusals were absorbed, whichever mails met them
                // (once every mail is out: a refused one may still be waiting).
                let all_out = |v: &Value| {
                    v["data"].as_array().is_some_and(|d| {
                        d.iter().filter(|r| r["channel"] == "email").all(|r| r["status"] == "sent")
                    })
                };
                s.until("/api/v1/notification-deliveries?per_page=100", 1, Role::Admin, all_out).await;
                let sent =
                    s.get("/api/v1/notification-deliveries?status=sent&per_page=100", 1, Role::Admin).await;
                let emails: Vec<&Value> =
                    sent["data"].as_array().unwrap().iter().filter(|r| r["channel"] == "email").collect();
                let attempts: i64 = emails.iter().map(|r| r["attempts"].as_i64().unwrap()).sum();
                assert_eq!(attempts, emails.len() as i64 + 3, "{backend:?}: {emails:?}");
                assert_eq!(smtp.attempts(), emails.len() + 3);
                assert!(!mails_about(&smtp, "demandé").is_empty());
            } else {
                assert_eq!(row["attempts"], 1, "a 5xx is not retried: {row}");
                assert!(row["last_error"].as_str().unwrap().contains("550"), "{row}");
            }
            s.ctx.shutdown.cancel();
            s.env.cleanup().await;
        }
    }
}

impl Service {
    /// Publishes `event` as it is (a redelivery publishes the same id again).
    async fn publish_event(&self, event: &Event) {
        self.ctx.bus.publish(event).await.unwrap();
    }

    /// Registers an account and waits for its welcome notification: the
    /// contact is then known.
    async fn contact(&self, user_id: i64, name: &str, role: Role) {
        let registered = catalog::UserRegistered {
            user_id,
            name: name.into(),
            email: format!("u{user_id}@example.com"),
            role,
            gender: "female".into(),
            phone: format!("+2126000{user_id}"),
            cin_sealed: None,
            birth_date: None,
            address: None,
            doctor: None,
        };
        self.publish(catalog::USER_REGISTERED, registered).await;
        self.until("/api/v1/notifications", user_id, role, |v| v["total"] == 1).await;
    }

    /// The stored payloads of the deliveries of `template`, straight from the table.
    async fn payloads(&self, template: &str) -> Vec<String> {
        use sea_orm::ConnectionTrait;
        let backend = self.ctx.db.get_database_backend();
        let stmt = sea_orm::Statement::from_sql_and_values(
            backend,
            "SELECT payload FROM notification_deliveries WHERE template = ?",
            [template.into()],
        );
        let rows = self.ctx.db.query_all_raw(stmt).await.unwrap();
        rows.iter().map(|r| r.try_get_by_index::<String>(0).unwrap()).collect()
    }

    /// Admin's view of the deliveries of `template` once `n` of them are sent.
    async fn sent(&self, template: &str, n: usize) -> Vec<Value> {
        let path = "/api/v1/notification-deliveries?status=sent&per_page=100";
        let of = |v: &Value| -> Vec<Value> {
            v["data"].as_array().unwrap().iter().filter(|d| d["template"] == template).cloned().collect()
        };
        of(&self.until(path, 1, Role::Admin, |v| of(v).len() >= n).await)
    }
}

/// Waits for a mail whose subject contains `needle`.
async fn mail_about(sink: &SmtpSink, needle: &str) -> Got {
    mail_with(sink, needle, "").await
}

/// Waits for a mail whose subject contains `needle` and text `text`.
async fn mail_with(sink: &SmtpSink, needle: &str, text: &str) -> Got {
    for _ in 0..400 {
        if let Some(got) = mails_about(sink, needle).into_iter().find(|m| m.text.contains(text)) {
            return got;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("no mail about {needle:?} saying {text:?}");
}

/// Mails to `address` (as the SMTP envelope says) whose content mentions `needle`.
fn mails_to(sink: &SmtpSink, address: &str, needle: &str) -> usize {
    sink.messages()
        .iter()
        .filter(|m| m.to.iter().any(|t| t.contains(address)) && m.data.contains(needle))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_reset_is_mailed_whatever_the_preferences_and_nowhere_else() {
    for backend in backends() {
        let smtp = SmtpSink::start().await;
        let sms = sms_provider().await;
        let s = start(backend, &smtp, &sms).await;
        s.people().await;
        // Every channel off, in-app too.
        let off = json!({"email": false, "sms": false, "in_app": false, "reminder_hours_before": 24});
        let res = s
            .http
            .put(format!("{}/api/v1/notifications/preferences", s.base))
            .bearer_auth(s.issuer.token(900, Role::Patient))
            .json(&off)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let secret = kit::crypto::new_secret();
        let reset = catalog::PasswordResetRequested {
            user_id: 900,
            name: "Amina El Amrani".into(),
            email: "u900@example.com".into(),
            secret_sealed: s.ctx.keyring.seal_str(&secret),
            expires_at: Utc::now() + chrono::Duration::minutes(60),
        };
        let event =
            Event::new("auth", catalog::PASSWORD_RESET_REQUESTED, None, serde_json::to_value(reset).unwrap());
        s.publish_event(&event).await;

        // The contact has no language of their own yet: French, the default.
        let mail = mail_about(&smtp, "Réinitialisez votre mot de passe").await;
        let link =
            format!("{}/reset-password?token={secret}", s.env.settings.public_url.trim_end_matches('/'));
        assert!(mail.text.contains(&link), "{backend:?}: {}", mail.text);
        assert!(mail.text.contains("dans les 60 minutes"), "{}", mail.text);
        let sent = s.sent("password_reset", 1).await;
        assert_eq!(sent.len(), 1, "mail only: {sent:?}");
        assert_eq!(sent[0]["channel"], "email");
        assert_eq!(sent[0]["user_id"], 900);

        // Once sent, the stored copy no longer holds a live link.
        let payloads = s.payloads("password_reset").await;
        assert_eq!(payloads.len(), 1);
        assert!(!payloads[0].contains(&secret), "{}", payloads[0]);
        assert!(payloads[0].contains("token=[redacted]"), "{}", payloads[0]);

        // Redelivered: nothing more.
        s.publish_event(&event).await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(s.payloads("password_reset").await.len(), 1, "no second delivery");
        assert_eq!(mails_about(&smtp, "Réinitialisez").len(), 1, "no second mail");
        // Not in the app (only the welcome is there), not by SMS.
        assert_eq!(s.get("/api/v1/notifications", 900, Role::Patient).await["total"], 1);
        let texts = sms.received.lock().unwrap().clone();
        assert!(
            texts.iter().all(|t| !t["message"].as_str().unwrap_or_default().contains("passe")),
            "{texts:?}"
        );
        s.ctx.shutdown.cancel();
        s.env.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_application_reaches_the_applicant_by_mail_and_the_admins() {
    for backend in backends() {
        let smtp = SmtpSink::start().await;
        let sms = sms_provider().await;
        let s = start(backend, &smtp, &sms).await;
        s.contact(910, "Admin One", Role::Admin).await;
        s.contact(911, "Admin Off", Role::Admin).await;
        let disabled = catalog::UserUpdated {
            user_id: 911,
            name: "Admin Off".into(),
            email: "u911@example.com".into(),
            gender: "female".into(),
            phone: "+2126000911".into(),
            disabled: true,
        };
        s.publish(catalog::USER_UPDATED, disabled).await;
        let english = catalog::PatientPreferencesChanged {
            user_id: 910,
            patient_id: 0,
            language: "en".into(),
            timezone: "Africa/Casablanca".into(),
        };
        s.publish(catalog::PATIENT_PREFERENCES_CHANGED, english).await;
        let applicant = "applicant@example.com";
        let submitted = catalog::DoctorApplicationSubmitted {
            application_id: 31,
            name: "Dr Applicant".into(),
            email: applicant.into(),
        };
        s.publish(catalog::DOCTOR_APPLICATION_SUBMITTED, submitted).await;

        let received = mail_about(&smtp, "We received your QuickCare application").await;
        assert!(
            received.text.contains("Hello Dr Applicant") && received.text.contains("no. 31"),
            "{}",
            received.text
        );
        let inbox = s.until("/api/v1/notifications", 910, Role::Admin, |v| v["total"] == 2).await;
        assert_eq!(inbox["data"][0]["title"], "New doctor application", "{backend:?}");
        let to_admin = mail_about(&smtp, "New doctor application").await;
        assert!(to_admin.text.contains("Dr Applicant <applicant@example.com>"), "{}", to_admin.text);
        assert_eq!(
            mails_to(&smtp, "u911@example.com", "New doctor application"),
            0,
            "a disabled admin hears nothing"
        );
        assert_eq!(s.get("/api/v1/notifications", 911, Role::Admin).await["total"], 1);

        let token = kit::crypto::new_secret();
        let approved = catalog::DoctorApplicationApproved {
            application_id: 31,
            name: "Dr Applicant".into(),
            email: applicant.into(),
            token_sealed: s.ctx.keyring.seal_str(&token),
            expires_at: Utc::now() + chrono::Duration::hours(24),
        };
        s.publish(catalog::DOCTOR_APPLICATION_APPROVED, approved).await;
        let mail = mail_about(&smtp, "Your QuickCare application is approved").await;
        let line =
            mail.text.lines().find(|l| l.starts_with("Your registration token: ")).expect("token line");
        assert_eq!(line.trim_start_matches("Your registration token: ").trim(), token);
        let link =
            format!("{}/register/doctor?token={token}", s.env.settings.public_url.trim_end_matches('/'));
        assert!(mail.text.contains(&link) && mail.text.contains("within 24 hours"), "{}", mail.text);

        let reason = catalog::DoctorApplicationRejected {
            application_id: 32,
            name: "Dr Other".into(),
            email: "other@example.com".into(),
            reason: "Licence number missing".into(),
        };
        s.publish(catalog::DOCTOR_APPLICATION_REJECTED, reason).await;
        let rejected = mail_with(&smtp, "Your QuickCare application", "Reason: Licence number missing").await;
        assert!(rejected.text.starts_with("Hello Dr Other"), "{}", rejected.text);

        // Applicants have no account: admins see their deliveries under user 0,
        // email only; the approval's stored copy lost its token once sent.
        s.sent("application_rejected", 1).await;
        let accountless =
            s.get("/api/v1/notification-deliveries?user_id=0&per_page=100", 1, Role::Admin).await;
        let rows = accountless["data"].as_array().unwrap();
        assert_eq!(rows.len(), 3, "received, approved, rejected: {rows:?}");
        assert!(rows.iter().all(|r| r["channel"] == "email"));
        s.sent("application_approved", 1).await;
        let payload = s.payloads("application_approved").await.pop().unwrap();
        assert!(!payload.contains(&token) && payload.contains("[redacted]"), "{payload}");
        assert_eq!(sms.received.lock().unwrap().len(), 0, "no SMS to anyone here");
        s.ctx.shutdown.cancel();
        s.env.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_template_must_render_within_the_limits() {
    for backend in backends() {
        let smtp = SmtpSink::start().await;
        let sms = sms_provider().await;
        let s = start(backend, &smtp, &sms).await;
        let put = |body: &str| {
            s.http
                .put(format!("{}/api/v1/notification-templates/welcome", s.base))
                .bearer_auth(s.issuer.token(1, Role::Admin))
                .json(&json!({"locale": "en", "subject": "Welcome", "body": body}))
                .send()
        };
        let endless = "{% for i in range(100000) %}{% for j in range(100000) %}.{% endfor %}{% endfor %}";
        for (body, says) in [(endless, "too much work"), ("{{ 'x' * 1000000 }}", "64 KiB")] {
            let res = put(body).await.unwrap();
            assert_eq!(res.status(), 422, "{backend:?}");
            let v: Value = res.json().await.unwrap();
            assert!(v["errors"]["body"][0].as_str().unwrap().contains(says), "{backend:?}: {v}");
        }
        assert_eq!(put("Hello {{ name }}, welcome.").await.unwrap().status(), 200, "{backend:?}");
        s.ctx.shutdown.cancel();
        s.env.cleanup().await;
    }
}
