//! Kill -9 the notification service in the middle of a burst of 200
//! bookings, restart it: every booking produced exactly one booking mail
//! and one in-app notification for its patient — none lost, none doubled.

use std::{
    collections::HashSet,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use crate::support::{
    Mode, Options,
    api::{Api, PASSWORD, unique_cin, unique_email},
    next, ready,
};
use chrono::{Duration as Days, Weekday};
use futures::future::join_all;
use kit::testing::SmtpSink;
use reqwest::StatusCode;
use serde_json::json;

const PATIENTS: usize = 20;
const WEEKS: i64 = 10;

/// Message-IDs of the booking mails (the patients', in French by default).
fn booking_mails(smtp: &SmtpSink) -> (usize, HashSet<String>) {
    let mut raw = 0;
    let mut ids = HashSet::new();
    for m in smtp.messages() {
        let Some(parsed) = mail_parser::MessageParser::default().parse(m.data.as_bytes()) else { continue };
        if parsed.subject().unwrap_or_default().starts_with("Rendez-vous demandé") {
            raw += 1;
            ids.insert(parsed.message_id().unwrap_or_default().to_owned());
        }
    }
    (raw, ids)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn notification_service_killed_mid_burst_loses_and_doubles_nothing() {
    if !crate::support::modes().contains(&Mode::Distributed) {
        return;
    }
    let smtp = SmtpSink::start().await;
    let mut opts = Options::default();
    opts.env.insert("QUICKCARE_SMTP_URL".into(), smtp.url());
    let mut p = crate::support::start(Mode::Distributed, opts).await;
    let api = Api::new(&p.url());
    let admin_email = unique_email("admin");
    p.create_admin(&admin_email, PASSWORD).await.unwrap();
    let admin = api.login(&admin_email, PASSWORD).await.body["access_token"].as_str().unwrap().to_owned();
    let specialty =
        api.post("/api/v1/specialties", Some(&admin), json!({"name": "Neurology"})).await.body["id"].clone();
    let email = unique_email("doc");
    let created = api
        .post(
            "/api/v1/doctors",
            Some(&admin),
            json!({"name": "Dr Burst", "email": email, "password": PASSWORD, "gender": "male", "phone": "0522000001",
                "birth_date": "1970-01-01", "address": {"street": "1 Rue", "city": "Oujda"}, "degree": "MD",
                "specialty_id": specialty}),
        )
        .await;
    let doctor_id = created.body["id"].as_i64().unwrap();
    let doctor = api.login(&email, PASSWORD).await.body["access_token"].as_str().unwrap().to_owned();
    ready(&api, &format!("/api/v1/availability?doctor_id={doctor_id}&date=2030-01-01"), None).await;
    let mut slots = Vec::new();
    for i in 0..PATIENTS {
        let start = format!("{:02}:{:02}", 8 + i / 2, (i % 2) * 30);
        let r = api.post("/api/v1/schedules", Some(&doctor), json!({"day": "Monday", "start": start})).await;
        slots.push(r.body["id"].as_i64().unwrap());
    }
    let mut patients = Vec::new();
    for _ in 0..PATIENTS {
        patients.push(api.register(&unique_email("burst"), &unique_cin()).await.1);
    }
    for t in &patients {
        ready(&api, "/api/v1/appointments", Some(t)).await;
    }
    let monday = next(Weekday::Mon);

    // The burst: patient i books slot i on ten Mondays, eight requests at a time.
    let booked = Arc::new(AtomicUsize::new(0));
    let burst = {
        let (api, patients, booked) = (api.clone(), patients.clone(), booked.clone());
        tokio::spawn(async move {
            let mut plan = Vec::new();
            for week in 0..WEEKS {
                for (i, t) in patients.iter().enumerate() {
                    let date = monday + Days::weeks(week);
                    plan.push((
                        t.clone(),
                        json!({"doctor_id": doctor_id, "schedule_id": slots[i], "date": date, "reason": "b"}),
                    ));
                }
            }
            for chunk in plan.chunks(8) {
                let answers =
                    join_all(chunk.iter().map(|(t, b)| api.post("/api/v1/appointments", Some(t), b.clone())))
                        .await;
                for a in answers {
                    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
                    booked.fetch_add(1, Ordering::Relaxed);
                }
            }
        })
    };
    while booked.load(Ordering::Relaxed) < 60 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let notification = p.others.iter_mut().find(|s| s.name == "notification").unwrap();
    notification.kill9().await;
    burst.await.unwrap();
    notification.start().unwrap();
    notification.wait_ready().await.unwrap();

    let deadline = Instant::now() + Duration::from_secs(60);
    for t in &patients {
        loop {
            let total = api.get("/api/v1/notifications?per_page=100", Some(t)).await.body["total"].clone();
            if total == 1 + WEEKS {
                break;
            }
            assert!(Instant::now() < deadline, "a patient has {total} notifications, not {}", 1 + WEEKS);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    let wanted = PATIENTS * WEEKS as usize;
    while booking_mails(&smtp).1.len() < wanted && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Settle: nothing more should arrive.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (raw, distinct) = booking_mails(&smtp);
    assert_eq!(distinct.len(), wanted, "one booking mail per booking");
    eprintln!("booking mails: {raw} transmitted, {} distinct Message-IDs", distinct.len());
    for t in &patients {
        assert_eq!(
            api.get("/api/v1/notifications?per_page=100", Some(t)).await.body["total"],
            1 + WEEKS,
            "no doubles"
        );
    }
    p.stop().await;
}
