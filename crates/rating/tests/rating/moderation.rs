//! Blocked words, reports and admins' decisions, on both backends.

use crate::support::{TestApp, days};
use chrono::Utc;
use kit::identity::Role;
use reqwest::StatusCode;
use serde_json::json;

kit::per_backend! {
    async fn a_comment_with_a_blocked_word_waits_for_an_admin(backend: Backend) {
        let f = TestApp::start(backend).await;
        let now = Utc::now();
        let alice = f.patient(1, 101).await;
        let bob = f.patient(2, 102).await;
        f.visit(11, &alice, 7, "completed", now - days(2)).await;
        f.visit(12, &bob, 7, "completed", now - days(2)).await;
        assert_eq!(f.rate(&bob.token, 7, 5, Some("Excellent")).await.status, StatusCode::CREATED);

        let r = f.rate(&alice.token, 7, 1, Some("Ce médecin est un IMBÉCILE.")).await;
        assert_eq!(r.status, StatusCode::CREATED, "{backend:?}: {}", r.body);
        assert_eq!(r.body["status"], "held");
        let id = r.body["id"].as_i64().unwrap();

        // Invisible publicly and not counted…
        assert_eq!(f.public_ids(7).await.len(), 1);
        let s = f.summary(7).await;
        assert_eq!((s["average"].as_f64(), s["count"].as_i64()), (Some(5.0), Some(1)));
        // …but its author sees it waiting.
        let mine = f.get("/api/v1/ratings?mine=true", Some(&alice.token)).await;
        assert_eq!(mine.body["data"][0]["status"], "held");
        assert_eq!(f.summary_events().await.len(), 1, "a held rating changes no summary");

        // The queue is for admins only, and shows why it is held.
        let doctor = f.issuer.token(9007, Role::Doctor);
        assert_eq!(f.get("/api/v1/ratings/moderation", Some(&doctor)).await.status, StatusCode::FORBIDDEN);
        assert_eq!(f.get("/api/v1/ratings/moderation", None).await.status, StatusCode::UNAUTHORIZED);
        let q = f.get("/api/v1/ratings/moderation", Some(&f.admin)).await;
        assert_eq!(q.body["total"], 1, "{}", q.body);
        assert_eq!(q.body["data"][0]["id"], id);
        assert!(q.body["data"][0]["hold_reason"].as_str().unwrap().contains("imbecile"));

        let path = format!("/api/v1/ratings/{id}/approve");
        assert_eq!(f.post(&path, &alice.token, json!({})).await.status, StatusCode::FORBIDDEN);
        let r = f.post(&path, &f.admin, json!({})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body["status"], "published");
        assert!(f.public_ids(7).await.contains(&id));
        let s = f.summary(7).await;
        assert_eq!((s["average"].as_f64(), s["count"].as_i64()), (Some(3.0), Some(2)));
        assert_eq!(f.last_summary_event(7).await, json!({"doctor_id": 7, "average": 3.0, "count": 2}));
        assert_eq!(f.get("/api/v1/ratings/moderation", Some(&f.admin)).await.body["total"], 0);

        // Rejecting it takes it out again; its author still sees it.
        let r = f.post(&format!("/api/v1/ratings/{id}/reject"), &f.admin, json!({})).await;
        assert_eq!(r.body["status"], "rejected");
        assert!(!f.public_ids(7).await.contains(&id));
        assert_eq!(f.last_summary_event(7).await, json!({"doctor_id": 7, "average": 5.0, "count": 1}));
        let mine = f.get("/api/v1/ratings?mine=true", Some(&alice.token)).await;
        assert_eq!(mine.body["data"][0]["status"], "rejected");
        let missing = f.post("/api/v1/ratings/999999/approve", &f.admin, json!({})).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        f.cleanup().await;
    }
}

kit::per_backend! {
    async fn three_reports_from_different_users_hold_a_rating(backend: Backend) {
        let f = TestApp::start(backend).await;
        let alice = f.patient(1, 101).await;
        f.visit(11, &alice, 7, "completed", Utc::now() - days(2)).await;
        let id = f.rate(&alice.token, 7, 4, Some("Fine")).await.body["id"].as_i64().unwrap();
        let path = format!("/api/v1/ratings/{id}/report");
        let reporters: Vec<String> = (0..3).map(|i| f.issuer.token(500 + i, Role::Patient)).collect();

        assert_eq!(
            f.post(&path, &reporters[0], json!({"reason": " "})).await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        // Two users, one of them twice: still two reports.
        for token in [&reporters[0], &reporters[0], &reporters[1]] {
            let r = f.post(&path, token, json!({"reason": "offensive"})).await;
            assert_eq!(r.status, StatusCode::ACCEPTED, "{backend:?}: {}", r.body);
        }
        assert_eq!(f.public_ids(7).await, vec![id]);
        let q = f.get("/api/v1/ratings/moderation", Some(&f.admin)).await;
        assert_eq!(
            (q.body["total"].as_i64(), q.body["data"][0]["report_count"].as_i64()),
            (Some(1), Some(2))
        );
        assert_eq!(q.body["data"][0]["reports"].as_array().unwrap().len(), 2);

        // The third distinct reporter holds it.
        assert_eq!(
            f.post(&path, &reporters[2], json!({"reason": "spam"})).await.status,
            StatusCode::ACCEPTED
        );
        assert!(f.public_ids(7).await.is_empty());
        assert_eq!(f.summary(7).await["count"], 0);
        assert_eq!(f.last_summary_event(7).await, json!({"doctor_id": 7, "average": 0.0, "count": 0}));
        let q = f.get("/api/v1/ratings/moderation", Some(&f.admin)).await;
        assert_eq!(q.body["data"][0]["status"], "held");
        // A repeat by an earlier reporter is still accepted; a newcomer cannot see it.
        assert_eq!(
            f.post(&path, &reporters[0], json!({"reason": "again"})).await.status,
            StatusCode::ACCEPTED
        );
        let newcomer = f.issuer.token(600, Role::Doctor);
        assert_eq!(f.post(&path, &newcomer, json!({"reason": "x"})).await.status, StatusCode::NOT_FOUND);
        assert_eq!(f.post(&path, "bad-token", json!({"reason": "x"})).await.status, StatusCode::UNAUTHORIZED);

        // Re-sending the same comment (with a new score) does not release it.
        let r = f.rate(&alice.token, 7, 5, Some("Fine")).await;
        assert_eq!((r.status, r.body["status"].as_str()), (StatusCode::OK, Some("held")));
        assert!(f.public_ids(7).await.is_empty());

        // Approval publishes it again and answers the reports.
        let r = f.post(&format!("/api/v1/ratings/{id}/approve"), &f.admin, json!({})).await;
        assert_eq!(
            (r.body["status"].as_str(), r.body["report_count"].as_i64()),
            (Some("published"), Some(0))
        );
        assert_eq!(f.public_ids(7).await, vec![id]);
        assert_eq!(f.last_summary_event(7).await, json!({"doctor_id": 7, "average": 5.0, "count": 1}));
        // Earlier reporters were answered; only new users' reports count now.
        let r = f.post(&path, &reporters[1], json!({"reason": "still offensive"})).await;
        assert_eq!(r.status, StatusCode::ACCEPTED);
        assert_eq!(f.get("/api/v1/ratings/moderation", Some(&f.admin)).await.body["total"], 0);
        let r = f.post(&path, &f.issuer.token(700, Role::Patient), json!({"reason": "rude"})).await;
        assert_eq!(r.status, StatusCode::ACCEPTED);
        let q = f.get("/api/v1/ratings/moderation", Some(&f.admin)).await;
        assert_eq!(q.body["data"][0]["report_count"], 1);
        assert_eq!(q.body["data"][0]["reports"].as_array().unwrap().len(), 4, "history kept");
        f.cleanup().await;
    }
}

kit::per_backend! {
    async fn configured_blocked_words_are_added_to_the_built_in_ones(backend: Backend) {
        let mut env = kit::testing::TestEnv::new(backend);
        env.settings.rating_blocked_words = Some("charlatan, bon à rien".into());
        let f = TestApp::start_with(env).await;
        let alice = f.patient(1, 101).await;
        f.visit(11, &alice, 7, "completed", Utc::now() - days(2)).await;
        let r = f.rate(&alice.token, 7, 1, Some("Un vrai Charlatan")).await;
        assert_eq!(r.body["status"], "held", "{backend:?}");
        // A replacement is moderated afresh.
        let r = f.rate(&alice.token, 7, 2, Some("Pas terrible, mais correct")).await;
        assert_eq!((r.status, r.body["status"].as_str()), (StatusCode::OK, Some("published")));
        let r = f.rate(&alice.token, 7, 2, Some("BON A RIEN")).await;
        assert_eq!(r.body["status"], "held");
        f.cleanup().await;
    }
}
