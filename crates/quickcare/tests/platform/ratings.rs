//! A visit ends in a review that moves the doctor's score: through the
//! gateway, both modes, the listing's `avg_rating` and order follow a
//! rating (how long it took is printed, never asserted).

use std::time::{Duration, Instant};

use kit::testing::eventually;

use crate::support::{
    Options,
    api::{Api, PASSWORD, unique_cin, unique_email},
    next, ready,
};
use chrono::Weekday;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Books, approves and completes a visit of `patient` with the doctor.
async fn visit(api: &Api, doctor_id: i64, doctor: &str, patient: &str, day: Weekday) {
    let probe = format!("/api/v1/availability?doctor_id={doctor_id}&date=2030-01-01");
    ready(api, &probe, None).await;
    let slot = api
        .post("/api/v1/schedules", Some(doctor), json!({"day": format!("{day:?}"), "start": "10:00"}))
        .await;
    assert_eq!(slot.status, StatusCode::CREATED, "{}", slot.body);
    let date = next(day);
    let body =
        json!({"doctor_id": doctor_id, "schedule_id": slot.body["id"], "date": date, "reason": "visit"});
    // 409 until the patient record reached the appointment service.
    let booked = eventually("the booking to be taken", || async {
        let booked = api.post("/api/v1/appointments", Some(patient), body.clone()).await;
        (booked.status != StatusCode::CONFLICT).then_some(booked)
    })
    .await;
    let id = booked.body["id"].as_i64().unwrap();
    assert_eq!(
        api.post(&format!("/api/v1/appointments/{id}/approve"), Some(doctor), json!({})).await.status,
        200
    );
    assert_eq!(
        api.post(&format!("/api/v1/appointments/{id}/complete"), Some(doctor), json!({})).await.status,
        200
    );
}

/// Rates until the rating service has heard of the visit (events flow).
async fn rate(api: &Api, patient: &str, doctor_id: i64, score: i64) -> StatusCode {
    eventually(&format!("to be eligible to rate doctor {doctor_id}"), || async {
        let r = api
            .post("/api/v1/ratings", Some(patient), json!({"doctor_id": doctor_id, "rating": score}))
            .await;
        (r.status != StatusCode::FORBIDDEN).then_some(r.status)
    })
    .await
}

/// Waits until the listing satisfies `check`; returns how long it took.
async fn listing_follows(api: &Api, specialty: &Value, check: impl Fn(&Value) -> bool) -> Duration {
    let start = Instant::now();
    let path = format!("/api/v1/doctors?specialty_id={specialty}");
    eventually("the listing to follow the rating", || async {
        let list = api.get(&path, None).await.body;
        check(&list).then_some(())
    })
    .await;
    start.elapsed()
}

kit::per_backend! {
    async fn ratings_move_the_listing(backend: Backend) {
        let mode = crate::support::mode(backend);
        let p = crate::support::start(mode, Options::default()).await;
        let api = Api::new(&p.url());
        let admin_email = unique_email("admin");
        p.create_admin(&admin_email, PASSWORD).await.unwrap();
        let admin = api.login(&admin_email, PASSWORD).await.body["access_token"].as_str().unwrap().to_owned();
        let specialty = api.post("/api/v1/specialties", Some(&admin), json!({"name": "Urology"})).await.body
            ["id"]
            .clone();
        let (a, a_token) = api.create_doctor(&admin, &specialty, "Dr Alpha").await;
        let (b, b_token) = api.create_doctor(&admin, &specialty, "Dr Beta").await;
        let (_, patient, _) = api.register(&unique_email("rater"), &unique_cin()).await;
        let (_, stranger, _) = api.register(&unique_email("stranger"), &unique_cin()).await;
        visit(&api, a, &a_token, &patient, Weekday::Mon).await;
        visit(&api, b, &b_token, &patient, Weekday::Tue).await;

        assert_eq!(
            api.post("/api/v1/ratings", Some(&stranger), json!({"doctor_id": a, "rating": 5})).await.status,
            403
        );
        assert_eq!(rate(&api, &patient, a, 5).await, StatusCode::CREATED);
        assert_eq!(rate(&api, &patient, b, 3).await, StatusCode::CREATED);
        listing_follows(&api, &specialty, |l| l["data"][0]["id"] == a && l["data"][0]["avg_rating"] == 5.0)
            .await;
        // Rating A again replaces the first score, and B now leads.
        assert_eq!(rate(&api, &patient, a, 2).await, StatusCode::OK);
        let took = listing_follows(&api, &specialty, |l| {
            l["data"][0]["id"] == b && l["data"][1]["avg_rating"] == 2.0 && l["data"][1]["rating_count"] == 1
        })
        .await;
        eprintln!("{mode:?}: listing followed a rating in {took:?}");
        p.stop().await;
    }
}
