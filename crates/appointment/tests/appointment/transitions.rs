//! The status machine (`crate::lifecycle` in the service): each action for
//! the right role only, from the right status only.

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::json;

use crate::support::{
    TestApp,
    clinic::{Clinic, DOCTOR},
};

kit::per_backend! {
    async fn approve_is_for_its_doctor_or_an_admin_and_from_pending_only(backend: Backend) {
        let c = Clinic::open(backend).await;
        let id = c.booked(&c.a, c.s1).await;
        assert_eq!(c.act(&c.b, id, "approve", json!({})).await.status, 404);
        assert_eq!(c.act(&c.other_doc, id, "approve", json!({})).await.status, 404);
        assert_eq!(c.act(&c.a, id, "approve", json!({})).await.status, 403);
        assert_eq!(c.act(&c.doc, id, "complete", json!({})).await.status, 409, "pending cannot complete");
        assert_eq!(c.act(&c.doc, id, "no-show", json!({})).await.status, 409);
        assert_eq!(c.act(&c.doc, id, "check-in", json!({})).await.status, 409);
        let ok = c.act(&c.doc, id, "approve", json!({})).await;
        assert_eq!((ok.status, ok.body["status"].as_str()), (StatusCode::OK, Some("approved")));
        assert_eq!(c.act(&c.admin, id, "approve", json!({})).await.status, 409, "already approved");
        c.close().await;
    }

    async fn its_doctor_checks_in_once_and_the_check_out_records_travel_time(backend: Backend) {
        let c = Clinic::open(backend).await;
        let id = c.approved(&c.a, c.s1).await;
        assert_eq!(c.act(&c.a, id, "check-in", json!({})).await.status, 403);
        assert_eq!(c.act(&c.admin, id, "check-in", json!({})).await.status, 403);
        assert_eq!(c.act(&c.doc, id, "check-out", json!({})).await.status, 409, "not checked in");
        assert_eq!(c.act(&c.doc, id, "check-in", json!({})).await.status, 200);
        assert_eq!(c.act(&c.doc, id, "check-in", json!({})).await.status, 409);
        let out = c.act(&c.doc, id, "check-out", json!({"travel_time_minutes": 25})).await;
        assert_eq!(out.body["travel_time_minutes"], 25, "{}", out.body);
        c.close().await;
    }

    async fn only_its_doctor_completes_and_a_completed_appointment_stays_so(backend: Backend) {
        let c = Clinic::open(backend).await;
        let id = c.approved(&c.a, c.s1).await;
        assert_eq!(c.act(&c.a, id, "complete", json!({})).await.status, 403);
        assert_eq!(c.act(&c.admin, id, "complete", json!({})).await.status, 403);
        let done = c.act(&c.doc, id, "complete", json!({"doctor_comment": "Fine"})).await;
        assert_eq!(
            (done.body["status"].as_str(), done.body["doctor_comment"].as_str()),
            (Some("completed"), Some("Fine"))
        );
        for action in ["approve", "cancel", "no-show", "complete"] {
            assert_eq!(c.act(&c.doc, id, action, json!({})).await.status, 409, "{action} after completion");
        }
        assert_eq!(c.reschedule(&c.a, id, c.s2, c.day).await.status, 409);
        c.close().await;
    }

    async fn no_show_is_for_its_doctor_on_an_approved_appointment(backend: Backend) {
        let c = Clinic::open(backend).await;
        let id = c.booked(&c.a, c.s2).await;
        assert_eq!(c.act(&c.doc, id, "no-show", json!({})).await.status, 409);
        c.act(&c.admin, id, "approve", json!({})).await;
        assert_eq!(c.act(&c.a, id, "no-show", json!({})).await.status, 403);
        assert_eq!(c.act(&c.doc, id, "no-show", json!({})).await.body["status"], "no_show");
        c.close().await;
    }

    async fn a_patients_reschedule_goes_back_to_pending_and_frees_the_old_slot(backend: Backend) {
        let c = Clinic::open(backend).await;
        let id = c.approved(&c.b, c.s3).await;
        let later = c.day + Duration::days(7);
        let moved = c.reschedule(&c.b, id, c.s3, later).await;
        assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
        assert_eq!(
            (moved.body["status"].as_str(), moved.body["date"].as_str()),
            (Some("pending"), Some(later.to_string().as_str()))
        );
        let free = c.availability(&format!("doctor_id={DOCTOR}&date={}", c.day)).await;
        assert!(
            free.body.as_array().unwrap().iter().any(|s| s["schedule_id"] == c.s3),
            "old slot is free again"
        );
        let onto_taken = c.reschedule(&c.admin, id, c.s3, later).await;
        assert_eq!(onto_taken.status, StatusCode::OK, "moving onto its own slot is a no-op move");
        c.close().await;
    }

    async fn patients_cancel_until_the_deadline_and_doctors_any_time(backend: Backend) {
        let c = Clinic::open(backend).await;
        // Inside the 2 h deadline: in an hour, or in ten minutes when that slot would cross midnight.
        let zone = chrono_tz::Africa::Casablanca;
        let (soon, soon_date) = c.slot_in(&c.doc, zone, TestApp::same_day_in(zone, &[60, 10])).await;
        let near = c.booked_on(&c.b, soon, soon_date).await;
        let late = c.act(&c.b, near, "cancel", json!({"reason": "busy"})).await;
        assert_eq!(late.status, StatusCode::CONFLICT, "inside the 2 h deadline");
        let by_doc = c.act(&c.doc, near, "cancel", json!({"reason": "sick"})).await;
        assert_eq!(
            (by_doc.body["status"].as_str(), by_doc.body["cancel_reason"].as_str()),
            (Some("cancelled"), Some("sick"))
        );
        let rebook = c.book(&c.a, DOCTOR, soon, soon_date).await;
        assert_eq!(rebook.status, StatusCode::CREATED, "a cancelled appointment frees its slot");
        c.close().await;
    }

    async fn a_cancel_needs_no_body(backend: Backend) {
        let c = Clinic::open(backend).await;
        let id = c.booked(&c.b, c.s3).await;
        let path = format!("/api/v1/appointments/{id}/cancel");
        let body_less = c.api.post(&path).bearer(&c.b).send().await;
        assert_eq!(body_less.body["status"], "cancelled", "{}", body_less.body);
        c.close().await;
    }
}
