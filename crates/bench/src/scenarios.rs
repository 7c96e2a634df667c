//! The measured scenarios. Each is a name and a request closure; adding a
//! scenario (booking, availability, event-to-inbox) is one more entry.

use std::sync::Arc;

use anyhow::Context;
use harness::{Mode, Platform};
use serde_json::json;

use crate::{
    load::{self, Config, Outcome, Request},
    nginx::{self, Nginx},
};

pub const PASSWORD: &str = "bench password 1";

pub struct User {
    pub email: String,
    pub token: String,
}

pub async fn register(http: &reqwest::Client, base: &str, n: usize) -> anyhow::Result<Vec<User>> {
    let mut users = Vec::with_capacity(n);
    for i in 0..n {
        let email = format!("bench{i}-{}@example.com", &uuid::Uuid::new_v4().simple().to_string()[..8]);
        let body = json!({
            "name": format!("Bench User {i}"), "email": email, "password": PASSWORD, "gender": "female",
            "phone": "0612345678", "cin": format!("BE{i:06}"), "birth_date": "1990-01-01",
            "address": {"street": "1 Rue Bench", "city": "Rabat"}
        });
        let res = http.post(format!("{base}/api/v1/auth/register")).json(&body).send().await?;
        anyhow::ensure!(res.status().as_u16() == 201, "registration answered {}", res.status());
        let v: serde_json::Value = res.json().await?;
        let token = v["access_token"].as_str().context("no access token")?.to_owned();
        users.push(User { email, token });
    }
    Ok(users)
}

fn get_me(http: reqwest::Client, base: String, users: Arc<Vec<User>>) -> Request {
    Arc::new(move |i| {
        let (http, url) = (http.clone(), format!("{base}/api/v1/auth/me"));
        let token = users[i % users.len()].token.clone();
        Box::pin(async move {
            http.get(url).bearer_auth(token).send().await.is_ok_and(|r| r.status().is_success())
        })
    })
}

fn login(http: reqwest::Client, base: String, users: Arc<Vec<User>>) -> Request {
    Arc::new(move |i| {
        let (http, url) = (http.clone(), format!("{base}/api/v1/auth/login"));
        let user = i % users.len();
        let body = json!({"email": users[user].email, "password": PASSWORD});
        let client = client_address(user);
        Box::pin(async move {
            let sent = http.post(url).header("x-forwarded-for", client).json(&body).send().await;
            sent.is_ok_and(|r| r.status().is_success())
        })
    })
}

/// Each user logs in from an address of their own, as patients do from
/// home: from one address the login throttle and the per-address share of
/// the password-hashing pool would refuse most of the load by design
/// (the platform trusts the bench as its proxy, see `main.rs`).
fn client_address(user: usize) -> String {
    format!("10.0.{}.{}", user / 250, user % 250 + 1)
}

/// Login, then `GET /auth/me` via the gateway, via nginx (when installed,
/// distributed only) and straight to auth. The three `/me` rows run in
/// `rounds` interleaved slices of `duration / rounds` each, merged per
/// row, so drift in the machine's load spreads over all three alike.
pub async fn run_all(
    platform: &Platform,
    config: &Config,
    http: &reqwest::Client,
    n_users: usize,
    rounds: usize,
) -> anyhow::Result<Vec<Outcome>> {
    let http = http.clone();
    let gateway = platform.url();
    eprintln!("registering {n_users} users …");
    let users = Arc::new(register(&http, &gateway, n_users).await?);
    let mut out = Vec::new();
    eprintln!("login via gateway …");
    out.push(
        load::run("login via gateway", config, login(http.clone(), gateway.clone(), users.clone())).await?,
    );
    let mut targets = vec![("me via gateway", gateway.clone())];
    let mut proxy = None;
    if platform.mode == Mode::Distributed {
        match nginx::binary() {
            Some(bin) => {
                let started = Nginx::start(&bin, &platform.auth_direct()).await?;
                targets.push(("me via nginx", started.url.clone()));
                proxy = Some(started);
            }
            None => eprintln!("no nginx binary (apt-get install nginx-light): the nginx row is skipped"),
        }
        targets.push(("me direct (auth)", platform.auth_direct()));
    }
    let rounds = rounds.max(1);
    let slice = Config {
        duration: config.duration / rounds as u32,
        warmup: config.warmup / rounds as u32,
        concurrency: config.concurrency,
    };
    let mut merged: Vec<Option<Outcome>> = targets.iter().map(|_| None).collect();
    for round in 1..=rounds {
        for ((name, base), slot) in targets.iter().zip(merged.iter_mut()) {
            eprintln!("GET /auth/me: {name}, round {round}/{rounds} …");
            let o = load::run(name, &slice, get_me(http.clone(), base.clone(), users.clone())).await?;
            *slot = Some(match slot.take() {
                Some(prev) => prev.merge(o)?,
                None => o,
            });
        }
    }
    if let Some(p) = proxy {
        p.stop().await;
    }
    out.extend(merged.into_iter().flatten());
    Ok(out)
}
