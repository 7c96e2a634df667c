//! `GET /api/v1/notification-deliveries/stats`: once every delivery has
//! settled, the figures equal the list's; admins only.

use kit::{
    events::catalog,
    identity::Role,
    testing::{SmtpBehavior, SmtpSink},
};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{TestApp, sms::SmsProvider};

const STATS: &str = "/api/v1/notification-deliveries/stats";

kit::per_backend! {
    async fn stats_equal_the_listed_deliveries_per_status_and_channel(backend: Backend) {
        let smtp = SmtpSink::start_with(SmtpBehavior { fail_first: 100, code: 550 }).await;
        let sms = SmsProvider::start().await;
        let s = TestApp::start(backend, &smtp, &sms).await;
        s.people().await;
        s.appointment(catalog::EventType::AppointmentBooked, 88, "2030-12-03T09:00:00Z".parse().unwrap()).await;
        let settled = |v: &Value| {
            v["data"].as_array().is_some_and(|d| {
                d.iter().any(|r| r["status"] == "failed") && d.iter().all(|r| r["status"] == "sent" || r["status"] == "failed")
            })
        };
        let list = s.until("/api/v1/notification-deliveries?per_page=100", 1, Role::Admin, settled).await;
        let rows = list["data"].as_array().unwrap();
        let count = |key: &str, value: &str| rows.iter().filter(|r| r[key] == value).count();

        let got = s.get(STATS, 1, Role::Admin).await;
        assert_eq!(
            got,
            json!({
                "total": rows.len(),
                "by_status": {"queued": 0, "sending": 0, "sent": count("status", "sent"), "failed": count("status", "failed")},
                "by_channel": {"email": count("channel", "email"), "sms": count("channel", "sms")},
                "failed": count("status", "failed"),
            })
        );
        let future = s.get(&format!("{STATS}?from=2999-01-01"), 1, Role::Admin).await;
        assert_eq!(future["total"], 0, "{future}");

        let api = &s.api;
        let status = |token: Option<String>| async move { api.get(STATS).maybe_bearer(token.as_deref()).send().await.status };
        assert_eq!(status(Some(s.issuer.token(900, Role::Patient))).await, StatusCode::FORBIDDEN);
        assert_eq!(status(Some(s.issuer.token(901, Role::Doctor))).await, StatusCode::FORBIDDEN);
        assert_eq!(status(None).await, StatusCode::UNAUTHORIZED);
        s.stop().await;
    }
}
