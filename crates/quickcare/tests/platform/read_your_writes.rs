//! Read your own writes, embedded and distributed: what a client just did
//! is visible to its very next call in every service — 50 times in a row,
//! no retries, no waiting — and an `Idempotency-Key` always reaches the one
//! real result, across a "try again" answer and between concurrent
//! duplicates.

use crate::support::{
    Mode, Options, admin_token,
    api::{Api, Reply, unique_cin, unique_email},
    next,
};
use chrono::Weekday;
use reqwest::StatusCode;
use serde_json::{Value, json};

const ROUNDS: usize = 50;

/// Records every first call that did not answer `want`.
#[derive(Default)]
struct Misses(Vec<String>);

impl Misses {
    fn check(&mut self, round: usize, what: &str, r: &Reply, want: StatusCode) {
        if r.status != want {
            self.0.push(format!("round {round}: {what} answered {} {}", r.status, r.body));
        }
    }
}

kit::per_backend! {
    async fn every_first_call_sees_what_the_client_just_did(backend: Backend) {
        let mode = crate::support::mode(backend);
        let p = crate::support::start(mode, Options::default()).await;
        let api = Api::new(&p.url());
        let admin = admin_token(&p, &api).await;
        let specialty =
            api.post("/api/v1/specialties", Some(&admin), json!({"name": "Family medicine"})).await;
        assert_eq!(specialty.status, StatusCode::CREATED, "{}", specialty.body);
        let specialty = specialty.body["id"].clone();
        let monday = next(Weekday::Mon);
        let mut misses = Misses::default();
        for round in 0..ROUNDS {
            // An admin creates a doctor; the doctor adds a slot at once.
            let (doctor_id, doctor) = api.create_doctor(&admin, &specialty, "Dr Now").await;
            let slot = api
                .post("/api/v1/schedules", Some(&doctor), json!({"day": "Monday", "start": "09:00"}))
                .await;
            misses.check(round, "the doctor's first POST /schedules", &slot, StatusCode::CREATED);

            // A patient registers, then lists, books and looks at once.
            let (user_id, patient, _) = api.register(&unique_email("now"), &unique_cin()).await;
            let listed = api.get("/api/v1/appointments", Some(&patient)).await;
            misses.check(round, "the patient's first GET /appointments", &listed, StatusCode::OK);
            let booking = json!({"doctor_id": doctor_id, "schedule_id": slot.body["id"], "date": monday,
                "reason": "first call"});
            let booked = api.post("/api/v1/appointments", Some(&patient), booking).await;
            misses.check(round, "the patient's first POST /appointments", &booked, StatusCode::CREATED);
            if booked.status == StatusCode::CREATED {
                let path = format!("/api/v1/appointments/{}", booked.body["id"]);
                let one = api.get(&path, Some(&patient)).await;
                misses.check(round, "GET /appointments/{id}", &one, StatusCode::OK);
            }
            let me = api.get("/api/v1/patients/me", Some(&patient)).await;
            misses.check(round, "the patient's first GET /patients/me", &me, StatusCode::OK);

            // The admin writes to the new user at once.
            let note = json!({"user_id": user_id, "title": "Welcome", "message": "Glad to have you",
                "channels": ["in_app"]});
            let sent = api.post("/api/v1/notifications", Some(&admin), note).await;
            misses.check(round, "the admin's POST /notifications", &sent, StatusCode::CREATED);
        }
        assert!(misses.0.is_empty(), "{mode:?}: {} misses:\n{}", misses.0.len(), misses.0.join("\n"));

        // What truly does not exist is still unknown.
        let nobody = json!({"user_id": 987_654_321, "title": "t", "message": "m"});
        assert_eq!(
            api.post("/api/v1/notifications", Some(&admin), nobody).await.status,
            StatusCode::NOT_FOUND
        );
        let (_, patient, _) = api.register(&unique_email("ghost"), &unique_cin()).await;
        let ghost = json!({"doctor_id": 987_654_321, "schedule_id": 1, "date": monday, "reason": "r"});
        let r = api.post("/api/v1/appointments", Some(&patient), ghost).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{mode:?}: {}", r.body);
        // Service-to-service routes are not reachable through the gateway.
        let internal = api.get("/internal/users/1/registered", Some(&admin)).await;
        assert_eq!(internal.status, StatusCode::NOT_FOUND, "{mode:?}");
        p.stop().await;
    }
}

/// POSTs `body` with an `Idempotency-Key`.
async fn post_with_key(api: &Api, path: &str, token: &str, key: &str, body: &Value) -> Reply {
    api.client.post(path).bearer(token).header("idempotency-key", key).json(body).send().await
}

async fn appointments_of(api: &Api, token: &str) -> i64 {
    let r = api.get("/api/v1/appointments", Some(token)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body["total"].as_i64().unwrap()
}

kit::per_backend! {
    async fn one_idempotency_key_makes_one_appointment(backend: Backend) {
        let mode = crate::support::mode(backend);
        let mut p = crate::support::start(mode, Options::default()).await;
        let api = Api::new(&p.url());
        let admin = admin_token(&p, &api).await;
        let specialty = api.post("/api/v1/specialties", Some(&admin), json!({"name": "Dermatology"})).await;
        let (doctor_id, doctor) = api.create_doctor(&admin, &specialty.body["id"], "Dr Now").await;
        let mut slots = Vec::new();
        for start in ["09:00", "10:00"] {
            let s =
                api.post("/api/v1/schedules", Some(&doctor), json!({"day": "Tuesday", "start": start})).await;
            assert_eq!(s.status, StatusCode::CREATED, "{}", s.body);
            slots.push(s.body["id"].clone());
        }
        let tuesday = next(Weekday::Tue);
        let booking = |slot: &Value| json!({"doctor_id": doctor_id, "schedule_id": slot, "date": tuesday, "reason": "keyed"});

        // Two concurrent requests with one key: one appointment, one answer.
        let (_, patient, _) = api.register(&unique_email("twice"), &unique_cin()).await;
        let body = booking(&slots[0]);
        let (a, b) = tokio::join!(
            post_with_key(&api, "/api/v1/appointments", &patient, "same-key", &body),
            post_with_key(&api, "/api/v1/appointments", &patient, "same-key", &body),
        );
        assert_eq!(
            (a.status, b.status),
            (StatusCode::CREATED, StatusCode::CREATED),
            "{mode:?}: {} {}",
            a.body,
            b.body
        );
        assert_eq!(a.body["id"], b.body["id"], "{mode:?}: the duplicate replays the first answer");
        assert_eq!(appointments_of(&api, &patient).await, 1, "{mode:?}");

        // Distributed: while the patient service is down, booking answers
        // "try again"; the retry with the same key, once it is back, books.
        // Down before the patient registers, so no record can have reached
        // the appointment service by event first (a race that once booked
        // at the first try).
        if mode == Mode::Distributed {
            for proc in p.patients.iter_mut() {
                proc.kill9().await;
            }
            let (_, patient, _) = api.register(&unique_email("retry"), &unique_cin()).await;
            let body = booking(&slots[1]);
            let first = post_with_key(&api, "/api/v1/appointments", &patient, "retry-key", &body).await;
            assert_eq!(first.status, StatusCode::SERVICE_UNAVAILABLE, "{}", first.body);
            assert!(first.headers.contains_key("retry-after"), "a try-again answer says when");
            for proc in p.patients.iter_mut() {
                proc.start().unwrap();
            }
            for proc in p.patients.iter() {
                proc.wait_ready().await.unwrap();
            }
            let second = post_with_key(&api, "/api/v1/appointments", &patient, "retry-key", &body).await;
            assert_eq!(second.status, StatusCode::CREATED, "the retry reached the result: {}", second.body);
            assert!(!second.headers.contains_key("idempotent-replayed"), "the 503 was not replayed");
            let third = post_with_key(&api, "/api/v1/appointments", &patient, "retry-key", &body).await;
            assert_eq!(third.status, StatusCode::CREATED);
            assert_eq!(third.body["id"], second.body["id"]);
            assert_eq!(third.headers["idempotent-replayed"], "true");
            assert_eq!(appointments_of(&api, &patient).await, 1);
        }
        p.stop().await;
    }
}
