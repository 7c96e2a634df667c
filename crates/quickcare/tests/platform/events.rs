//! Events between services survive what production does to processes:
//! profiles follow registrations quickly, through a kill -9 of the consumer
//! and through a Redis outage, each exactly once.

use std::time::Duration;

use crate::support::{
    Mode, Options, PrivateRedis,
    api::{Api, unique_cin, unique_email},
};
use sea_orm::{ConnectionTrait, Statement};

kit::per_backend! {
    async fn registration_yields_a_profile(backend: Backend) {
        let mode = crate::support::mode(backend);
        let p = crate::support::start(mode, Options::default()).await;
        let api = Api::new(&p.url());
        for _ in 0..3 {
            let (_, token, _) = api.register(&unique_email("fast"), &unique_cin()).await;
            api.wait_profile(&token, Duration::from_secs(10)).await;
        }
        p.stop().await;
    }
}

async fn count(db: &sea_orm::DatabaseConnection, sql: &str) -> i64 {
    let row =
        db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

async fn registered_users(api: &Api, n: usize) -> Vec<String> {
    let mut tokens = Vec::new();
    for _ in 0..n {
        tokens.push(api.register(&unique_email("burst"), &unique_cin()).await.1);
    }
    tokens
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn patient_service_killed_mid_stream_loses_and_doubles_nothing() {
    if !crate::support::modes().contains(&Mode::Distributed) {
        return;
    }
    let mut p = crate::support::start(Mode::Distributed, Options::default()).await;
    let api = Api::new(&p.url());
    let mut tokens = registered_users(&api, 5).await;
    // Kill while events are flowing, register while it is down: these
    // commit in auth and wait in its outbox / on the stream.
    let burst = {
        let api = api.clone();
        tokio::spawn(async move { registered_users(&api, 10).await })
    };
    tokio::time::sleep(Duration::from_millis(150)).await;
    p.patients[0].kill9().await;
    tokens.extend(burst.await.unwrap());
    tokens.extend(registered_users(&api, 5).await);
    p.patients[0].start().unwrap();
    p.patients[0].wait_ready().await.unwrap();
    for t in &tokens {
        api.wait_profile(t, Duration::from_secs(30)).await;
    }
    let db = p.database("patient").await.unwrap();
    assert_eq!(count(&db, "SELECT COUNT(*) FROM patients").await, tokens.len() as i64, "exactly once");
    p.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registrations_survive_a_redis_outage() {
    if !crate::support::modes().contains(&Mode::Distributed) {
        return;
    }
    let mut redis = PrivateRedis::start().await.unwrap();
    let opts = Options { redis_url: Some(redis.url()), ..Options::default() };
    let p = crate::support::start(Mode::Distributed, opts).await;
    let api = Api::new(&p.url());
    let mut tokens = registered_users(&api, 3).await;
    redis.stop().await;
    let outage = std::time::Instant::now();
    while outage.elapsed() < Duration::from_secs(10) {
        let email = unique_email("outage");
        let r = api
            .post("/api/v1/auth/register", None, crate::support::api::registration(&email, &unique_cin()))
            .await;
        assert_eq!(r.status, 201, "registration failed while Redis was down: {}", r.body);
        tokens.push(r.body["access_token"].as_str().unwrap().to_owned());
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    redis.resume().await.unwrap();
    for t in &tokens {
        api.wait_profile(t, Duration::from_secs(30)).await;
    }
    let db = p.database("patient").await.unwrap();
    assert_eq!(count(&db, "SELECT COUNT(*) FROM patients").await, tokens.len() as i64);
    p.stop().await;
}
