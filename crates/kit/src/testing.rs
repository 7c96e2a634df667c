//! Test support for every crate's integration tests (feature `testing`):
//! isolated settings per test (own SQLite dir, or own MySQL databases and
//! Redis key prefix via a unique namespace), a ready [`ServiceContext`], a
//! token issuer, a real SMTP server on loopback, and [`TestClient`], the
//! one way a test calls a service.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod client;
mod multipart;

pub use client::{Call, Reply, TestClient};
pub use multipart::FilePart;

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use clap::{CommandFactory, FromArgMatches, Parser};
use jsonwebtoken::jwk::JwkSet;
use sea_orm::{ConnectionTrait, Database, Statement};
use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::TcpListener,
};
use tokio_util::sync::CancellationToken;

use crate::{
    config::Settings,
    crypto::Keyring,
    events::{Bus, InProcessBus, RedisBus},
    identity::{AUDIENCE, Claims, ISSUER, JwksSource, JwtVerifier, Revocations, Role},
    mail::DevMailbox,
    service::ServiceContext,
    signing::SigningKey,
};

/// Which storage a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite files in a temp dir, in-process bus, in-memory limits.
    Sqlite,
    /// MariaDB at `QUICKCARE_TEST_MYSQL_URL` (default `mysql://root@127.0.0.1:3306`)
    /// and Redis at `QUICKCARE_TEST_REDIS_URL` (default `redis://127.0.0.1:6379`).
    MySql,
}

/// Backends to run, from `QUICKCARE_TEST_BACKENDS` (`sqlite,mysql` by default).
pub fn backends() -> Vec<Backend> {
    let spec = std::env::var("QUICKCARE_TEST_BACKENDS").unwrap_or_else(|_| "sqlite,mysql".into());
    let mut out = Vec::new();
    if spec.contains("sqlite") {
        out.push(Backend::Sqlite);
    }
    if spec.contains("mysql") {
        out.push(Backend::MySql);
    }
    out
}

pub fn mysql_url() -> String {
    std::env::var("QUICKCARE_TEST_MYSQL_URL").unwrap_or_else(|_| "mysql://root@127.0.0.1:3306".into())
}

pub fn redis_url() -> String {
    std::env::var("QUICKCARE_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

/// `t_<unix secs>_<random>`: unique, and old ones can be recognised and dropped.
pub fn unique_namespace() -> String {
    format!("t_{}_{}", chrono::Utc::now().timestamp(), &uuid::Uuid::new_v4().simple().to_string()[..8])
}

#[derive(Parser)]
struct SettingsOnly {
    #[command(flatten)]
    settings: Settings,
}

/// Default settings, ignoring the environment of whoever runs the tests.
pub fn default_settings() -> Settings {
    let cmd = crate::config::empty_means_unset(SettingsOnly::command(), &Default::default());
    let mut s = SettingsOnly::from_arg_matches(&cmd.get_matches_from(["test"])).unwrap().settings;
    s.database_url = None;
    s.redis_url = None;
    s.smtp_url = None;
    s.sms_url = None;
    s.services = None;
    s.otlp_endpoint = None;
    s.web_dir = None;
    s.encryption_keys = None;
    s.demo = Some("0".into());
    s
}

/// Isolated settings: a fresh temp data dir and a unique namespace.
/// Keep the returned [`TestEnv`] alive for the test's duration.
pub struct TestEnv {
    pub settings: Settings,
    pub backend: Backend,
    pub dir: tempfile::TempDir,
    bus: Mutex<Option<Arc<dyn Bus>>>,
    fanout: Mutex<Option<Arc<dyn crate::fanout::Fanout>>>,
}

impl TestEnv {
    pub fn new(backend: Backend) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut settings = default_settings();
        settings.data_dir = dir.path().to_path_buf();
        settings.namespace = unique_namespace();
        if backend == Backend::MySql {
            settings.database_url = Some(mysql_url());
            settings.redis_url = Some(redis_url());
            // Any key works; distributed mode requires one to be given.
            settings.encryption_keys = Some("test:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".into());
        }
        Self { settings, backend, dir, bus: Mutex::new(None), fanout: Mutex::new(None) }
    }

    /// The env's one bus, shared by every context made from it.
    pub async fn bus(&self) -> Arc<dyn Bus> {
        if let Some(b) = self.bus.lock().unwrap().clone() {
            return b;
        }
        let bus: Arc<dyn Bus> = match self.backend {
            Backend::Sqlite => InProcessBus::new(),
            Backend::MySql => RedisBus::connect(&redis_url(), &self.settings.namespace).await.unwrap(),
        };
        self.bus.lock().unwrap().get_or_insert(bus).clone()
    }

    /// A context for service `name` with `issuer`'s keys trusted.
    /// The env's one fan-out, shared by every context made from it (Redis
    /// pub/sub on the MySQL backend, so contexts meet as processes would).
    pub fn fanout(&self) -> Arc<dyn crate::fanout::Fanout> {
        let mut slot = self.fanout.lock().unwrap();
        slot.get_or_insert_with(|| {
            crate::fanout::from_settings(&self.settings, CancellationToken::new()).unwrap()
        })
        .clone()
    }

    /// Revocations as one process of this env sees them: its own listener
    /// on the env's fan-out (and Redis on the MySQL backend).
    pub async fn revocations(&self) -> Arc<Revocations> {
        Revocations::start(&self.settings, self.fanout(), CancellationToken::new()).await.unwrap()
    }

    pub async fn context(&self, name: &'static str, issuer: &Arc<TestIssuer>) -> ServiceContext {
        let settings = Arc::new(self.settings.clone());
        let db = crate::db::connect(&settings, name).await.unwrap();
        let source: Arc<dyn JwksSource> = issuer.clone();
        let verifier = JwtVerifier::new(source).with_revocations(self.revocations().await);
        ServiceContext {
            name,
            db,
            bus: self.bus().await,
            verifier: Arc::new(verifier),
            mailer: Arc::new(self.mailbox()),
            limiter: crate::ratelimit::from_settings(&settings).await.unwrap(),
            keyring: Arc::new(Keyring::from_settings(&settings).unwrap()),
            peers: Arc::new(crate::peer::Peers::empty()),
            fanout: self.fanout(),
            objects: Arc::new(crate::objects::Objects::local(&settings.data_dir.join("uploads")).unwrap()),
            shutdown: CancellationToken::new(),
            settings,
        }
    }

    pub fn mailbox(&self) -> DevMailbox {
        DevMailbox::new(self.dir.path().join("mailbox"))
    }

    /// Drops this env's MySQL databases and Redis keys, and stale ones
    /// (older than two hours) that crashed runs left behind.
    pub async fn cleanup(self) {
        if self.backend != Backend::MySql {
            return;
        }
        let admin = Database::connect(mysql_url()).await.unwrap();
        let backend = admin.get_database_backend();
        let rows = admin.query_all_raw(Statement::from_string(backend, "SHOW DATABASES")).await.unwrap();
        let cutoff = chrono::Utc::now().timestamp() - 7200;
        for row in rows {
            let name: String = row.try_get_by_index(0).unwrap();
            let mine = name.starts_with(&format!("{}_", self.settings.namespace));
            let stale = name
                .strip_prefix("t_")
                .and_then(|r| r.split('_').next())
                .and_then(|secs| secs.parse::<i64>().ok())
                .is_some_and(|secs| secs < cutoff);
            if mine || stale {
                let _ = crate::db::drop_mysql_database(&mysql_url(), &name).await;
            }
        }
        let client = redis::Client::open(redis_url()).unwrap();
        let mut conn = client.get_multiplexed_async_connection().await.unwrap();
        let keys: Vec<String> = redis::cmd("KEYS")
            .arg(format!("{}:*", self.settings.namespace))
            .query_async(&mut conn)
            .await
            .unwrap();
        if !keys.is_empty() {
            let _: () = redis::cmd("DEL").arg(keys).query_async(&mut conn).await.unwrap();
        }
    }
}

/// Signs access tokens with its own Ed25519 key and serves that key as a
/// JWKS, for services under test that must trust tokens without auth.
pub struct TestIssuer {
    key: SigningKey,
}

impl TestIssuer {
    pub fn new() -> Arc<Self> {
        Arc::new(Self { key: SigningKey::generate().unwrap() })
    }

    pub fn claims(user_id: i64, role: Role, ttl_secs: i64) -> Claims {
        let now = chrono::Utc::now().timestamp();
        Claims {
            sub: user_id.to_string(),
            role,
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            exp: now + ttl_secs,
            iat: now.min(now + ttl_secs),
            jti: uuid::Uuid::new_v4().to_string(),
            sid: None,
        }
    }

    /// A valid 15-minute access token for `user_id` with `role`.
    pub fn token(&self, user_id: i64, role: Role) -> String {
        self.token_with(&Self::claims(user_id, role, 900))
    }

    /// A token that expired a minute ago.
    pub fn expired_token(&self, user_id: i64, role: Role) -> String {
        self.token_with(&Self::claims(user_id, role, -60))
    }

    pub fn token_with(&self, claims: &Claims) -> String {
        self.key.sign(claims).unwrap()
    }
}

#[async_trait::async_trait]
impl JwksSource for TestIssuer {
    async fn fetch(&self) -> anyhow::Result<JwkSet> {
        Ok(JwkSet { keys: vec![self.key.public_jwk()] })
    }
}

/// How a [`SmtpSink`] answers `MAIL FROM`.
#[derive(Debug, Clone, Copy, Default)]
pub struct SmtpBehavior {
    /// Refuse this many transactions first …
    pub fail_first: usize,
    /// … with this code (4xx transient, 5xx permanent).
    pub code: u16,
}

/// A received message.
#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

/// A minimal real SMTP server on 127.0.0.1 that stores what it receives.
pub struct SmtpSink {
    port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    attempts: Arc<Mutex<usize>>,
    shutdown: CancellationToken,
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

impl SmtpSink {
    pub async fn start() -> Self {
        Self::start_with(SmtpBehavior::default()).await
    }

    pub async fn start_with(behavior: SmtpBehavior) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let sink = Self {
            port,
            received: Arc::default(),
            attempts: Arc::default(),
            shutdown: CancellationToken::new(),
        };
        let (received, attempts, shutdown) =
            (sink.received.clone(), sink.attempts.clone(), sink.shutdown.clone());
        tokio::spawn(async move {
            loop {
                let (socket, _) = tokio::select! {
                    _ = shutdown.cancelled() => return,
                    accepted = listener.accept() => match accepted { Ok(a) => a, Err(_) => continue },
                };
                let (received, attempts) = (received.clone(), attempts.clone());
                tokio::spawn(async move {
                    let _ = session(socket, behavior, received, attempts).await;
                });
            }
        });
        sink
    }

    /// `smtp://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Messages received so far.
    pub fn messages(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// Transactions begun (`MAIL FROM`), refused ones included.
    pub fn attempts(&self) -> usize {
        *self.attempts.lock().unwrap()
    }

    /// Waits until `n` messages have arrived (or panics after `timeout`).
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Received> {
        eventually_within(&format!("{n} mails to arrive"), timeout, || async {
            let got = self.messages();
            (got.len() >= n).then_some(got)
        })
        .await
    }
}

async fn session(
    socket: tokio::net::TcpStream,
    behavior: SmtpBehavior,
    received: Arc<Mutex<Vec<Received>>>,
    attempts: Arc<Mutex<usize>>,
) -> std::io::Result<()> {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read).lines();
    write.write_all(b"220 sink ESMTP ready\r\n").await?;
    let mut current: Option<Received> = None;
    while let Some(line) = lines.next_line().await? {
        let upper = line.to_ascii_uppercase();
        let reply: String = if upper.starts_with("EHLO") {
            "250-sink\r\n250 8BITMIME".into()
        } else if upper.starts_with("HELO") || upper.starts_with("NOOP") {
            "250 ok".into()
        } else if upper.starts_with("RSET") {
            current = None;
            "250 ok".into()
        } else if upper.starts_with("MAIL FROM:") {
            let n = {
                let mut a = attempts.lock().unwrap();
                *a += 1;
                *a
            };
            if n <= behavior.fail_first {
                format!("{} refused by test sink", behavior.code)
            } else {
                current = Some(Received { from: line[10..].trim().into(), to: vec![], data: String::new() });
                "250 ok".into()
            }
        } else if upper.starts_with("RCPT TO:") {
            match current.as_mut() {
                Some(m) => {
                    m.to.push(line[8..].trim().into());
                    "250 ok".into()
                }
                None => "503 need MAIL first".into(),
            }
        } else if upper == "DATA" {
            write.write_all(b"354 end with .\r\n").await?;
            let mut data = String::new();
            while let Some(l) = lines.next_line().await? {
                if l == "." {
                    break;
                }
                data.push_str(l.strip_prefix('.').unwrap_or(&l));
                data.push('\n');
            }
            match current.take() {
                Some(mut m) => {
                    m.data = data;
                    received.lock().unwrap().push(m);
                    "250 queued".into()
                }
                None => "503 need MAIL first".into(),
            }
        } else if upper.starts_with("QUIT") {
            write.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else {
            "502 not implemented".into()
        };
        write.write_all(format!("{reply}\r\n").as_bytes()).await?;
    }
    Ok(())
}

/// Polls `probe` until it yields `Some`, every 20 ms for up to 10 s, and
/// returns that value; panics naming `what` when time runs out. The one
/// way tests wait for something that happens after an answer (an event
/// consumed, a mail sent, a job run) instead of sleeping.
pub async fn eventually<T, F, Fut>(what: &str, probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    eventually_within(what, Duration::from_secs(10), probe).await
}

/// [`eventually`] with another limit, for what takes longer by design (a
/// restarted process rejoining, a whole platform's verifiers).
pub async fn eventually_within<T, F, Fut>(what: &str, limit: Duration, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        if let Some(value) = probe().await {
            return value;
        }
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// True when `QUICKCARE_TEST_BACKENDS` selects `backend`.
pub fn selected(backend: Backend) -> bool {
    backends().contains(&backend)
}

/// Declares one behaviour as two tests, `<name>::sqlite` and
/// `<name>::mysql`, so a failure says which backend broke and nextest runs
/// them in parallel; a backend left out of `QUICKCARE_TEST_BACKENDS`
/// passes without running.
///
/// ```ignore
/// kit::per_backend! {
///     async fn books_a_free_slot(backend: Backend) {
///         let app = TestApp::start(backend).await;
///         …
///     }
/// }
/// ```
#[macro_export]
macro_rules! per_backend {
    ($($(#[$meta:meta])* async fn $name:ident($backend:ident : Backend) $body:block)+) => {$(
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($backend: $crate::testing::Backend) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                if $crate::testing::selected($crate::testing::Backend::Sqlite) {
                    run($crate::testing::Backend::Sqlite).await;
                }
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn mysql() {
                if $crate::testing::selected($crate::testing::Backend::MySql) {
                    run($crate::testing::Backend::MySql).await;
                }
            }
        }
    )+};
}

/// Serves `router` on a fresh loopback port (with the peer's address, as in
/// production) until `shutdown` is cancelled; its base URL.
pub async fn serve(router: axum::Router, shutdown: CancellationToken) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>())
            .with_graceful_shutdown(async move { shutdown.cancelled().await })
            .await
            .unwrap();
    });
    base
}
