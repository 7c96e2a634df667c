//! Ratings per month, on both backends.

use crate::support::{TestApp, days};
use chrono::{DateTime, Utc};
use kit::identity::Role;
use reqwest::StatusCode;
use serde_json::json;

kit::per_backend! {
    async fn analytics_groups_published_ratings_by_month(backend: Backend) {
        let f = TestApp::start(backend).await;
        // (patient, doctor, score, created_at)
        let plan = [
            (1, 7, 5, "2026-09-02T08:00:00Z"),
            (2, 7, 4, "2026-09-30T23:30:00Z"),
            (3, 7, 1, "2026-11-01T00:00:00Z"),
            (4, 7, 2, "2026-11-15T12:00:00Z"),
            (5, 8, 3, "2026-10-10T10:00:00Z"),
        ];
        for (i, (patient, doctor, score, at)) in plan.iter().enumerate() {
            let p = f.patient(*patient, 100 + patient).await;
            f.visit(i as i64 + 1, &p, *doctor, "completed", Utc::now() - days(1)).await;
            let r = f.rate(&p.token, *doctor, *score, None).await;
            let id = r.body["id"].as_i64().unwrap();
            let at: DateTime<Utc> = at.parse().unwrap();
            f.execute("UPDATE ratings SET created_at = ? WHERE id = ?", [at.into(), id.into()]).await;
        }
        // A held rating never counts.
        let p = f.patient(6, 106).await;
        f.visit(6, &p, 7, "completed", Utc::now() - days(1)).await;
        assert_eq!(f.rate(&p.token, 7, 1, Some("idiot")).await.body["status"], "held");

        let r = f.api.get("/api/v1/ratings/analytics?doctor_id=7&from=2026-01-01&to=2026-12-31").send().await;
        assert_eq!(r.status, StatusCode::OK, "{backend:?}: {}", r.body);
        assert_eq!(
            r.body,
            json!([
                {"month": "2026-09", "count": 2, "average": 4.5},
                {"month": "2026-10", "count": 0, "average": 0.0},
                {"month": "2026-11", "count": 2, "average": 1.5},
            ])
        );
        // `to` includes its whole day; `from` starts at its midnight.
        let r = f.api.get("/api/v1/ratings/analytics?doctor_id=7&from=2026-09-03&to=2026-09-30").send().await;
        assert_eq!(r.body, json!([{"month": "2026-09", "count": 1, "average": 4.0}]));

        // All doctors: admins only.
        let patient = f.issuer.token(101, Role::Patient);
        for token in [None, Some(patient.as_str())] {
            let r = f
                .api
                .get("/api/v1/ratings/analytics?from=2026-01-01&to=2026-12-31")
                .maybe_bearer(token)
                .send()
                .await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(r.body["errors"]["doctor_id"].is_array());
        }
        let r = f
            .api
            .get("/api/v1/ratings/analytics?from=2026-01-01&to=2026-12-31")
            .bearer(&f.admin)
            .send()
            .await;
        let months: Vec<(String, i64)> = r
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|m| (m["month"].as_str().unwrap().to_owned(), m["count"].as_i64().unwrap()))
            .collect();
        assert_eq!(months, vec![("2026-09".into(), 2), ("2026-10".into(), 1), ("2026-11".into(), 2)]);
        let r = f.api.get("/api/v1/ratings/analytics?doctor_id=7&from=2026-12-01&to=2026-01-01").send().await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        f.cleanup().await;
    }
}
