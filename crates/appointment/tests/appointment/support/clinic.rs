//! One doctor's Wednesday, for the tests of booking and the status machine:
//! doctor 20 with three adjoining weekly slots, a second doctor (21) and
//! two patients.

use std::ops::Deref;

use chrono::{Duration, NaiveDate, Utc, Weekday};
use kit::testing::Backend;
use reqwest::StatusCode;
use serde_json::json;

use super::{TestApp, next_weekday};

/// The doctor whose slots the clinic offers.
pub const DOCTOR: i64 = 20;
pub const OTHER_DOCTOR: i64 = 21;

pub struct Clinic {
    pub app: TestApp,
    /// Doctor 20's token, in Africa/Casablanca.
    pub doc: String,
    /// Doctor 21's token: sees none of doctor 20's appointments.
    pub other_doc: String,
    /// Patient 200's token.
    pub a: String,
    /// Patient 201's token.
    pub b: String,
    /// A Wednesday at least two days ahead (past every cancellation deadline).
    pub day: NaiveDate,
    /// Wednesdays 09:00–09:30 (written in lower case: day names are case-insensitive).
    pub s1: i64,
    /// Wednesdays 09:30–10:00.
    pub s2: i64,
    /// Wednesdays 10:00–10:30.
    pub s3: i64,
}

impl Deref for Clinic {
    type Target = TestApp;
    fn deref(&self) -> &TestApp {
        &self.app
    }
}

impl Clinic {
    pub async fn open(backend: Backend) -> Self {
        let app = TestApp::start(backend).await;
        let doc = app.doctor(DOCTOR, 5020, "Africa/Casablanca").await;
        let other_doc = app.doctor(OTHER_DOCTOR, 5021, "Africa/Casablanca").await;
        let a = app.patient(200, 6200).await;
        let b = app.patient(201, 6201).await;
        let day = next_weekday(Utc::now().date_naive() + Duration::days(2), Weekday::Wed);
        let s1 = app.slot(&doc, json!({"day": "wednesday", "start": "09:00"})).await;
        let s2 = app.slot(&doc, json!({"day": "Wednesday", "start": "09:30", "end": "10:00"})).await;
        let s3 = app.slot(&doc, json!({"day": "Wednesday", "start": "10:00"})).await;
        Self { app, doc, other_doc, a, b, day, s1, s2, s3 }
    }

    /// Books `patient` on `slot` at `date`; returns the appointment's id.
    pub async fn booked_on(&self, patient: &str, slot: i64, date: NaiveDate) -> i64 {
        let r = self.book(patient, DOCTOR, slot, date).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        r.id()
    }

    /// Books `patient` on `slot` on the clinic's day.
    pub async fn booked(&self, patient: &str, slot: i64) -> i64 {
        self.booked_on(patient, slot, self.day).await
    }

    /// Books `patient` on `slot` on the clinic's day, approved by its doctor.
    pub async fn approved(&self, patient: &str, slot: i64) -> i64 {
        let id = self.booked(patient, slot).await;
        let r = self.act(&self.doc, id, "approve", json!({})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        id
    }

    pub async fn close(self) {
        self.app.cleanup().await;
    }
}
