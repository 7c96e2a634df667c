//! `GET /api/v1/appointments/stats`: the dashboard's counts equal what was
//! booked, per status and per month; admins only.

use std::collections::BTreeMap;

use crate::support::{TestApp, next_weekday};
use chrono::{Duration, Utc, Weekday};
use serde_json::json;

kit::per_backend! {
    async fn stats_count_what_was_booked_per_status_and_month(backend: Backend) {
        let f = TestApp::start(backend).await;
        let doc = f.doctor(60, 6060, "Africa/Casablanca").await;
        let p = f.patient(600, 7600).await;
        let slot = f.slot(&doc, json!({"day": "Monday", "start": "09:00"})).await;
        let first = next_weekday(Utc::now().date_naive() + Duration::days(1), Weekday::Mon);
        let dates: Vec<_> = (0..6).map(|w| first + Duration::weeks(w)).collect();
        let mut ids = Vec::new();
        for date in &dates {
            let r = f.book(&p, 60, slot, *date).await;
            assert_eq!(r.status, 201, "{}", r.body);
            ids.push(r.id());
        }
        assert_eq!(f.act(&doc, ids[0], "approve", json!({})).await.status, 200);
        assert_eq!(f.act(&p, ids[1], "cancel", json!({})).await.status, 200);

        let stats =
            f.api.get("/api/v1/appointments/stats?tz=Africa/Casablanca").bearer(&f.admin).send().await;
        assert_eq!(stats.status, 200, "{}", stats.body);
        assert_eq!(stats.body["total"], 6);
        assert_eq!(
            stats.body["by_status"],
            json!({"pending": 4, "approved": 1, "completed": 0, "cancelled": 1, "no_show": 0, "expired": 0})
        );
        assert_eq!(stats.body["today"], 0, "every appointment is from tomorrow on");
        let mut months: BTreeMap<String, i64> = BTreeMap::new();
        for date in &dates {
            *months.entry(date.format("%Y-%m").to_string()).or_default() += 1;
        }
        let expected: Vec<_> =
            months.into_iter().map(|(month, count)| json!({"month": month, "count": count})).collect();
        assert_eq!(stats.body["by_month"], json!(expected));

        let from = dates[2].format("%Y-%m-%d");
        let ranged =
            f.api.get(&format!("/api/v1/appointments/stats?from={from}")).bearer(&f.admin).send().await;
        assert_eq!(ranged.body["total"], 4, "{}", ranged.body);
        assert_eq!(ranged.body["by_status"]["cancelled"], 0);

        let reversed = f
            .api
            .get("/api/v1/appointments/stats?from=2026-02-01&to=2026-01-01")
            .bearer(&f.admin)
            .send()
            .await;
        assert_eq!(reversed.status, 422);
        assert!(
            reversed.body["errors"]["to"].is_array() || reversed.body["errors"]["to"].is_string(),
            "{}",
            reversed.body
        );
        assert_eq!(
            f.api.get("/api/v1/appointments/stats?tz=Mars/Olympus").bearer(&f.admin).send().await.status,
            422
        );
        assert_eq!(f.api.get("/api/v1/appointments/stats").bearer(&doc).send().await.status, 403);
        assert_eq!(f.api.get("/api/v1/appointments/stats").bearer(&p).send().await.status, 403);
        assert_eq!(f.api.get("/api/v1/appointments/stats").send().await.status, 401);
        f.cleanup().await;
    }
}
