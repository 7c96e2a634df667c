//! A booking through the gateway reaches the patient in the app, by mail
//! (a real SMTP server on loopback) and by SMS (an HTTP endpoint on
//! loopback), in both run modes.

use std::sync::{Arc, Mutex};

use crate::support::{
    Options,
    api::{Api, PASSWORD, unique_cin, unique_email},
    next, ready,
};
use axum::{Json, Router, routing::post};
use chrono::Weekday;
use kit::testing::{SmtpSink, eventually};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn sms_endpoint() -> (String, Arc<Mutex<Vec<Value>>>) {
    let got: Arc<Mutex<Vec<Value>>> = Arc::default();
    let store = got.clone();
    let app = Router::new().route(
        "/sms",
        post(move |Json(body): Json<Value>| {
            let store = store.clone();
            async move {
                store.lock().unwrap().push(body);
                Json(json!({"status": "queued"}))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/sms", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, got)
}

kit::per_backend! {
    async fn a_booking_reaches_app_mail_and_phone(backend: Backend) {
        let mode = crate::support::mode(backend);
        let smtp = SmtpSink::start().await;
        let (sms_url, texts) = sms_endpoint().await;
        let mut opts = Options::default();
        opts.env.insert("QUICKCARE_SMTP_URL".into(), smtp.url());
        opts.env.insert("QUICKCARE_SMS_URL".into(), sms_url);
        let p = crate::support::start(mode, opts).await;
        let api = Api::new(&p.url());
        let admin_email = unique_email("admin");
        p.create_admin(&admin_email, PASSWORD).await.unwrap();
        let admin = api.login(&admin_email, PASSWORD).await.body["access_token"].as_str().unwrap().to_owned();
        let specialty = api.post("/api/v1/specialties", Some(&admin), json!({"name": "Pediatrics"})).await;
        let doctor_email = unique_email("doc");
        let doctor = api
            .post(
                "/api/v1/doctors",
                Some(&admin),
                json!({"name": "Dr Alaoui", "email": doctor_email, "password": PASSWORD, "gender": "female",
                    "phone": "0522111222", "birth_date": "1972-02-02", "address": {"street": "1 Rue", "city": "Fès"},
                    "degree": "MD", "specialty_id": specialty.body["id"]}),
            )
            .await;
        assert_eq!(doctor.status, StatusCode::CREATED, "{}", doctor.body);
        let doctor_id = doctor.body["id"].as_i64().unwrap();
        let doctor_token =
            api.login(&doctor_email, PASSWORD).await.body["access_token"].as_str().unwrap().to_owned();
        let probe = format!("/api/v1/availability?doctor_id={doctor_id}&date=2030-01-01");
        ready(&api, &probe, None).await;
        let slot = api
            .post("/api/v1/schedules", Some(&doctor_token), json!({"day": "Wednesday", "start": "11:00"}))
            .await;
        let patient_email = unique_email("pat");
        let (_, patient, _) = api.register(&patient_email, &unique_cin()).await;
        let date = next(Weekday::Wed);
        let body =
            json!({"doctor_id": doctor_id, "schedule_id": slot.body["id"], "date": date, "reason": "fever"});
        // 409 until the patient record reached the appointment service.
        let booked = eventually("the booking to be taken", || async {
            let booked = api.post("/api/v1/appointments", Some(&patient), body.clone()).await;
            (booked.status != StatusCode::CONFLICT).then_some(booked)
        })
        .await;
        assert_eq!(booked.status, StatusCode::CREATED, "{}", booked.body);
        eventually("the in-app notification of the booking", || async {
            let list = api.get("/api/v1/notifications", Some(&patient)).await.body;
            list["data"]
                .as_array()
                .unwrap()
                .iter()
                .find(|n| n["title"].as_str().unwrap().contains("Dr Alaoui"))
                .cloned()
        })
        .await;
        let mailed = || {
            smtp.messages()
                .iter()
                .any(|m| m.to.iter().any(|t| t.contains(&patient_email)) && m.data.contains("calendar"))
        };
        let texted = || texts.lock().unwrap().iter().any(|t| t["to"] == "0612345678");
        eventually(&format!("{mode:?}: a booking mail with an invite"), || async { mailed().then_some(()) }).await;
        eventually(&format!("{mode:?}: an SMS"), || async { texted().then_some(()) }).await;
        p.stop().await;
    }
}
