//! What the service does with others' events beyond eligibility, on both
//! backends.

use crate::support::{TestApp, days};
use chrono::Utc;
use kit::ids::UserId;
use kit::{events::catalog, identity::Role};
use reqwest::StatusCode;
use serde_json::json;

kit::per_backend! {
    async fn a_deleted_patient_account_takes_its_ratings_and_reports_along(backend: Backend) {
        let f = TestApp::start(backend).await;
        let alice = f.patient(1, 101).await;
        let bob = f.patient(2, 102).await;
        for (appointment, p, doctor) in [(11, &alice, 7), (12, &alice, 8), (13, &bob, 7)] {
            f.visit(appointment, p, doctor, "completed", Utc::now() - days(1)).await;
        }
        assert_eq!(f.rate(&alice.token, 7, 1, None).await.status, StatusCode::CREATED);
        assert_eq!(f.rate(&alice.token, 8, 2, None).await.status, StatusCode::CREATED);
        let bobs = f.rate(&bob.token, 7, 5, None).await.body["id"].as_i64().unwrap();
        let r = f
            .api
            .post(&format!("/api/v1/ratings/{bobs}/report"))
            .bearer(&alice.token)
            .json(&json!({"reason": "fake"}))
            .send()
            .await;
        assert_eq!(r.status, StatusCode::ACCEPTED);

        let gone = catalog::UserDeleted { user_id: UserId(alice.user_id), role: Role::Patient };
        f.publish(catalog::EventType::UserDeleted, serde_json::to_value(gone).unwrap()).await;
        f.wait_for("SELECT COUNT(*) FROM ratings WHERE patient_id = ?", [alice.patient_id.into()], 0).await;

        assert_eq!(f.scalar("SELECT COUNT(*) FROM rating_reports", []).await, 0, "{backend:?}");
        assert_eq!(f.scalar("SELECT COUNT(*) FROM patient_directory WHERE patient_id = 1", []).await, 0);
        assert_eq!(f.last_summary_event(7).await, json!({"doctor_id": 7, "average": 5.0, "count": 1}));
        assert_eq!(f.last_summary_event(8).await, json!({"doctor_id": 8, "average": 0.0, "count": 0}));
        assert_eq!(f.public_ids(7).await, vec![bobs]);
        f.cleanup().await;
    }
}
