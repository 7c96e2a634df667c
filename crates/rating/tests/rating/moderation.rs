//! Blocked words, reports and admins' decisions, on both backends.

use crate::support::{Patient, TestApp, days};
use chrono::Utc;
use kit::{identity::Role, testing::Backend};
use reqwest::StatusCode;
use serde_json::json;

const QUEUE: &str = "/api/v1/ratings/moderation";

/// Doctor 7 with Bob's published 5 ("Excellent") and Alice's 1 held for
/// a blocked word; the held rating's id.
async fn held(backend: Backend) -> (TestApp, Patient, i64) {
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
    let id = r.id();
    (f, alice, id)
}

/// An admin's decision (`approve` or `reject`) on rating `id`.
async fn decide(f: &TestApp, id: i64, decision: &str) -> kit::testing::Reply {
    f.api.post(&format!("/api/v1/ratings/{id}/{decision}")).bearer(&f.admin).json(&json!({})).send().await
}

kit::per_backend! {
    async fn a_comment_with_a_blocked_word_is_held_out_of_sight(backend: Backend) {
        let (f, alice, _) = held(backend).await;
        // Invisible publicly and not counted…
        assert_eq!(f.public_ids(7).await.len(), 1, "{backend:?}");
        let s = f.summary(7).await;
        assert_eq!((s["average"].as_f64(), s["count"].as_i64()), (Some(5.0), Some(1)));
        assert_eq!(f.summary_events().await.len(), 1, "a held rating changes no summary");
        // …but its author sees it waiting.
        let mine = f.api.get("/api/v1/ratings?mine=true").bearer(&alice.token).send().await;
        assert_eq!(mine.body["data"][0]["status"], "held");
        f.cleanup().await;
    }

    async fn the_moderation_queue_is_for_admins_and_says_why(backend: Backend) {
        let (f, _, id) = held(backend).await;
        let doctor = f.issuer.token(9007, Role::Doctor);
        assert_eq!(f.api.get(QUEUE).bearer(&doctor).send().await.status, StatusCode::FORBIDDEN);
        assert_eq!(f.api.get(QUEUE).send().await.status, StatusCode::UNAUTHORIZED);
        let q = f.api.get(QUEUE).bearer(&f.admin).send().await;
        assert_eq!(q.body["total"], 1, "{backend:?}: {}", q.body);
        assert_eq!(q.body["data"][0]["id"], id);
        assert!(q.body["data"][0]["hold_reason"].as_str().unwrap().contains("imbecile"));
        f.cleanup().await;
    }

    async fn an_admin_approving_a_held_rating_publishes_it(backend: Backend) {
        let (f, alice, id) = held(backend).await;
        let path = format!("/api/v1/ratings/{id}/approve");
        let by_author = f.api.post(&path).bearer(&alice.token).json(&json!({})).send().await;
        assert_eq!(by_author.status, StatusCode::FORBIDDEN);
        let r = decide(&f, id, "approve").await;
        assert_eq!(r.status, StatusCode::OK, "{backend:?}: {}", r.body);
        assert_eq!(r.body["status"], "published");
        assert!(f.public_ids(7).await.contains(&id));
        let s = f.summary(7).await;
        assert_eq!((s["average"].as_f64(), s["count"].as_i64()), (Some(3.0), Some(2)));
        assert_eq!(f.last_summary_event(7).await, json!({"doctor_id": 7, "average": 3.0, "count": 2}));
        assert_eq!(f.api.get(QUEUE).bearer(&f.admin).send().await.body["total"], 0);
        f.cleanup().await;
    }

    async fn rejecting_a_published_rating_takes_it_out_but_its_author_still_sees_it(backend: Backend) {
        let (f, alice, id) = held(backend).await;
        assert_eq!(decide(&f, id, "approve").await.status, StatusCode::OK);
        let r = decide(&f, id, "reject").await;
        assert_eq!(r.body["status"], "rejected", "{backend:?}: {}", r.body);
        assert!(!f.public_ids(7).await.contains(&id));
        assert_eq!(f.last_summary_event(7).await, json!({"doctor_id": 7, "average": 5.0, "count": 1}));
        let mine = f.api.get("/api/v1/ratings?mine=true").bearer(&alice.token).send().await;
        assert_eq!(mine.body["data"][0]["status"], "rejected");
        f.cleanup().await;
    }

    async fn deciding_on_an_unknown_rating_is_not_found(backend: Backend) {
        let f = TestApp::start(backend).await;
        assert_eq!(decide(&f, 999_999, "approve").await.status, StatusCode::NOT_FOUND, "{backend:?}");
        f.cleanup().await;
    }
}

/// Alice's published 4 ("Fine") for doctor 7, its report path, and
/// tokens of three patients who may report it.
struct Reported {
    f: TestApp,
    alice: Patient,
    id: i64,
    path: String,
    reporters: Vec<String>,
}

impl Reported {
    async fn new(backend: Backend) -> Self {
        let f = TestApp::start(backend).await;
        let alice = f.patient(1, 101).await;
        f.visit(11, &alice, 7, "completed", Utc::now() - days(2)).await;
        let id = f.rate(&alice.token, 7, 4, Some("Fine")).await.id();
        let reporters = (0..3).map(|i| f.issuer.token(500 + i, Role::Patient)).collect();
        Self { path: format!("/api/v1/ratings/{id}/report"), f, alice, id, reporters }
    }

    /// The report of `token` with `reason`; its status.
    async fn report(&self, token: &str, reason: &str) -> StatusCode {
        self.f.api.post(&self.path).bearer(token).json(&json!({"reason": reason})).send().await.status
    }

    /// The three reporters report it: held.
    async fn held(backend: Backend) -> Self {
        let r = Self::new(backend).await;
        for token in &r.reporters {
            assert_eq!(r.report(token, "offensive").await, StatusCode::ACCEPTED);
        }
        r
    }
}

kit::per_backend! {
    async fn a_report_needs_a_reason(backend: Backend) {
        let r = Reported::new(backend).await;
        assert_eq!(r.report(&r.reporters[0], " ").await, StatusCode::UNPROCESSABLE_ENTITY, "{backend:?}");
        r.f.cleanup().await;
    }

    async fn reports_count_once_per_user_and_wait_in_the_queue(backend: Backend) {
        let r = Reported::new(backend).await;
        // Two users, one of them twice: still two reports.
        for token in [&r.reporters[0], &r.reporters[0], &r.reporters[1]] {
            assert_eq!(r.report(token, "offensive").await, StatusCode::ACCEPTED, "{backend:?}");
        }
        assert_eq!(r.f.public_ids(7).await, vec![r.id]);
        let q = r.f.api.get(QUEUE).bearer(&r.f.admin).send().await;
        assert_eq!(
            (q.body["total"].as_i64(), q.body["data"][0]["report_count"].as_i64()),
            (Some(1), Some(2))
        );
        assert_eq!(q.body["data"][0]["reports"].as_array().unwrap().len(), 2);
        r.f.cleanup().await;
    }

    async fn a_third_distinct_reporter_holds_the_rating(backend: Backend) {
        let r = Reported::held(backend).await;
        assert!(r.f.public_ids(7).await.is_empty(), "{backend:?}");
        assert_eq!(r.f.summary(7).await["count"], 0);
        assert_eq!(r.f.last_summary_event(7).await, json!({"doctor_id": 7, "average": 0.0, "count": 0}));
        let q = r.f.api.get(QUEUE).bearer(&r.f.admin).send().await;
        assert_eq!(q.body["data"][0]["status"], "held");
        r.f.cleanup().await;
    }

    async fn a_held_rating_takes_reports_only_from_those_who_saw_it(backend: Backend) {
        let r = Reported::held(backend).await;
        // A repeat by an earlier reporter is still accepted; a newcomer cannot see it.
        assert_eq!(r.report(&r.reporters[0], "again").await, StatusCode::ACCEPTED, "{backend:?}");
        let newcomer = r.f.issuer.token(600, Role::Doctor);
        assert_eq!(r.report(&newcomer, "x").await, StatusCode::NOT_FOUND);
        assert_eq!(r.report("bad-token", "x").await, StatusCode::UNAUTHORIZED);
        r.f.cleanup().await;
    }

    async fn resending_the_same_comment_does_not_release_a_held_rating(backend: Backend) {
        let r = Reported::held(backend).await;
        let again = r.f.rate(&r.alice.token, 7, 5, Some("Fine")).await;
        assert_eq!(
            (again.status, again.body["status"].as_str()),
            (StatusCode::OK, Some("held")),
            "{backend:?}"
        );
        assert!(r.f.public_ids(7).await.is_empty());
        r.f.cleanup().await;
    }

    async fn approval_answers_the_reports_so_only_new_reporters_count(backend: Backend) {
        let r = Reported::held(backend).await;
        let approved = decide(&r.f, r.id, "approve").await;
        assert_eq!(
            (approved.body["status"].as_str(), approved.body["report_count"].as_i64()),
            (Some("published"), Some(0)),
            "{backend:?}"
        );
        assert_eq!(r.f.public_ids(7).await, vec![r.id]);
        assert_eq!(r.f.last_summary_event(7).await, json!({"doctor_id": 7, "average": 4.0, "count": 1}));
        // Earlier reporters were answered; only new users' reports count now.
        assert_eq!(r.report(&r.reporters[1], "still offensive").await, StatusCode::ACCEPTED);
        assert_eq!(r.f.api.get(QUEUE).bearer(&r.f.admin).send().await.body["total"], 0);
        assert_eq!(r.report(&r.f.issuer.token(700, Role::Patient), "rude").await, StatusCode::ACCEPTED);
        let q = r.f.api.get(QUEUE).bearer(&r.f.admin).send().await;
        assert_eq!(q.body["data"][0]["report_count"], 1);
        assert_eq!(q.body["data"][0]["reports"].as_array().unwrap().len(), 4, "history kept");
        r.f.cleanup().await;
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
