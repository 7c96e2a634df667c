//! A doctor who leaves, or a patient whose account is closed, takes their
//! upcoming appointments along: cancelled with a reason, announced, and the
//! slots free for others.

use chrono::{Utc, Weekday};
use kit::{events::catalog, identity::Role, testing::eventually};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{TestApp, next_weekday};
use kit::ids::{DoctorId, UserId};

/// Appointment `id` as an admin sees it, once it is cancelled.
async fn cancelled(app: &TestApp, id: i64) -> Value {
    eventually(&format!("appointment {id} to be cancelled"), || async {
        let r = app.appointment(&app.admin, id).await;
        (r.body["status"] == "cancelled").then_some(r.body)
    })
    .await
}

kit::per_backend! {
    async fn a_leaving_doctor_cancels_their_upcoming_appointments(backend: Backend) {
        let app = TestApp::start(backend).await;
        let day = next_weekday(Utc::now().date_naive() + chrono::Duration::days(2), Weekday::Wed);
        let leaving = app.doctor(30, 5030, "Africa/Casablanca").await;
        let slot = app.slot(&leaving, json!({"day": "Wednesday", "start": "09:00"})).await;
        let later = app.slot(&leaving, json!({"day": "Wednesday", "start": "10:00"})).await;
        let amina = app.patient(300, 6300).await;
        let omar = app.patient(301, 6301).await;
        let first = app.book(&amina, 30, slot, day).await;
        let second = app.book(&omar, 30, later, day).await;
        assert_eq!((first.status, second.status), (StatusCode::CREATED, StatusCode::CREATED));
        let data = catalog::DoctorDeleted { doctor_id: DoctorId(30), user_id: UserId(5030) };
        app.publish(catalog::EventType::DoctorDeleted, serde_json::to_value(data).unwrap()).await;
        for booked in [&first, &second] {
            let a = cancelled(&app, booked.id()).await;
            assert_eq!(a["cancel_reason"], "the doctor no longer practises on QuickCare");
        }
        assert_eq!(app.announced(catalog::EventType::AppointmentCancelled).await, 2, "each patient hears of it");
        let gone = app.availability(&format!("doctor_id=30&date={day}")).await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND, "{}", gone.body);
        app.cleanup().await;
    }

    async fn a_closed_patient_account_frees_its_slot_for_someone_else(backend: Backend) {
        let app = TestApp::start(backend).await;
        let day = next_weekday(Utc::now().date_naive() + chrono::Duration::days(2), Weekday::Wed);
        let staying = app.doctor(31, 5031, "Africa/Casablanca").await;
        let slot = app.slot(&staying, json!({"day": "Wednesday", "start": "11:00"})).await;
        let closing = app.patient(310, 6310).await;
        let next = app.patient(311, 6311).await;
        let held = app.book(&closing, 31, slot, day).await;
        assert_eq!(held.status, StatusCode::CREATED, "{}", held.body);
        assert_eq!(app.book(&next, 31, slot, day).await.status, StatusCode::CONFLICT);
        let data = catalog::UserDeleted { user_id: UserId(6310), role: Role::Patient };
        app.publish(catalog::EventType::UserDeleted, serde_json::to_value(data).unwrap()).await;
        let a = cancelled(&app, held.id()).await;
        assert_eq!(a["cancel_reason"], "the patient's account was closed");
        assert_eq!(app.book(&next, 31, slot, day).await.status, StatusCode::CREATED, "the slot is free again");
        app.cleanup().await;
    }
}
