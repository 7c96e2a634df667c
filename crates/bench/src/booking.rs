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

/// What the booking scenarios start from.
struct Setup {
    doctor_id: i64,
    doctor_token: String,
    admin_token: String,
    slots: Vec<i64>,
}

/// An admin, and a doctor with 224 weekly slots, ready to book.
async fn doctor(http: &reqwest::Client, platform: &Platform) -> anyhow::Result<Setup> {
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
    Ok(Setup { doctor_id: id, doctor_token: token, admin_token: admin, slots })
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
    let Setup { doctor_id, doctor_token, admin_token, slots } = doctor(http, platform).await?;
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
        load::run(
            "availability 31 days",
            config,
            availability(http.clone(), base.clone(), doctor_id, from, 31),
        )
        .await?,
    );
    drain(http, &base, &doctor_token).await?;
    eprintln!("waiting for every consumer and the mail/SMS senders to finish …");
    let settled = platform.settle(Duration::from_secs(900)).await?;
    let sent = deliveries_done(http, &base, &admin_token).await?;
    eprintln!("settled in {:.1} s, deliveries in {:.1} s more", settled.as_secs_f64(), sent.as_secs_f64());
    eprintln!("booking → in-app notification (event to inbox) …");
    out.push(event_to_inbox(http, &base, doctor_id, &patients, &plan, &next, config).await?);
    Ok(out)
}

/// Steady bookings, one worker per patient: each holds its patient's
/// notification stream open (as the web app does), books, and waits for the
/// new notification to be pushed. The latency is booking accepted -> pushed:
/// event -> outbox -> bus -> notification service (row committed, so the
/// inbox lists it) -> live fan-out -> stream. Waiting on the stream rather
/// than polling the list keeps the measurement from loading the platform.
async fn event_to_inbox(
    http: &reqwest::Client,
    base: &str,
    doctor: i64,
    patients: &Arc<Vec<User>>,
    plan: &Arc<Vec<(i64, NaiveDate)>>,
    next: &Arc<AtomicUsize>,
    config: &Config,
) -> anyhow::Result<Outcome> {
    let workers = config.concurrency.min(patients.len());
    let measured_from = std::time::Instant::now() + config.warmup;
    let deadline = measured_from + config.duration;
    let mut tasks = Vec::new();
    for w in 0..workers {
        let (http, base, patients, plan, next) =
            (http.clone(), base.to_owned(), patients.clone(), plan.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let token = patients[w].token.clone();
            let mut hist = hdrhistogram::Histogram::<u64>::new_with_bounds(1, 60_000_000, 3)?;
            let mut errors = 0u64;
            let mut pushes = Pushes::open(&http, &base, &token).await?;
            while std::time::Instant::now() < deadline {
                let Some((schedule, date)) = plan.get(next.fetch_add(1, Ordering::Relaxed)).copied() else {
                    break;
                };
                let body =
                    json!({"doctor_id": doctor, "schedule_id": schedule, "date": date, "reason": "bench"});
                let booked = http
                    .post(format!("{base}/api/v1/appointments"))
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await;
                match booked {
                    Ok(r) if r.status().as_u16() == 201 => {}
                    Ok(r) => {
                        if errors == 0 {
                            eprintln!(
                                "worker {w}: booking answered {}: {}",
                                r.status(),
                                r.text().await.unwrap_or_default()
                            );
                        }
                        errors += 1;
                        continue;
                    }
                    Err(e) => {
                        if errors == 0 {
                            eprintln!("worker {w}: booking failed: {e}");
                        }
                        errors += 1;
                        continue;
                    }
                }
                let accepted = std::time::Instant::now();
                if !pushes.next(Duration::from_secs(30)).await? {
                    errors += 1;
                    continue;
                }
                if accepted >= measured_from {
                    hist.saturating_record(accepted.elapsed().as_micros() as u64);
                }
            }
            anyhow::Ok((hist, errors))
        }));
    }
    let mut histogram = hdrhistogram::Histogram::<u64>::new_with_bounds(1, 60_000_000, 3)?;
    let mut errors = 0;
    for t in tasks {
        let (h, e) = t.await??;
        histogram.add(h)?;
        errors += e;
    }
    Ok(Outcome { name: "booking -> in-app pushed".into(), histogram, errors, elapsed: config.duration })
}

/// One user's open `GET /api/v1/notifications/stream`.
struct Pushes {
    body: std::pin::Pin<Box<dyn futures::Stream<Item = reqwest::Result<bytes::Bytes>> + Send>>,
    /// Text received and not yet counted (an event may span chunks).
    pending: String,
}

impl Pushes {
    async fn open(http: &reqwest::Client, base: &str, token: &str) -> anyhow::Result<Self> {
        let res = http.get(format!("{base}/api/v1/notifications/stream")).bearer_auth(token).send().await?;
        anyhow::ensure!(res.status().is_success(), "notification stream answered {}", res.status());
        Ok(Self { body: Box::pin(res.bytes_stream()), pending: String::new() })
    }

    /// Waits for the next pushed notification; false after `timeout`.
    async fn next(&mut self, timeout: Duration) -> anyhow::Result<bool> {
        const EVENT: &str = "event: notification";
        let give_up = tokio::time::Instant::now() + timeout;
        loop {
            if let Some(at) = self.pending.find(EVENT) {
                self.pending.drain(..at + EVENT.len());
                return Ok(true);
            }
            match tokio::time::timeout_at(give_up, futures::StreamExt::next(&mut self.body)).await {
                Err(_) => return Ok(false),
                Ok(None) => anyhow::bail!("the notification stream ended"),
                Ok(Some(chunk)) => self.pending.push_str(&String::from_utf8_lossy(&chunk?)),
            }
        }
    }
}

/// Waits until the notification service has caught up with every booking
/// so far (the doctor hears of each), so the next scenario measures the
/// steady state, not the backlog; prints how long catching up took.
async fn drain(http: &reqwest::Client, base: &str, doctor: &str) -> anyhow::Result<()> {
    let res = http.get(format!("{base}/api/v1/appointments?per_page=1")).bearer_auth(doctor).send().await?;
    let booked = res.json::<Value>().await?["total"].as_u64().context("appointment total")?;
    let started = std::time::Instant::now();
    eprintln!("waiting for the notification service to catch up with {booked} bookings …");
    while inbox_total(http, base, doctor).await.unwrap_or(0) < booked + 1 {
        anyhow::ensure!(started.elapsed() < Duration::from_secs(900), "notifications never caught up");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    eprintln!("caught up in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// Waits until no mail or SMS is left queued, and returns how long it took.
async fn deliveries_done(http: &reqwest::Client, base: &str, admin: &str) -> anyhow::Result<Duration> {
    let started = std::time::Instant::now();
    loop {
        let res = http
            .get(format!("{base}/api/v1/notification-deliveries?status=queued&per_page=1"))
            .bearer_auth(admin)
            .send()
            .await?;
        if res.json::<Value>().await?["total"].as_u64() == Some(0) {
            return Ok(started.elapsed());
        }
        anyhow::ensure!(started.elapsed() < Duration::from_secs(900), "deliveries never finished");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// How many notifications the patient has.
async fn inbox_total(http: &reqwest::Client, base: &str, token: &str) -> Option<u64> {
    let res =
        http.get(format!("{base}/api/v1/notifications?per_page=1")).bearer_auth(token).send().await.ok()?;
    res.json::<Value>().await.ok()?["total"].as_u64()
}
