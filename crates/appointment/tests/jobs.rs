//! Scheduled jobs with two replicas on one database: every due reminder
//! yields exactly one `reminder_due` event; past pending appointments expire.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::Duration;

use kit::{
    events::catalog,
    testing::{TestEnv, backends},
};
use reqwest::{Method, StatusCode};
use sea_orm::{ConnectionTrait, Statement};
use support::Fixture;

async fn count(f: &Fixture, sql: &str) -> i64 {
    let backend = f.ctx.db.get_database_backend();
    let row = f.ctx.db.query_one_raw(Statement::from_string(backend, sql)).await.unwrap().unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn reminders_fire_once_with_two_replicas_and_past_pending_ones_expire() {
    for backend in backends() {
        let mut env = TestEnv::new(backend);
        env.settings.jobs_interval_ms = 50;
        let f = Fixture::start_with(env).await;
        let second = f.replica().await;
        let doc = f.doctor(40, 5040, "UTC").await;
        let tz = chrono_tz::UTC;

        // Twenty appointments inside the 24 h lead, booked over both replicas.
        let mut ids = Vec::new();
        let mut offset = 120;
        while ids.len() < 20 {
            offset += 31;
            let local = (chrono::Utc::now() + chrono::Duration::minutes(offset)).with_timezone(&tz);
            if chrono::Timelike::hour(&local) >= 23 {
                continue; // keep each slot inside one day
            }
            let (slot, date) = f.slot_in(&doc, tz, offset).await;
            let patient = f.patient(400 + ids.len() as i64, 7400 + ids.len() as i64).await;
            let base = if ids.len() % 2 == 0 { f.base.clone() } else { second.clone() };
            let body = serde_json::json!({"doctor_id": 40, "schedule_id": slot, "date": date, "reason": "r"});
            let r = support::call(
                &f.http,
                &base,
                Method::POST,
                "/api/v1/appointments",
                Some(&patient),
                Some(body),
            )
            .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
            ids.push(r.body["id"].as_i64().unwrap());
        }
        let reminders =
            format!("SELECT COUNT(*) FROM kit_outbox WHERE kind = '{}'", catalog::APPOINTMENT_REMINDER_DUE);
        for _ in 0..200 {
            if count(&f, &reminders).await >= 20 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        // Both replicas keep polling a while longer: still one each.
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(count(&f, &reminders).await, 20, "{backend:?}");
        let payloads = f
            .ctx
            .db
            .query_all_raw(Statement::from_string(
                f.ctx.db.get_database_backend(),
                format!(
                    "SELECT payload FROM kit_outbox WHERE kind = '{}'",
                    catalog::APPOINTMENT_REMINDER_DUE
                ),
            ))
            .await
            .unwrap();
        let mut reminded: Vec<i64> = payloads
            .iter()
            .map(|row| {
                let event: serde_json::Value =
                    serde_json::from_str(&row.try_get_by_index::<String>(0).unwrap()).unwrap();
                event["data"]["appointment_id"].as_i64().unwrap()
            })
            .collect();
        reminded.sort_unstable();
        ids.sort_unstable();
        assert_eq!(reminded, ids, "one reminder per appointment");

        // A patient who wants reminders one hour ahead: a visit in five hours is not due yet.
        let doc2 = f.doctor(41, 5041, "UTC").await;
        let early = f.patient(498, 7498).await;
        let lead = catalog::NotificationPreferencesChanged {
            user_id: 7498,
            email: true,
            sms: true,
            in_app: true,
            reminder_hours_before: 1,
        };
        f.publish(catalog::NOTIFICATION_PREFERENCES_CHANGED, serde_json::to_value(lead).unwrap()).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let mut offset = 300;
        while chrono::Timelike::hour(
            &(chrono::Utc::now() + chrono::Duration::minutes(offset)).with_timezone(&tz),
        ) >= 23
        {
            offset += 31;
        }
        let (slot, date) = f.slot_in(&doc2, tz, offset).await;
        assert_eq!(f.book(&early, 41, slot, date).await.status, StatusCode::CREATED);
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert_eq!(count(&f, &reminders).await, 20, "the patient's own lead time applies");

        // Expiry: a pending appointment whose start has passed (written as
        // imported history would be: the API refuses to book the past).
        let backend_kind = f.ctx.db.get_database_backend();
        let start = chrono::Utc::now() - chrono::Duration::hours(1);
        let insert = Statement::from_sql_and_values(
            backend_kind,
            "INSERT INTO appointments (reason, status, appointment_date, patient_id, doctor_id, schedule_id, \
             start_at, end_at, active_slot, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                "imported".into(),
                "pending".into(),
                start.date_naive().into(),
                499i64.into(),
                40i64.into(),
                999i64.into(),
                start.into(),
                (start + chrono::Duration::minutes(30)).into(),
                true.into(),
                start.into(),
                start.into(),
            ],
        );
        f.ctx.db.execute_raw(insert).await.unwrap();
        let id = count(&f, "SELECT MAX(id) FROM appointments").await;
        let mut status = String::new();
        for _ in 0..100 {
            status = f.get(&format!("/api/v1/appointments/{id}"), Some(&f.admin)).await.body["status"]
                .as_str()
                .unwrap()
                .to_owned();
            if status == "expired" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        assert_eq!(status, "expired");
        let expired =
            format!("SELECT COUNT(*) FROM kit_outbox WHERE kind = '{}'", catalog::APPOINTMENT_EXPIRED);
        assert_eq!(count(&f, &expired).await, 1);
        f.cleanup().await;
    }
}
