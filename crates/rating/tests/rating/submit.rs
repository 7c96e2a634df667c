//! Who may rate, one rating per patient and doctor, editing and deleting,
//! on both backends.

use crate::support::{TestApp, days};
use chrono::Utc;
use kit::identity::Role;
use reqwest::StatusCode;
use serde_json::json;

kit::per_backend! {
    async fn only_patients_who_saw_the_doctor_may_rate(backend: Backend) {
        let f = TestApp::start(backend).await;
        let now = Utc::now();
        let alice = f.patient(1, 101).await;

        // Known patient, no appointment with doctor 7.
        let r = f.rate(&alice.token, 7, 5, None).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{backend:?}: {}", r.body);
        // Unknown patient account.
        let stranger = f.issuer.token(999, Role::Patient);
        assert_eq!(f.rate(&stranger, 7, 5, None).await.status, StatusCode::FORBIDDEN);
        // Not a patient at all.
        let doctor = f.issuer.token(9007, Role::Doctor);
        assert_eq!(f.rate(&doctor, 7, 5, None).await.status, StatusCode::FORBIDDEN);

        // A booked (pending) or cancelled appointment is not enough.
        f.visit(10, &alice, 7, "pending", now - days(3)).await;
        assert_eq!(f.rate(&alice.token, 7, 5, None).await.status, StatusCode::FORBIDDEN);
        f.visit(10, &alice, 7, "cancelled", now - days(3)).await;
        assert_eq!(f.rate(&alice.token, 7, 5, None).await.status, StatusCode::FORBIDDEN);
        f.cleanup().await;
    }

    async fn after_a_completed_visit_a_first_rating_is_created_and_a_second_replaces_it(backend: Backend) {
        let f = TestApp::start(backend).await;
        let now = Utc::now();
        let alice = f.patient(1, 101).await;
        f.visit(11, &alice, 7, "completed", now - days(2)).await;
        let first = f.rate(&alice.token, 7, 5, Some("Very kind and thorough.")).await;
        assert_eq!(first.status, StatusCode::CREATED, "{backend:?}: {}", first.body);
        assert_eq!(first.body["status"], "published");
        assert_eq!(f.summary(7).await["average"], 5.0);

        // A second one replaces it: same row, new score.
        let second = f.rate(&alice.token, 7, 2, Some("Kept me waiting an hour.")).await;
        assert_eq!(second.status, StatusCode::OK, "{}", second.body);
        assert_eq!(second.body["id"], first.body["id"]);
        let s = f.summary(7).await;
        assert_eq!((s["average"].as_f64(), s["count"].as_i64()), (Some(2.0), Some(1)), "{s}");
        assert_eq!(s["distribution"], json!({"1": 0, "2": 1, "3": 0, "4": 0, "5": 0}));
        assert_eq!(f.scalar("SELECT COUNT(*) FROM ratings", []).await, 1);
        let public = f.api.get("/api/v1/ratings?doctor_id=7").send().await;
        assert_eq!(public.body["total"], 1);
        let item = &public.body["data"][0];
        assert_eq!(item["rating"], 2);
        assert_eq!(item["comment"], "Kept me waiting an hour.");
        assert!(item.get("patient_id").is_none(), "public lists never name the patient: {item}");
        let events = f.summary_events().await;
        assert_eq!(events.len(), 2);
        assert_eq!(events[0], json!({"doctor_id": 7, "average": 5.0, "count": 1, "version": 1}));
        assert_eq!(events[1], json!({"doctor_id": 7, "average": 2.0, "count": 1, "version": 2}));
        f.cleanup().await;
    }

    async fn an_approved_visit_counts_once_it_is_past(backend: Backend) {
        let f = TestApp::start(backend).await;
        let now = Utc::now();
        let bob = f.patient(2, 102).await;
        f.visit(20, &bob, 8, "approved", now + days(2)).await;
        assert_eq!(f.rate(&bob.token, 8, 4, None).await.status, StatusCode::FORBIDDEN, "{backend:?}");
        f.visit(21, &bob, 8, "approved", now - chrono::Duration::hours(1)).await;
        assert_eq!(f.rate(&bob.token, 8, 4, None).await.status, StatusCode::CREATED);
        f.cleanup().await;
    }

    async fn the_latest_visit_status_wins_when_an_older_event_arrives_late(backend: Backend) {
        let f = TestApp::start(backend).await;
        let now = Utc::now();
        let carol = f.patient(3, 103).await;
        f.visit(30, &carol, 9, "completed", now - days(1)).await;
        let mut stale = f.visit_event(30, &carol, 9, "cancelled", now - days(1));
        stale.time = now - days(5);
        f.publish_event(stale).await;
        f.visit(31, &carol, 10, "completed", now - days(1)).await; // the stale one was handled before this
        assert_eq!(
            f.scalar("SELECT COUNT(*) FROM visits WHERE appointment_id = 30 AND status = 'completed'", [])
                .await,
            1,
            "{backend:?}"
        );
        assert_eq!(f.rate(&carol.token, 9, 3, None).await.status, StatusCode::CREATED);
        f.cleanup().await;
    }
}

kit::per_backend! {
    async fn invalid_values_answer_422_with_the_field(backend: Backend) {
        let f = TestApp::start(backend).await;
        let alice = f.patient(1, 101).await;
        f.visit(11, &alice, 7, "completed", Utc::now() - days(2)).await;
        for (body, field) in [
            (json!({"doctor_id": 7, "rating": 6}), "rating"),
            (json!({"doctor_id": 7, "rating": 0}), "rating"),
            (json!({"doctor_id": 7, "rating": 4, "comment": "x".repeat(2001)}), "comment"),
            (json!({"doctor_id": 0, "rating": 4}), "doctor_id"),
        ] {
            let r = f.api.post("/api/v1/ratings").bearer(&alice.token).json(&body).send().await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{backend:?}: {}", r.body);
            assert!(r.body["errors"][field].is_array(), "{}", r.body);
        }
        let r = f
            .api
            .post("/api/v1/ratings")
            .bearer(&alice.token)
            .json(&json!({"doctor_id": 7, "rating": 3.5}))
            .send()
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        // 2000 characters (not bytes) is allowed.
        let r = f.rate(&alice.token, 7, 4, Some(&"é".repeat(2000))).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let r = f.api.get("/api/v1/ratings/summary").send().await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        f.cleanup().await;
    }
}

kit::per_backend! {
    async fn only_the_author_edits_and_the_author_or_an_admin_deletes(backend: Backend) {
        let f = TestApp::start(backend).await;
        let now = Utc::now();
        let alice = f.patient(1, 101).await;
        let bob = f.patient(2, 102).await;
        f.visit(11, &alice, 7, "completed", now - days(2)).await;
        f.visit(12, &bob, 7, "completed", now - days(2)).await;
        let a = f.rate(&alice.token, 7, 5, None).await.body["id"].as_i64().unwrap();
        let b = f.rate(&bob.token, 7, 3, None).await.body["id"].as_i64().unwrap();
        let path = format!("/api/v1/ratings/{a}");
        let edit = json!({"rating": 1, "comment": "Changed my mind"});

        // Someone else's rating, or a doctor or admin editing: 404, nothing learnt.
        let doctor = f.issuer.token(9007, Role::Doctor);
        for token in [&bob.token, &doctor, &f.admin] {
            let r = f.api.put(&path).bearer(token).json(&edit).send().await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{backend:?}");
        }
        for token in [&bob.token, &doctor] {
            assert_eq!(f.api.delete(&path).bearer(token).send().await.status, StatusCode::NOT_FOUND);
        }
        let r = f.api.put("/api/v1/ratings/999999").bearer(&alice.token).json(&edit).send().await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(f.api.put(&path).json(&edit).send().await.status, StatusCode::UNAUTHORIZED);

        let r = f.api.put(&path).bearer(&alice.token).json(&edit).send().await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!((r.body["rating"].as_i64(), r.body["status"].as_str()), (Some(1), Some("published")));
        assert_eq!(f.summary(7).await["average"], 2.0);
        let bad = f.api.put(&path).bearer(&alice.token).json(&json!({"rating": 9})).send().await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

        // The author's own list shows it, with its status.
        let mine = f.api.get("/api/v1/ratings?mine=true").bearer(&alice.token).send().await;
        assert_eq!(mine.body["total"], 1);
        assert_eq!(mine.body["data"][0]["status"], "published");
        assert_eq!(f.api.get("/api/v1/ratings?mine=true").send().await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            f.api.get("/api/v1/ratings?mine=true").bearer(&doctor).send().await.status,
            StatusCode::FORBIDDEN
        );

        let r = f.api.delete(&path).bearer(&alice.token).send().await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        assert_eq!(f.api.delete(&path).bearer(&alice.token).send().await.status, StatusCode::NOT_FOUND);
        let r = f.api.delete(&format!("/api/v1/ratings/{b}")).bearer(&f.admin).send().await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        let s = f.summary(7).await;
        assert_eq!((s["average"].as_f64(), s["count"].as_i64()), (Some(0.0), Some(0)));
        assert_eq!(f.last_summary_event(7).await, json!({"doctor_id": 7, "average": 0.0, "count": 0}));
        f.cleanup().await;
    }
}
