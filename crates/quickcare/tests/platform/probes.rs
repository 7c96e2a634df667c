//! Readiness means "can serve": with Redis stopped every service stays
//! ready (the body and `/metrics` say the bus is down) and writes still
//! succeed; with its database gone a service is unready; liveness never
//! looks at either (distributed; embedded has neither to lose). And a
//! platform started with its optional settings empty, as Compose passes
//! them, starts and works as with them unset.

use crate::support::{
    Mode, Options, PrivateRedis,
    api::{Api, unique_cin, unique_email},
};
use serde_json::Value;
use tokio::{net::TcpListener, task::JoinSet};

/// A TCP forwarder on loopback in front of MariaDB: what the services see
/// as their database, so the test can take it away from them (and only
/// them) by stopping it.
struct DbLink {
    port: u16,
    task: tokio::task::JoinHandle<()>,
}

impl DbLink {
    async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let task = tokio::spawn(async move {
            // Every connection's copy lives in this set: aborting the task
            // drops the set, which cuts them all.
            let mut links = JoinSet::new();
            while let Ok((mut client, _)) = listener.accept().await {
                links.spawn(async move {
                    if let Ok(mut server) = tokio::net::TcpStream::connect("127.0.0.1:3306").await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
            }
        });
        Self { port, task }
    }

    fn url(&self) -> String {
        format!("mysql://root@127.0.0.1:{}", self.port)
    }

    /// The database is gone: open connections cut, new ones refused.
    async fn cut(self) {
        self.task.abort();
        let _ = self.task.await;
    }
}

async fn get(url: &str) -> (u16, String, Value, String) {
    let res = kit::testing::TestClient::url(url).get("").send().await;
    let ct = res.header("content-type").unwrap_or_default().to_owned();
    (res.status.as_u16(), ct, res.body.clone(), res.text())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_follows_the_database_not_the_bus() {
    if !crate::support::modes().contains(&Mode::Distributed) {
        return;
    }
    let mut redis = PrivateRedis::start().await.unwrap();
    let db = DbLink::start().await;
    let mut opts = Options { redis_url: Some(redis.url()), ..Options::default() };
    opts.env.insert("QUICKCARE_DATABASE_URL".into(), db.url());
    let p = crate::support::start(Mode::Distributed, opts).await;
    let services: Vec<(String, String)> = p
        .auth
        .iter()
        .chain(&p.patients)
        .chain(&p.others)
        .map(|proc| (proc.name.clone(), proc.url()))
        .collect();
    assert_eq!(services.len(), 6);

    redis.stop().await;
    for (name, url) in &services {
        let (status, _, body, _) = get(&format!("{url}/health/ready")).await;
        assert_eq!(status, 200, "{name} must stay ready without its bus: {body}");
        assert_eq!(body["checks"]["database"], "ok", "{name}: {body}");
        assert_eq!(body["checks"]["bus"], "down", "{name}: {body}");
        let (_, _, _, metrics) = get(&format!("{url}/metrics")).await;
        assert!(
            metrics.contains(&format!("event_bus_up{{service=\"{name}\"}} 0")),
            "{name}'s /metrics must show the bus down"
        );
    }
    let (status, _, body, _) = get(&format!("{}/health/ready", p.url())).await;
    assert_eq!(status, 200, "the gateway still has ready instances of every service: {body}");
    let api = Api::new(&p.url());
    let email = unique_email("probe");
    let r = api
        .post("/api/v1/auth/register", None, crate::support::api::registration(&email, &unique_cin()))
        .await;
    assert_eq!(r.status, 201, "writes succeed while the bus is away (outbox): {}", r.body);

    redis.resume().await.unwrap();
    db.cut().await;
    for (name, url) in &services {
        let (status, ct, body, _) = get(&format!("{url}/health/ready")).await;
        assert_eq!(
            (status, ct.as_str()),
            (503, "application/problem+json"),
            "{name} without its database: {body}"
        );
        assert!(body["detail"].as_str().unwrap().contains("database down"), "{name}: {body}");
        let (status, _, _, _) = get(&format!("{url}/health/live")).await;
        assert_eq!(status, 200, "liveness is the process only ({name})");
    }
    p.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_platform_with_empty_settings_runs_as_with_none() {
    if !crate::support::modes().contains(&Mode::Embedded) {
        return;
    }
    let mut opts = Options::default();
    for key in [
        "SMTP_URL",
        "SMS_URL",
        "OTLP_ENDPOINT",
        "REDIS_URL",
        "DATABASE_URL",
        "SERVICES",
        "ENCRYPTION_KEYS",
        "CORS_ORIGINS",
        "OBJECT_STORE_URL",
        "PUBLIC_URL",
        "MAIL_FROM",
        "RATE_LIMIT_PER_MINUTE",
        "CONFIG",
    ] {
        opts.env.insert(format!("QUICKCARE_{key}"), String::new());
    }
    // `QUICKCARE_SMTP_URL=` made every process exit ("relative URL without a base").
    let p = crate::support::start(Mode::Embedded, opts).await;
    let api = Api::new(&p.url());
    let email = unique_email("empty");
    let r = api
        .post("/api/v1/auth/register", None, crate::support::api::registration(&email, &unique_cin()))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let forgot = api.post("/api/v1/auth/password/forgot", None, serde_json::json!({"email": email})).await;
    assert_eq!(forgot.status, 202);
    // Mail goes to the dev mailbox, with the default public URL in the link.
    let mail = crate::support::wait_mail(&p, &email, "/reset-password?token=").await;
    assert!(mail.text.contains("http://127.0.0.1:8080/reset-password?token="), "{}", mail.text);
    p.stop().await;
}
