//! Booking under contention and the status machine, on both backends,
//! with real concurrent HTTP requests to the service.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use chrono::{Duration, Utc, Weekday};
use futures::future::join_all;
use kit::testing::backends;
use reqwest::{Method, StatusCode};
use serde_json::json;
use support::{Fixture, next_weekday};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_patients_race_for_one_slot_and_fifty_reschedules_for_another() {
    for backend in backends() {
        let f = Fixture::start(backend).await;
        let doctor = f.doctor(10, 5010, "Africa/Casablanca").await;
        let date = next_weekday(Utc::now().date_naive() + Duration::days(2), Weekday::Tue);
        let contested = f.slot(&doctor, json!({"day": "Tuesday", "start": "09:00"})).await;
        let mut patients = Vec::new();
        for i in 0..50 {
            patients.push(f.patient(100 + i, 6000 + i).await);
        }

        let attempts = join_all(patients.iter().map(|p| f.book(p, 10, contested, date))).await;
        let won = attempts.iter().filter(|r| r.status == StatusCode::CREATED).count();
        let lost = attempts.iter().filter(|r| r.status == StatusCode::CONFLICT).count();
        assert_eq!(
            (won, lost),
            (1, 49),
            "{backend:?}: {:?}",
            attempts.iter().map(|r| r.status).collect::<Vec<_>>()
        );
        let all =
            f.get(&format!("/api/v1/appointments?doctor_id=10&from={date}&to={date}"), Some(&f.admin)).await;
        assert_eq!(all.body["total"], 1, "one row in the database");

        // Fifty booked appointments on fifty slots, all moving to one free slot.
        let mut booked = Vec::new();
        for (i, p) in patients.iter().enumerate() {
            let start = format!("{:02}:{:02}", 8 + i / 4, (i % 4) * 15);
            let slot = f.slot(&doctor, json!({"day": "Thursday", "start": start, "end": format!("{:02}:{:02}", 8 + (i + 1) / 4, ((i + 1) % 4) * 15)})).await;
            let day = next_weekday(date, Weekday::Thu);
            let r = f.book(p, 10, slot, day).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
            booked.push((p.clone(), r.body["id"].as_i64().unwrap()));
        }
        let target = f.slot(&doctor, json!({"day": "Friday", "start": "16:00"})).await;
        let friday = next_weekday(date, Weekday::Fri);
        let fr = &f;
        let moves = join_all(booked.iter().map(|(p, id)| async move {
            let path = format!("/api/v1/appointments/{id}/reschedule");
            fr.post(&path, p, json!({"schedule_id": target, "date": friday})).await
        }))
        .await;
        let won = moves.iter().filter(|r| r.status == StatusCode::OK).count();
        let lost = moves.iter().filter(|r| r.status == StatusCode::CONFLICT).count();
        assert_eq!((won, lost), (1, 49), "{backend:?}");
        let there = f
            .get(&format!("/api/v1/appointments?doctor_id=10&from={friday}&to={friday}"), Some(&f.admin))
            .await;
        assert_eq!(there.body["total"], 1);
        // The losers kept their old slots: fifty active appointments on Thursday minus the mover.
        let thursday = next_weekday(date, Weekday::Thu);
        let stayed = f
            .get(
                &format!("/api/v1/appointments?doctor_id=10&status=pending&from={thursday}&to={thursday}"),
                Some(&f.admin),
            )
            .await;
        assert_eq!(stayed.body["total"], 49);
        f.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_transition_is_allowed_for_the_right_role_only() {
    for backend in backends() {
        let f = Fixture::start(backend).await;
        let tz = chrono_tz::Africa::Casablanca;
        let doc = f.doctor(20, 5020, "Africa/Casablanca").await;
        let other_doc = f.doctor(21, 5021, "Africa/Casablanca").await;
        let a = f.patient(200, 6200).await;
        let b = f.patient(201, 6201).await;
        let admin = f.admin.clone();
        let day = next_weekday(Utc::now().date_naive() + Duration::days(2), Weekday::Wed);
        let s1 = f.slot(&doc, json!({"day": "wednesday", "start": "09:00"})).await;
        let s2 = f.slot(&doc, json!({"day": "Wednesday", "start": "09:30", "end": "10:00"})).await;
        let s3 = f.slot(&doc, json!({"day": "Wednesday", "start": "10:00"})).await;

        // Slots: overlapping refused, patients may not create them, other doctors' are 404.
        let overlap = f.post("/api/v1/schedules", &doc, json!({"day": "Wednesday", "start": "09:15"})).await;
        assert_eq!(overlap.status, StatusCode::CONFLICT);
        let one_off_overlap =
            f.post("/api/v1/schedules", &doc, json!({"specific_date": day, "start": "09:10"})).await;
        assert_eq!(one_off_overlap.status, StatusCode::CONFLICT, "a one-off on a weekly slot's day");
        assert_eq!(
            f.post("/api/v1/schedules", &a, json!({"day": "Monday", "start": "09:00"})).await.status,
            403
        );
        let bad = f.post("/api/v1/schedules", &doc, json!({"day": "Someday", "start": "9am"})).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let foreign =
            f.call(Method::DELETE, &format!("/api/v1/schedules/{s1}"), Some(&other_doc), None).await;
        assert_eq!(foreign.status, StatusCode::NOT_FOUND);

        // Booking validation.
        let wrong_day = f.book(&a, 20, s1, day + Duration::days(1)).await;
        assert_eq!(wrong_day.status, StatusCode::UNPROCESSABLE_ENTITY);
        let past =
            f.book(&a, 20, s1, next_weekday(Utc::now().date_naive() - Duration::days(8), Weekday::Wed)).await;
        assert_eq!(past.status, StatusCode::UNPROCESSABLE_ENTITY);
        let not_his = f.book(&a, 21, s1, day).await;
        assert_eq!(not_his.status, StatusCode::UNPROCESSABLE_ENTITY);

        // A retried booking with the same Idempotency-Key gets the first answer, not a 409.
        let booking = json!({"doctor_id": 20, "schedule_id": s1, "date": day, "reason": "checkup"});
        let mut replies = Vec::new();
        for _ in 0..2 {
            let res = f
                .http
                .post(format!("{}/api/v1/appointments", f.base))
                .bearer_auth(&a)
                .header("idempotency-key", "book-once-1")
                .json(&booking)
                .send()
                .await
                .unwrap();
            let replayed = res.headers().get("idempotent-replayed").is_some();
            replies.push((res.status(), replayed, res.json::<serde_json::Value>().await.unwrap()));
        }
        assert_eq!((replies[0].0, replies[0].1), (StatusCode::CREATED, false));
        assert_eq!((replies[1].0, replies[1].1), (StatusCode::CREATED, true), "{:?}", replies[1]);
        assert_eq!(replies[0].2["id"], replies[1].2["id"]);
        let r = support::Reply { status: replies[0].0, body: replies[0].2.clone() };
        assert_eq!(r.body["status"], "pending");
        for field in ["id", "patient_id", "doctor_id", "schedule_id", "date", "start_at", "end_at", "reason"]
        {
            assert!(r.body.get(field).is_some(), "booking lacks {field}");
        }
        let id = r.body["id"].as_i64().unwrap();
        let path = |action: &str| format!("/api/v1/appointments/{id}/{action}");

        // A patient may not hold two overlapping appointments, nor others see them.
        let twice = f.book(&a, 20, s1, day).await;
        assert_eq!(twice.status, StatusCode::CONFLICT);
        assert_eq!(f.get(&format!("/api/v1/appointments/{id}"), Some(&b)).await.status, 404);
        assert_eq!(f.get(&format!("/api/v1/appointments/{id}"), Some(&other_doc)).await.status, 404);
        assert_eq!(f.get(&format!("/api/v1/appointments/{id}"), Some(&a)).await.status, 200);
        assert_eq!(f.get("/api/v1/appointments", Some(&b)).await.body["total"], 0);

        // approve: its doctor or admin; others 404/403; only from pending.
        assert_eq!(f.post(&path("approve"), &b, json!({})).await.status, 404);
        assert_eq!(f.post(&path("approve"), &other_doc, json!({})).await.status, 404);
        assert_eq!(f.post(&path("approve"), &a, json!({})).await.status, 403);
        assert_eq!(f.post(&path("complete"), &doc, json!({})).await.status, 409, "pending cannot complete");
        assert_eq!(f.post(&path("no-show"), &doc, json!({})).await.status, 409);
        assert_eq!(f.post(&path("check-in"), &doc, json!({})).await.status, 409);
        let ok = f.post(&path("approve"), &doc, json!({})).await;
        assert_eq!((ok.status, ok.body["status"].as_str()), (StatusCode::OK, Some("approved")));
        assert_eq!(f.post(&path("approve"), &admin, json!({})).await.status, 409, "already approved");

        // Schedule with an active appointment: no delete, no move.
        let del = f.call(Method::DELETE, &format!("/api/v1/schedules/{s1}"), Some(&doc), None).await;
        assert_eq!(del.status, StatusCode::CONFLICT);
        let mv = f
            .call(
                Method::PATCH,
                &format!("/api/v1/schedules/{s1}"),
                Some(&doc),
                Some(json!({"start": "07:00"})),
            )
            .await;
        assert_eq!(mv.status, StatusCode::CONFLICT);

        // Visits: its doctor only, check-in once, check-out sets travel time.
        assert_eq!(f.post(&path("check-in"), &a, json!({})).await.status, 403);
        assert_eq!(f.post(&path("check-in"), &admin, json!({})).await.status, 403);
        assert_eq!(f.post(&path("check-out"), &doc, json!({})).await.status, 409, "not checked in");
        assert_eq!(f.post(&path("check-in"), &doc, json!({})).await.status, 200);
        assert_eq!(f.post(&path("check-in"), &doc, json!({})).await.status, 409);
        let out = f.post(&path("check-out"), &doc, json!({"travel_time_minutes": 25})).await;
        assert_eq!(out.body["travel_time_minutes"], 25, "{}", out.body);

        // complete: its doctor only (not the admin, not the patient).
        assert_eq!(f.post(&path("complete"), &a, json!({})).await.status, 403);
        assert_eq!(f.post(&path("complete"), &admin, json!({})).await.status, 403);
        let done = f.post(&path("complete"), &doc, json!({"doctor_comment": "Fine"})).await;
        assert_eq!(
            (done.body["status"].as_str(), done.body["doctor_comment"].as_str()),
            (Some("completed"), Some("Fine"))
        );
        for action in ["approve", "cancel", "no-show", "complete"] {
            assert_eq!(f.post(&path(action), &doc, json!({})).await.status, 409, "{action} after completion");
        }
        assert_eq!(
            f.post(&path("reschedule"), &a, json!({"schedule_id": s2, "date": day})).await.status,
            409
        );

        // no-show: approved only.
        let second = f.book(&a, 20, s2, day).await.body["id"].as_i64().unwrap();
        let p2 = |action: &str| format!("/api/v1/appointments/{second}/{action}");
        assert_eq!(f.post(&p2("no-show"), &doc, json!({})).await.status, 409);
        f.post(&p2("approve"), &admin, json!({})).await;
        assert_eq!(f.post(&p2("no-show"), &a, json!({})).await.status, 403);
        assert_eq!(f.post(&p2("no-show"), &doc, json!({})).await.body["status"], "no_show");

        // reschedule: patient's move goes back to pending and frees the old slot.
        let third = f.book(&b, 20, s3, day).await.body["id"].as_i64().unwrap();
        f.post(&format!("/api/v1/appointments/{third}/approve"), &doc, json!({})).await;
        let later = day + Duration::days(7);
        let moved = f
            .post(
                &format!("/api/v1/appointments/{third}/reschedule"),
                &b,
                json!({"schedule_id": s3, "date": later}),
            )
            .await;
        assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
        assert_eq!(
            (moved.body["status"].as_str(), moved.body["date"].as_str()),
            (Some("pending"), Some(later.to_string().as_str()))
        );
        let free = f.get(&format!("/api/v1/availability?doctor_id=20&date={day}"), None).await;
        assert!(
            free.body.as_array().unwrap().iter().any(|s| s["schedule_id"] == s3),
            "old slot is free again"
        );
        let onto_taken = f
            .post(
                &format!("/api/v1/appointments/{third}/reschedule"),
                &admin,
                json!({"schedule_id": s3, "date": later}),
            )
            .await;
        assert_eq!(onto_taken.status, StatusCode::OK, "moving onto its own slot is a no-op move");

        // cancel: patients up to the deadline; doctors and admins any time; cancelled frees the slot.
        let (soon, soon_date) = f.slot_in(&doc, tz, 60).await;
        let near = f.book(&b, 20, soon, soon_date).await;
        assert_eq!(near.status, StatusCode::CREATED, "{}", near.body);
        let near = near.body["id"].as_i64().unwrap();
        let late =
            f.post(&format!("/api/v1/appointments/{near}/cancel"), &b, json!({"reason": "busy"})).await;
        assert_eq!(late.status, StatusCode::CONFLICT, "inside the 2 h deadline");
        let by_doc =
            f.post(&format!("/api/v1/appointments/{near}/cancel"), &doc, json!({"reason": "sick"})).await;
        assert_eq!(
            (by_doc.body["status"].as_str(), by_doc.body["cancel_reason"].as_str()),
            (Some("cancelled"), Some("sick"))
        );
        let rebook = f.book(&a, 20, soon, soon_date).await;
        assert_eq!(rebook.status, StatusCode::CREATED, "a cancelled appointment frees its slot");
        let body_less =
            f.call(Method::POST, &format!("/api/v1/appointments/{third}/cancel"), Some(&b), None).await;
        assert_eq!(body_less.body["status"], "cancelled", "{}", body_less.body);

        // Listing is scoped: admin all, patient own, doctor own.
        assert_eq!(f.get("/api/v1/appointments", Some(&admin)).await.body["total"], 5);
        assert_eq!(f.get("/api/v1/appointments", Some(&a)).await.body["total"], 3);
        assert_eq!(f.get("/api/v1/appointments", Some(&other_doc)).await.body["total"], 0);
        assert_eq!(f.get("/api/v1/appointments?status=bogus", Some(&admin)).await.status, 422);
        assert_eq!(f.get("/api/v1/appointments", None).await.status, 401);
        f.cleanup().await;
    }
}
