//! Scheduled jobs: every due reminder yields exactly one `reminder_due`
//! event however many replicas poll, a patient's own lead time applies,
//! and past pending appointments expire.

use std::time::Duration;

use kit::{
    events::catalog,
    testing::{Backend, TestEnv, eventually},
};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Statement};

use crate::support::TestApp;
use kit::ids::UserId;

/// The service with its jobs ticking every 50 ms.
async fn busy_app(backend: Backend) -> TestApp {
    let mut env = TestEnv::new(backend);
    env.settings.jobs_interval_ms = 50;
    TestApp::start_with(env).await
}

/// A UTC slot time `offset` minutes or more ahead that stays inside one day
/// (ends before midnight); returns the offset used.
fn same_day_offset(mut offset: i64) -> i64 {
    let hour = |offset| chrono::Timelike::hour(&(chrono::Utc::now() + chrono::Duration::minutes(offset)));
    while hour(offset) >= 23 {
        offset += 31;
    }
    offset
}

kit::per_backend! {
    async fn reminders_fire_once_with_two_replicas(backend: Backend) {
        let app = busy_app(backend).await;
        let second = app.replica().await;
        let doc = app.doctor(40, 5040, "UTC").await;

        // Twenty appointments inside the 24 h lead, booked over both replicas.
        let mut ids = Vec::new();
        let mut offset = 120;
        while ids.len() < 20 {
            offset = same_day_offset(offset + 31);
            let (slot, date) = app.slot_in(&doc, chrono_tz::UTC, offset).await;
            let n = ids.len() as i64;
            let patient = app.patient(400 + n, 7400 + n).await;
            let instance = if n % 2 == 0 { &app.api } else { &second };
            let r = app.book_on(instance, &patient, 40, slot, date).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
            ids.push(r.id());
        }
        eventually("twenty reminders", || async {
            (app.announced(catalog::EventType::AppointmentReminderDue).await >= 20).then_some(())
        })
        .await;
        // Both replicas keep polling a while longer: still one each.
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(app.announced(catalog::EventType::AppointmentReminderDue).await, 20);
        let mut reminded: Vec<i64> = app
            .announcements(catalog::EventType::AppointmentReminderDue)
            .await
            .iter()
            .map(|data| data["appointment_id"].as_i64().unwrap())
            .collect();
        reminded.sort_unstable();
        ids.sort_unstable();
        assert_eq!(reminded, ids, "one reminder per appointment");
        app.cleanup().await;
    }

    async fn a_patients_own_lead_time_delays_the_reminder(backend: Backend) {
        let app = busy_app(backend).await;
        // A patient who wants reminders one hour ahead: a visit in five hours is not due yet.
        let doc = app.doctor(41, 5041, "UTC").await;
        let early = app.patient(498, 7498).await;
        let lead = catalog::NotificationPreferencesChanged {
            user_id: UserId(7498),
            email: true,
            sms: true,
            in_app: true,
            reminder_hours_before: 1,
        };
        app.publish(catalog::EventType::NotificationPreferencesChanged, serde_json::to_value(lead).unwrap()).await;
        let lead_of_498 = "SELECT COALESCE(MAX(reminder_minutes), 0) FROM patient_directory WHERE patient_id = 498";
        eventually("the lead time to arrive", || async { (app.count(lead_of_498).await == 60).then_some(()) })
            .await;
        let (slot, date) = app.slot_in(&doc, chrono_tz::UTC, same_day_offset(300)).await;
        assert_eq!(app.book(&early, 41, slot, date).await.status, StatusCode::CREATED);
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert_eq!(
            app.announced(catalog::EventType::AppointmentReminderDue).await,
            0,
            "the patient's own lead time applies"
        );
        app.cleanup().await;
    }

    async fn a_past_pending_appointment_expires(backend: Backend) {
        let app = busy_app(backend).await;
        // Written as imported history would be: the API refuses to book the past.
        let start = chrono::Utc::now() - chrono::Duration::hours(1);
        let insert = Statement::from_sql_and_values(
            app.ctx.db.get_database_backend(),
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
        app.ctx.db.execute_raw(insert).await.unwrap();
        let id = app.count("SELECT MAX(id) FROM appointments").await;
        eventually("the appointment to expire", || async {
            (app.appointment(&app.admin, id).await.body["status"] == "expired").then_some(())
        })
        .await;
        assert_eq!(app.announced(catalog::EventType::AppointmentExpired).await, 1);
        app.cleanup().await;
    }
}
