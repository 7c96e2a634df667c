//! `GET /api/v1/ratings/stats`: published ratings per month with their
//! average, and the held and reported counts; admins only.

use crate::support::{TestApp, days};
use chrono::{DateTime, Utc};
use kit::identity::Role;
use reqwest::StatusCode;
use serde_json::json;

kit::per_backend! {
    async fn stats_count_ratings_per_month_and_what_waits_for_moderation(backend: Backend) {
        let f = TestApp::start(backend).await;
        let now = Utc::now();
        let alice = f.patient(1, 101).await;
        let bob = f.patient(2, 102).await;
        let carol = f.patient(3, 103).await;
        for (appointment, p) in [(11, &alice), (12, &bob), (13, &carol)] {
            f.visit(appointment, p, 7, "completed", now - days(2)).await;
        }
        let a = f.rate(&alice.token, 7, 5, Some("Excellent")).await;
        let b = f.rate(&bob.token, 7, 4, None).await;
        let held = f.rate(&carol.token, 7, 1, Some("Ce médecin est un IMBÉCILE.")).await;
        assert_eq!(held.body["status"], "held", "{}", held.body);
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        for (reply, created) in [(&a, "2025-11-10T08:00:00Z"), (&b, "2026-01-20T23:30:00Z")] {
            let id = reply.body["id"].as_i64().unwrap();
            f.execute("UPDATE ratings SET created_at = ? WHERE id = ?", [at(created).into(), id.into()])
                .await;
        }
        let b_id = b.body["id"].as_i64().unwrap();
        f.execute("UPDATE ratings SET report_count = 1 WHERE id = ?", [b_id.into()]).await;

        let all = f.api.get("/api/v1/ratings/stats").bearer(&f.admin).send().await;
        assert_eq!(all.status, StatusCode::OK, "{}", all.body);
        assert_eq!(
            all.body,
            json!({
                "by_month": [
                    {"month": "2025-11", "count": 1, "average": 5.0},
                    {"month": "2025-12", "count": 0, "average": 0.0},
                    {"month": "2026-01", "count": 1, "average": 4.0},
                ],
                "held": 1,
                "reported": 1,
            })
        );
        let ranged =
            f.api.get("/api/v1/ratings/stats?from=2026-01-01&to=2026-01-31").bearer(&f.admin).send().await;
        assert_eq!(ranged.body["by_month"], json!([{"month": "2026-01", "count": 1, "average": 4.0}]));
        assert_eq!(
            f.api
                .get("/api/v1/ratings/stats?from=2026-02-01&to=2026-01-01")
                .bearer(&f.admin)
                .send()
                .await
                .status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        let doctor = f.issuer.token(9007, Role::Doctor);
        assert_eq!(
            f.api.get("/api/v1/ratings/stats").bearer(&doctor).send().await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            f.api.get("/api/v1/ratings/stats").bearer(&alice.token).send().await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(f.api.get("/api/v1/ratings/stats").send().await.status, StatusCode::UNAUTHORIZED);
        f.cleanup().await;
    }
}
