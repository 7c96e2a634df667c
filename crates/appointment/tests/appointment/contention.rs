//! Booking under contention, with real concurrent HTTP requests: the
//! database's no-double-booking rule lets exactly one of many through.

use chrono::{Duration, NaiveDate, Utc, Weekday};
use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::json;

use crate::support::{TestApp, next_weekday};

const DOCTOR: i64 = 10;

/// Doctor 10 and fifty patients; returns the doctor's token, the
/// patients' tokens and a Tuesday at least two days ahead.
async fn crowd(app: &TestApp) -> (String, Vec<String>, NaiveDate) {
    let doctor = app.doctor(DOCTOR, 5010, "Africa/Casablanca").await;
    let mut patients = Vec::new();
    for i in 0..50 {
        patients.push(app.patient(100 + i, 6000 + i).await);
    }
    let tuesday = next_weekday(Utc::now().date_naive() + Duration::days(2), Weekday::Tue);
    (doctor, patients, tuesday)
}

kit::per_backend! {
    async fn fifty_patients_race_for_one_slot_and_one_wins(backend: Backend) {
        let app = TestApp::start(backend).await;
        let (doctor, patients, date) = crowd(&app).await;
        let contested = app.slot(&doctor, json!({"day": "Tuesday", "start": "09:00"})).await;
        let attempts = join_all(patients.iter().map(|p| app.book(p, DOCTOR, contested, date))).await;
        let won = attempts.iter().filter(|r| r.status == StatusCode::CREATED).count();
        let lost = attempts.iter().filter(|r| r.status == StatusCode::CONFLICT).count();
        assert_eq!((won, lost), (1, 49), "{:?}", attempts.iter().map(|r| r.status).collect::<Vec<_>>());
        let all = app.list(Some(&app.admin), &format!("doctor_id={DOCTOR}&from={date}&to={date}")).await;
        assert_eq!(all.body["total"], 1, "one row in the database");
        app.cleanup().await;
    }

    async fn fifty_reschedules_race_for_one_free_slot_and_the_losers_stay(backend: Backend) {
        let app = TestApp::start(backend).await;
        let (doctor, patients, date) = crowd(&app).await;
        // Fifty booked appointments on fifty slots, all moving to one free slot.
        let thursday = next_weekday(date, Weekday::Thu);
        let mut booked = Vec::new();
        for (i, p) in patients.iter().enumerate() {
            let start = format!("{:02}:{:02}", 8 + i / 4, (i % 4) * 15);
            let end = format!("{:02}:{:02}", 8 + (i + 1) / 4, ((i + 1) % 4) * 15);
            let slot = app.slot(&doctor, json!({"day": "Thursday", "start": start, "end": end})).await;
            let r = app.book(p, DOCTOR, slot, thursday).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
            booked.push((p.clone(), r.id()));
        }
        let target = app.slot(&doctor, json!({"day": "Friday", "start": "16:00"})).await;
        let friday = next_weekday(date, Weekday::Fri);
        let moves = join_all(booked.iter().map(|(p, id)| app.reschedule(p, *id, target, friday))).await;
        let won = moves.iter().filter(|r| r.status == StatusCode::OK).count();
        let lost = moves.iter().filter(|r| r.status == StatusCode::CONFLICT).count();
        assert_eq!((won, lost), (1, 49));
        let there = app.list(Some(&app.admin), &format!("doctor_id={DOCTOR}&from={friday}&to={friday}")).await;
        assert_eq!(there.body["total"], 1);
        // The losers kept their old slots: fifty active appointments on Thursday minus the mover.
        let query = format!("doctor_id={DOCTOR}&status=pending&from={thursday}&to={thursday}");
        assert_eq!(app.list(Some(&app.admin), &query).await.body["total"], 49);
        app.cleanup().await;
    }
}
