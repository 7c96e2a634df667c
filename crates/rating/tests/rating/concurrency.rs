//! Ratings under contention, with real concurrent HTTP requests, on both
//! backends: the database keeps one rating per patient and doctor, and
//! the summary (served and announced) stays exact.

use crate::support::{TestApp, days};
use chrono::Utc;
use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::json;

kit::per_backend! {
    async fn a_hundred_patients_rate_one_doctor_at_once(backend: Backend) {
        let f = TestApp::start(backend).await;
        let mut patients = Vec::new();
        for i in 0..100 {
            let p = f.announce_patient(1000 + i, 5000 + i).await;
            f.publish_event(f.visit_event(2000 + i, &p, 7, "completed", Utc::now() - days(1))).await;
            patients.push(p);
        }
        f.wait_for("SELECT COUNT(*) FROM visits WHERE status = 'completed'", [], 100).await;
        // Uneven on purpose: an average of 3.45 shows any lost update.
        let scores: Vec<i64> = (0..100).map(|i| [5, 4, 4, 1, 3, 5, 2][i % 7]).collect();

        let replies =
            join_all(patients.iter().zip(&scores).map(|(p, s)| f.rate(&p.token, 7, *s, None))).await;
        let statuses: Vec<_> = replies.iter().map(|r| r.status).collect();
        assert!(statuses.iter().all(|s| *s == StatusCode::CREATED), "{backend:?}: {statuses:?}");

        let sum: i64 = scores.iter().sum();
        let expected = (sum as f64 / 100.0 * 100.0).round() / 100.0;
        let s = f.summary(7).await;
        assert_eq!((s["count"].as_i64(), s["average"].as_f64()), (Some(100), Some(expected)), "{s}");
        assert_eq!(f.scalar("SELECT COUNT(*) FROM ratings", []).await, 100);
        // Each announcement counted one more than the one before; the last is exact.
        let events = f.summary_events().await;
        let counts: Vec<i64> = events.iter().map(|e| e["count"].as_i64().unwrap()).collect();
        assert_eq!(counts, (1..=100).collect::<Vec<_>>(), "{backend:?}");
        let versions: Vec<i64> = events.iter().map(|e| e["version"].as_i64().unwrap()).collect();
        assert_eq!(versions, (1..=100).collect::<Vec<_>>(), "each announcement one version newer");
        assert_eq!(f.last_summary_event(7).await, json!({"doctor_id": 7, "average": expected, "count": 100}));
        f.cleanup().await;
    }
}

kit::per_backend! {
    async fn two_first_ratings_of_one_patient_at_once_leave_one_row(backend: Backend) {
        let f = TestApp::start(backend).await;
        let alice = f.patient(1, 101).await;
        f.visit(11, &alice, 7, "completed", Utc::now() - days(2)).await;
        for round in 0..5 {
            let doctor = 7;
            if round > 0 {
                f.execute("DELETE FROM ratings", []).await;
            }
            let (a, b) =
                futures::join!(f.rate(&alice.token, doctor, 2, None), f.rate(&alice.token, doctor, 4, None));
            let mut got = vec![a.status, b.status];
            got.sort();
            assert_eq!(got, vec![StatusCode::OK, StatusCode::CREATED], "{backend:?}");
            assert_eq!(a.body["id"], b.body["id"]);
            assert_eq!(f.scalar("SELECT COUNT(*) FROM ratings", []).await, 1);
        }
        f.cleanup().await;
    }
}
