//! Booking: what a booking is checked against, idempotent retries, one
//! patient's time, and who sees the result.

use chrono::{Duration, Utc, Weekday};
use reqwest::StatusCode;

use crate::support::{
    clinic::{Clinic, DOCTOR, OTHER_DOCTOR},
    next_weekday,
};

kit::per_backend! {
    async fn a_booking_must_name_a_slot_of_the_doctor_offered_that_date_and_ahead(backend: Backend) {
        let c = Clinic::open(backend).await;
        let wrong_day = c.book(&c.a, DOCTOR, c.s1, c.day + Duration::days(1)).await;
        assert_eq!(wrong_day.status, StatusCode::UNPROCESSABLE_ENTITY);
        let past = c
            .book(&c.a, DOCTOR, c.s1, next_weekday(Utc::now().date_naive() - Duration::days(8), Weekday::Wed))
            .await;
        assert_eq!(past.status, StatusCode::UNPROCESSABLE_ENTITY);
        let not_his = c.book(&c.a, OTHER_DOCTOR, c.s1, c.day).await;
        assert_eq!(not_his.status, StatusCode::UNPROCESSABLE_ENTITY);
        c.close().await;
    }

    async fn a_retried_booking_with_the_same_idempotency_key_gets_the_first_answer(backend: Backend) {
        let c = Clinic::open(backend).await;
        let booking = serde_json::json!({"doctor_id": DOCTOR, "schedule_id": c.s1, "date": c.day, "reason": "checkup"});
        let mut replies = Vec::new();
        for _ in 0..2 {
            let res = c
                .api
                .post("/api/v1/appointments")
                .bearer(&c.a)
                .header("idempotency-key", "book-once-1")
                .json(&booking)
                .send()
                .await;
            let replayed = res.header("idempotent-replayed").is_some();
            replies.push((res.status, replayed, res.body));
        }
        assert_eq!((replies[0].0, replies[0].1), (StatusCode::CREATED, false));
        assert_eq!((replies[1].0, replies[1].1), (StatusCode::CREATED, true), "{:?}", replies[1]);
        assert_eq!(replies[0].2["id"], replies[1].2["id"]);
        let body = &replies[0].2;
        assert_eq!(body["status"], "pending");
        for field in ["id", "patient_id", "doctor_id", "schedule_id", "date", "start_at", "end_at", "reason"] {
            assert!(body.get(field).is_some(), "booking lacks {field}");
        }
        c.close().await;
    }

    async fn a_patient_may_not_hold_two_overlapping_appointments(backend: Backend) {
        let c = Clinic::open(backend).await;
        c.booked(&c.a, c.s1).await;
        let twice = c.book(&c.a, DOCTOR, c.s1, c.day).await;
        assert_eq!(twice.status, StatusCode::CONFLICT);
        c.close().await;
    }

    async fn only_its_patient_and_doctor_see_an_appointment(backend: Backend) {
        let c = Clinic::open(backend).await;
        let id = c.booked(&c.a, c.s1).await;
        assert_eq!(c.appointment(&c.b, id).await.status, 404);
        assert_eq!(c.appointment(&c.other_doc, id).await.status, 404);
        assert_eq!(c.appointment(&c.a, id).await.status, 200);
        assert_eq!(c.appointment(&c.doc, id).await.status, 200);
        assert_eq!(c.list(Some(&c.b), "").await.body["total"], 0);
        c.close().await;
    }
}
