//! A doctor's slots: overlaps and malformed slots refused, patients and
//! other doctors kept out, booked slots left alone.

use reqwest::StatusCode;
use serde_json::json;

use crate::support::clinic::Clinic;

kit::per_backend! {
    async fn overlapping_slots_are_refused_weekly_and_one_off(backend: Backend) {
        let c = Clinic::open(backend).await;
        let overlap = c.create_slot(&c.doc, json!({"day": "Wednesday", "start": "09:15"})).await;
        assert_eq!(overlap.status, StatusCode::CONFLICT);
        let one_off_overlap = c.create_slot(&c.doc, json!({"specific_date": c.day, "start": "09:10"})).await;
        assert_eq!(one_off_overlap.status, StatusCode::CONFLICT, "a one-off on a weekly slot's day");
        c.close().await;
    }

    async fn patients_may_not_create_slots_and_malformed_ones_are_refused(backend: Backend) {
        let c = Clinic::open(backend).await;
        assert_eq!(c.create_slot(&c.a, json!({"day": "Monday", "start": "09:00"})).await.status, 403);
        let bad = c.create_slot(&c.doc, json!({"day": "Someday", "start": "9am"})).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        c.close().await;
    }

    async fn another_doctors_slot_is_not_found(backend: Backend) {
        let c = Clinic::open(backend).await;
        let foreign = c.delete_slot(&c.other_doc, c.s1).await;
        assert_eq!(foreign.status, StatusCode::NOT_FOUND);
        c.close().await;
    }

    async fn a_booked_slot_can_be_neither_deleted_nor_moved(backend: Backend) {
        let c = Clinic::open(backend).await;
        c.approved(&c.a, c.s1).await;
        let del = c.delete_slot(&c.doc, c.s1).await;
        assert_eq!(del.status, StatusCode::CONFLICT);
        let mv = c.update_slot(&c.doc, c.s1, json!({"start": "07:00"})).await;
        assert_eq!(mv.status, StatusCode::CONFLICT);
        c.close().await;
    }
}
