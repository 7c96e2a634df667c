//! Doctor applications: the applicant (who has no account) hears by mail
//! that theirs arrived, then that it was approved (with the registration
//! token and link) or rejected (with the reason); every enabled admin
//! hears of a new one.

use chrono::Utc;
use kit::{events::catalog, identity::Role, testing::SmtpSink};

use crate::support::{
    TestApp,
    mail::{mail_about, mail_with, mails_to},
    sms::SmsProvider,
};
use kit::ids::{ApplicationId, PatientId, UserId};

const APPLICANT: &str = "applicant@example.com";

async fn submitted(s: &TestApp) {
    let submitted = catalog::DoctorApplicationSubmitted {
        application_id: ApplicationId(31),
        name: "Dr Applicant".into(),
        email: APPLICANT.into(),
    };
    s.publish(catalog::EventType::DoctorApplicationSubmitted, submitted).await;
}

/// Application 31 approved; the registration token it carries.
async fn approved(s: &TestApp) -> String {
    let token = kit::crypto::new_secret();
    let approved = catalog::DoctorApplicationApproved {
        application_id: ApplicationId(31),
        name: "Dr Applicant".into(),
        email: APPLICANT.into(),
        token_sealed: s.ctx.keyring.seal_str(&token),
        expires_at: Utc::now() + chrono::Duration::hours(24),
    };
    s.publish(catalog::EventType::DoctorApplicationApproved, approved).await;
    token
}

async fn rejected(s: &TestApp) {
    let reason = catalog::DoctorApplicationRejected {
        application_id: ApplicationId(32),
        name: "Dr Other".into(),
        email: "other@example.com".into(),
        reason: "Licence number missing".into(),
    };
    s.publish(catalog::EventType::DoctorApplicationRejected, reason).await;
}

kit::per_backend! {
    async fn a_new_application_reaches_the_applicant_and_the_enabled_admins(backend: Backend) {
        let (smtp, sms) = (SmtpSink::start().await, SmsProvider::start().await);
        let s = TestApp::start(backend, &smtp, &sms).await;
        s.contact(910, "Admin One", Role::Admin).await;
        s.contact(911, "Admin Off", Role::Admin).await;
        let disabled = catalog::UserUpdated {
            user_id: UserId(911),
            name: "Admin Off".into(),
            email: "u911@example.com".into(),
            gender: "female".into(),
            phone: "+2126000911".into(),
            disabled: true,
        };
        s.publish(catalog::EventType::UserUpdated, disabled).await;
        let english = catalog::PatientPreferencesChanged {
            user_id: UserId(910),
            patient_id: PatientId(0),
            language: "en".into(),
            timezone: "Africa/Casablanca".into(),
        };
        s.publish(catalog::EventType::PatientPreferencesChanged, english).await;
        submitted(&s).await;

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
        s.stop().await;
    }

    async fn an_approval_mails_the_registration_token_and_link(backend: Backend) {
        let (smtp, sms) = (SmtpSink::start().await, SmsProvider::start().await);
        let s = TestApp::start(backend, &smtp, &sms).await;
        let token = approved(&s).await;
        let mail = mail_about(&smtp, "Your QuickCare application is approved").await;
        let line =
            mail.text.lines().find(|l| l.starts_with("Your registration token: ")).expect("token line");
        assert_eq!(line.trim_start_matches("Your registration token: ").trim(), token, "{backend:?}");
        let link =
            format!("{}/register/doctor?token={token}", s.env.settings.public_url.trim_end_matches('/'));
        assert!(mail.text.contains(&link) && mail.text.contains("within 24 hours"), "{}", mail.text);
        s.stop().await;
    }

    async fn a_rejection_mails_the_reason(backend: Backend) {
        let (smtp, sms) = (SmtpSink::start().await, SmsProvider::start().await);
        let s = TestApp::start(backend, &smtp, &sms).await;
        rejected(&s).await;
        let rejected = mail_with(&smtp, "Your QuickCare application", "Reason: Licence number missing").await;
        assert!(rejected.text.starts_with("Hello Dr Other"), "{backend:?}: {}", rejected.text);
        s.stop().await;
    }

    async fn applicants_are_mailed_only_under_user_0_and_their_token_is_not_kept(backend: Backend) {
        let (smtp, sms) = (SmtpSink::start().await, SmsProvider::start().await);
        let s = TestApp::start(backend, &smtp, &sms).await;
        submitted(&s).await;
        let token = approved(&s).await;
        rejected(&s).await;
        // Applicants have no account: admins see their deliveries under user 0,
        // email only; the approval's stored copy lost its token once sent.
        s.sent("application_rejected", 1).await;
        let accountless =
            s.get("/api/v1/notification-deliveries?user_id=0&per_page=100", 1, Role::Admin).await;
        let rows = accountless["data"].as_array().unwrap();
        assert_eq!(rows.len(), 3, "{backend:?}: received, approved, rejected: {rows:?}");
        assert!(rows.iter().all(|r| r["channel"] == "email"));
        s.sent("application_approved", 1).await;
        let payload = s.payloads("application_approved").await.pop().unwrap();
        assert!(!payload.contains(&token) && payload.contains("[redacted]"), "{payload}");
        assert_eq!(sms.texts().len(), 0, "no SMS to anyone here");
        s.stop().await;
    }
}
