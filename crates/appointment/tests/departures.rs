//! A doctor who leaves, or a patient whose account is closed, takes their
//! upcoming appointments along: cancelled with a reason, announced, and the
//! slots free for others — on both backends.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::Duration;

use chrono::{Utc, Weekday};
use kit::{events::catalog, identity::Role};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use support::{Fixture, next_weekday};

/// Waits until appointment `id`, as an admin sees it, satisfies `check`.
async fn until(f: &Fixture, id: i64, check: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..400 {
        let r = f.get(&format!("/api/v1/appointments/{id}"), Some(&f.admin)).await;
        if check(&r.body) {
            return r.body;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("appointment {id} never got there");
}

/// `appointment.cancelled` events written to the outbox so far.
async fn announced_cancellations(f: &Fixture) -> i64 {
    let sql = "SELECT COUNT(*) FROM kit_outbox WHERE kind = ?";
    let backend = f.ctx.db.get_database_backend();
    let stmt = Statement::from_sql_and_values(backend, sql, [catalog::APPOINTMENT_CANCELLED.into()]);
    let row = f.ctx.db.query_one_raw(stmt).await.unwrap().unwrap();
    row.try_get_by_index(0).unwrap()
}

#[tokio::test]
async fn leaving_doctors_and_closed_accounts_cancel_what_is_ahead() {
    for backend in kit::testing::backends() {
        let f = Fixture::start(backend).await;
        let day = next_weekday(Utc::now().date_naive() + chrono::Duration::days(2), Weekday::Wed);

        // A doctor with two booked patients leaves.
        let leaving = f.doctor(30, 5030, "Africa/Casablanca").await;
        let slot = f.slot(&leaving, json!({"day": "Wednesday", "start": "09:00"})).await;
        let later = f.slot(&leaving, json!({"day": "Wednesday", "start": "10:00"})).await;
        let amina = f.patient(300, 6300).await;
        let omar = f.patient(301, 6301).await;
        let first = f.book(&amina, 30, slot, day).await;
        let second = f.book(&omar, 30, later, day).await;
        assert_eq!((first.status, second.status), (StatusCode::CREATED, StatusCode::CREATED));
        let data = catalog::DoctorDeleted { doctor_id: 30, user_id: 5030 };
        f.publish(catalog::DOCTOR_DELETED, serde_json::to_value(data).unwrap()).await;
        for booked in [&first, &second] {
            let id = booked.body["id"].as_i64().unwrap();
            let a = until(&f, id, |a| a["status"] == "cancelled").await;
            assert_eq!(a["cancel_reason"], "the doctor no longer practises on QuickCare");
        }
        assert_eq!(announced_cancellations(&f).await, 2, "each patient hears of it");
        let gone = f.get(&format!("/api/v1/availability?doctor_id=30&date={day}"), None).await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND, "{}", gone.body);

        // A patient whose account is closed frees their slot for someone else.
        let staying = f.doctor(31, 5031, "Africa/Casablanca").await;
        let slot = f.slot(&staying, json!({"day": "Wednesday", "start": "11:00"})).await;
        let closing = f.patient(310, 6310).await;
        let next = f.patient(311, 6311).await;
        let held = f.book(&closing, 31, slot, day).await;
        assert_eq!(held.status, StatusCode::CREATED, "{}", held.body);
        assert_eq!(f.book(&next, 31, slot, day).await.status, StatusCode::CONFLICT);
        let data = catalog::UserDeleted { user_id: 6310, role: Role::Patient };
        f.publish(catalog::USER_DELETED, serde_json::to_value(data).unwrap()).await;
        let id = held.body["id"].as_i64().unwrap();
        let a = until(&f, id, |a| a["status"] == "cancelled").await;
        assert_eq!(a["cancel_reason"], "the patient's account was closed");
        assert_eq!(f.book(&next, 31, slot, day).await.status, StatusCode::CREATED, "the slot is free again");
        f.cleanup().await;
    }
}
