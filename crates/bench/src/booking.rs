//! Booking and availability under load: one doctor with a year of weekly
//! slots (7 days × 32 half-hours) and 10,000 appointments, booked through
//! the gateway by 100 patients.

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use anyhow::Context;
use chrono::{Duration as Days, NaiveDate, Utc};
use harness::Platform;
use serde_json::{Value, json};

use crate::{
    load::{self, Config, Outcome, Request},
    scenarios::{PASSWORD, User, register},
};

const APPOINTMENTS: usize = 10_000;
const PATIENTS: usize = 100;
const DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

async fn post(
    http: &reqwest::Client,
    url: String,
    token: Option<&str>,
    body: Value,
) -> anyhow::Result<(u16, Value)> {
    let mut req = http.post(url).json(&body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await?;
    let status = res.status().as_u16();
    Ok((status, res.json().await.unwrap_or(Value::Null)))
}

async fn login(http: &reqwest::Client, base: &str, email: &str) -> anyhow::Result<String> {
    let (status, body) =
        post(http, format!("{base}/api/v1/auth/login"), None, json!({"email": email, "password": PASSWORD}))
            .await?;
    anyhow::ensure!(status == 200, "login answered {status}");
    Ok(body["access_token"].as_str().context("no token")?.to_owned())
}

/// Polls `url` until it answers 200 (events are still flowing), up to 20 s.
async fn ready(http: &reqwest::Client, url: &str, token: Option<&str>) -> anyhow::Result<Value> {
    for _ in 0..200 {
        let mut req = http.get(url);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Ok(res) = req.send().await
            && res.status().is_success()
        {
            return Ok(res.json().await?);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::bail!("{url} never became ready")
}

/// A doctor with 224 weekly slots, ready to book; returns (doctor id, slot ids).
async fn doctor(http: &reqwest::Client, platform: &Platform) -> anyhow::Result<(i64, Vec<i64>)> {
    let base = platform.url();
    let admin_email = format!("bench-admin-{}@example.com", uuid::Uuid::new_v4().simple());
    platform.create_admin(&admin_email, PASSWORD).await?;
    let admin = login(http, &base, &admin_email).await?;
    let email = format!("bench-doctor-{}@example.com", uuid::Uuid::new_v4().simple());
    let body = json!({"name": "Dr Bench", "email": email, "password": PASSWORD, "gender": "female",
        "phone": "0522000000", "role": "doctor", "birth_date": "1970-01-01",
        "address": {"street": "1 Bd Bench", "city": "Rabat"},
        "doctor": {"degree": "MD", "specialty_id": 1, "timezone": "Africa/Casablanca"}});
    let (status, _) = post(http, format!("{base}/api/v1/admin/users"), Some(&admin), body).await?;
    anyhow::ensure!(status == 201, "creating the doctor answered {status}");
    let token = login(http, &base, &email).await?;
    let me = ready(http, &format!("{base}/api/v1/doctors/me"), Some(&token)).await?;
    let id = me["id"].as_i64().context("doctor id")?;
    let probe = format!("{base}/api/v1/availability?doctor_id={id}&date={}", Utc::now().date_naive());
    ready(http, &probe, None).await?;
    let mut slots = Vec::new();
    for day in DAYS {
        for half_hour in 0..32 {
            let start = format!("{:02}:{:02}", 7 + half_hour / 2, (half_hour % 2) * 30);
            let (status, body) = post(
                http,
                format!("{base}/api/v1/schedules"),
                Some(&token),
                json!({"day": day, "start": start}),
            )
            .await?;
            anyhow::ensure!(status == 201, "creating a slot answered {status}: {body}");
            slots.push(body["id"].as_i64().context("slot id")?);
        }
    }
    Ok((id, slots))
}

/// Every (slot, date) of the coming year, in a scattered but repeatable order.
fn slot_dates(slots: &[i64], from: NaiveDate) -> Vec<(i64, NaiveDate)> {
    let mut all = Vec::new();
    for day in 0..364 {
        let date = from + Days::days(day);
        let weekday = chrono::Datelike::weekday(&date).num_days_from_monday() as usize;
        for s in &slots[weekday * 32..weekday * 32 + 32] {
            all.push((*s, date));
        }
    }
    // A fixed stride permutation: neighbours in time land far apart.
    let n = all.len();
    (0..n).map(|i| all[(i * 7919) % n]).collect()
}

fn book(
    http: reqwest::Client,
    base: String,
    doctor: i64,
    patients: Arc<Vec<User>>,
    plan: Arc<Vec<(i64, NaiveDate)>>,
    next: Arc<AtomicUsize>,
) -> Request {
    Arc::new(move |i| {
        let (http, url) = (http.clone(), format!("{base}/api/v1/appointments"));
        let token = patients[i % patients.len()].token.clone();
        let k = next.fetch_add(1, Ordering::Relaxed);
        let slot = plan.get(k).copied();
        Box::pin(async move {
            let Some((schedule, date)) = slot else { return false };
            let body = json!({"doctor_id": doctor, "schedule_id": schedule, "date": date, "reason": "bench"});
            http.post(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .is_ok_and(|r| r.status().as_u16() == 201)
        })
    })
}

fn availability(http: reqwest::Client, base: String, doctor: i64, from: NaiveDate, days: i64) -> Request {
    Arc::new(move |i| {
        let start = from + Days::days((i as i64 * 13) % (364 - days));
        let url = if days == 1 {
            format!("{base}/api/v1/availability?doctor_id={doctor}&date={start}")
        } else {
            format!(
                "{base}/api/v1/availability?doctor_id={doctor}&from={start}&to={}",
                start + Days::days(days - 1)
            )
        };
        let http = http.clone();
        Box::pin(async move { http.get(url).send().await.is_ok_and(|r| r.status().is_success()) })
    })
}

pub async fn run_all(
    platform: &Platform,
    config: &Config,
    http: &reqwest::Client,
) -> anyhow::Result<Vec<Outcome>> {
    let base = platform.url();
    eprintln!("creating a doctor with a year of weekly slots …");
    let (doctor_id, slots) = doctor(http, platform).await?;
    eprintln!("registering {PATIENTS} patients …");
    let patients = Arc::new(register(http, &base, PATIENTS).await?);
    for p in patients.iter() {
        ready(http, &format!("{base}/api/v1/appointments"), Some(&p.token)).await?;
    }
    let from = Utc::now().date_naive() + Days::days(1);
    let plan = Arc::new(slot_dates(&slots, from));
    let next = Arc::new(AtomicUsize::new(0));
    let booker = book(http.clone(), base.clone(), doctor_id, patients.clone(), plan.clone(), next.clone());
    eprintln!("booking (each request a free slot) …");
    let mut out = vec![load::run("book via gateway", config, booker.clone()).await?];
    let booked = next.load(Ordering::Relaxed);
    if booked < APPOINTMENTS {
        eprintln!("topping up to {APPOINTMENTS} appointments (not measured) …");
        let fill = Config {
            duration: Duration::from_secs(600),
            warmup: Duration::ZERO,
            concurrency: config.concurrency,
        };
        load::until(&fill, booker, || next.load(Ordering::Relaxed) >= APPOINTMENTS).await?;
    }
    eprintln!("availability, one day …");
    out.push(
        load::run("availability 1 day", config, availability(http.clone(), base.clone(), doctor_id, from, 1))
            .await?,
    );
    eprintln!("availability, 31 days …");
    out.push(
        load::run("availability 31 days", config, availability(http.clone(), base, doctor_id, from, 31))
            .await?,
    );
    Ok(out)
}
