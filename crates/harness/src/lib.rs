//! A whole QuickCare platform started from the real `quickcare` binary as
//! processes on loopback ports — embedded (`up`), or distributed (`serve
//! auth`, `serve patient` ×N, `serve gateway`) on MariaDB + Redis. Used by
//! the whole-platform tests and by the benchmark, so both exercise exactly
//! what an operator runs.

pub mod redis_server;

use std::{
    collections::BTreeMap,
    net::TcpListener,
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

use anyhow::{Context, bail};
use base64::Engine;
use tokio::process::{Child, Command};

pub const MYSQL_URL: &str = "mysql://root@127.0.0.1:3306";
pub const REDIS_URL: &str = "redis://127.0.0.1:6379";

/// A free loopback port (bound and released; good enough on a test machine).
pub fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// One `quickcare` process that can be killed (-9) and started again with
/// the same environment and port.
pub struct Proc {
    pub name: String,
    pub bin: PathBuf,
    pub args: Vec<String>,
    pub env: BTreeMap<String, String>,
    pub port: u16,
    /// Let the process's logs through to this one's stderr.
    pub show_logs: bool,
    /// Otherwise its logs (warnings and errors) go to this file, printed
    /// when the test fails.
    pub log: PathBuf,
    child: Option<Child>,
}

impl Proc {
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The running process's id (to read its memory from `/proc`).
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().and_then(Child::id)
    }

    pub fn start(&mut self) -> anyhow::Result<()> {
        let mut cmd = Command::new(&self.bin);
        cmd.args(&self.args).env_clear();
        for key in ["PATH", "HOME"] {
            if let Ok(v) = std::env::var(key) {
                cmd.env(key, v);
            }
        }
        let stderr = if self.show_logs {
            std::process::Stdio::inherit()
        } else {
            std::fs::OpenOptions::new().create(true).append(true).open(&self.log)?.into()
        };
        cmd.envs(&self.env)
            .env("QUICKCARE_HTTP_ADDR", format!("127.0.0.1:{}", self.port))
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(stderr)
            .kill_on_drop(true);
        self.child = Some(cmd.spawn().with_context(|| format!("starting {}", self.bin.display()))?);
        Ok(())
    }

    /// SIGKILL: no shutdown hooks, no flushing.
    pub async fn kill9(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill().await;
        }
    }

    pub async fn wait_ready(&self) -> anyhow::Result<()> {
        wait_ready(&self.url(), &self.name).await
    }

    /// The last lines the process logged to its file, if any.
    fn log_tail(&self, lines: usize) -> Option<String> {
        let text = std::fs::read_to_string(&self.log).ok()?;
        let all: Vec<&str> = text.lines().collect();
        Some(all[all.len().saturating_sub(lines)..].join("\n"))
    }
}

/// Polls `/health/ready` for up to a minute.
pub async fn wait_ready(base: &str, what: &str) -> anyhow::Result<()> {
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let answer = client.get(format!("{base}/health/ready")).timeout(Duration::from_secs(2)).send().await;
        if answer.is_ok_and(|r| r.status().is_success()) {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("{what} at {base} did not become ready");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Which way the platform runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Embedded,
    Distributed,
}

/// The modes `QUICKCARE_TEST_BACKENDS` asks for (`sqlite` → embedded,
/// `mysql` → distributed; both by default).
pub fn modes() -> Vec<Mode> {
    let backends = std::env::var("QUICKCARE_TEST_BACKENDS").unwrap_or_else(|_| "sqlite,mysql".into());
    let mut out = Vec::new();
    if backends.contains("sqlite") {
        out.push(Mode::Embedded);
    }
    if backends.contains("mysql") {
        out.push(Mode::Distributed);
    }
    out
}

/// Services the distributed platform runs besides auth and patient, one
/// process each unless `Options::instances` says more.
pub const OTHER_SERVICES: &[&str] = &["doctor", "appointment", "notification", "rating"];

#[derive(Debug, Clone)]
pub struct Options {
    pub patient_instances: usize,
    /// Instances of each of [`OTHER_SERVICES`] by name (1 when absent).
    pub instances: BTreeMap<String, usize>,
    /// Overrides for every process's environment.
    pub env: BTreeMap<String, String>,
    /// Distributed mode: use this Redis instead of the shared one.
    pub redis_url: Option<String>,
    pub show_logs: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            patient_instances: 1,
            instances: BTreeMap::new(),
            env: BTreeMap::new(),
            redis_url: None,
            show_logs: std::env::var_os("QUICKCARE_TEST_LOGS").is_some(),
        }
    }
}

/// A running platform; `url()` is what clients use.
pub struct Platform {
    pub mode: Mode,
    pub namespace: String,
    pub dir: tempfile::TempDir,
    pub gateway: Proc,
    pub auth: Option<Proc>,
    pub patients: Vec<Proc>,
    /// Distributed: the processes of [`OTHER_SERVICES`].
    pub others: Vec<Proc>,
}

impl Platform {
    pub async fn start(bin: &Path, mode: Mode, opts: Options) -> anyhow::Result<Platform> {
        let dir = tempfile::tempdir()?;
        let namespace = kit_namespace();
        let mut env = BTreeMap::from([
            ("QUICKCARE_DATA_DIR".to_owned(), dir.path().display().to_string()),
            ("QUICKCARE_NAMESPACE".to_owned(), namespace.clone()),
            ("QUICKCARE_DEMO".to_owned(), "0".to_owned()),
            ("QUICKCARE_LOG".to_owned(), "warn".to_owned()),
            // Loads come from one IP: the edge limit is tested on its own.
            ("QUICKCARE_RATE_LIMIT_PER_MINUTE".to_owned(), "10000000".to_owned()),
        ]);
        let log_dir = dir.path().to_path_buf();
        let proc = |name: &str, args: &[&str], env: BTreeMap<String, String>| -> anyhow::Result<Proc> {
            let port = free_port()?;
            Ok(Proc {
                name: name.into(),
                bin: bin.to_path_buf(),
                args: args.iter().map(|a| (*a).to_owned()).collect(),
                env,
                port,
                show_logs: opts.show_logs,
                log: log_dir.join(format!("{name}-{port}.log")),
                child: None,
            })
        };
        match mode {
            Mode::Embedded => {
                env.extend(opts.env.clone());
                let mut gateway = proc("up", &["up"], env)?;
                gateway.start()?;
                gateway.wait_ready().await?;
                Ok(Platform {
                    mode,
                    namespace,
                    dir,
                    gateway,
                    auth: None,
                    patients: Vec::new(),
                    others: Vec::new(),
                })
            }
            Mode::Distributed => {
                let mut key = [0u8; 32];
                key[..16].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
                key[16..].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
                let key = base64::engine::general_purpose::STANDARD.encode(key);
                env.insert("QUICKCARE_DATABASE_URL".into(), MYSQL_URL.into());
                env.insert(
                    "QUICKCARE_REDIS_URL".into(),
                    opts.redis_url.clone().unwrap_or_else(|| REDIS_URL.into()),
                );
                env.insert("QUICKCARE_ENCRYPTION_KEYS".into(), format!("k1:{key}"));
                env.extend(opts.env.clone());
                let mut auth = proc("auth", &["serve", "auth"], env.clone())?;
                let mut patients = Vec::new();
                for _ in 0..opts.patient_instances {
                    patients.push(proc("patient", &["serve", "patient"], env.clone())?);
                }
                let mut others = Vec::new();
                for name in OTHER_SERVICES {
                    for _ in 0..opts.instances.get(*name).copied().unwrap_or(1) {
                        others.push(proc(name, &["serve", name], env.clone())?);
                    }
                }
                let mut services = format!(
                    "auth={};patient={}",
                    auth.url(),
                    patients.iter().map(Proc::url).collect::<Vec<_>>().join(",")
                );
                for name in OTHER_SERVICES {
                    let urls: Vec<String> =
                        others.iter().filter(|p| p.name == *name).map(Proc::url).collect();
                    services.push_str(&format!(";{name}={}", urls.join(",")));
                }
                auth.env.insert("QUICKCARE_SERVICES".into(), services.clone());
                auth.start()?;
                auth.wait_ready().await?;
                for p in patients.iter_mut().chain(others.iter_mut()) {
                    p.env.insert("QUICKCARE_SERVICES".into(), services.clone());
                    p.start()?;
                }
                for p in patients.iter().chain(others.iter()) {
                    p.wait_ready().await?;
                }
                env.insert("QUICKCARE_SERVICES".into(), services);
                let mut gateway = proc("gateway", &["serve", "gateway"], env)?;
                gateway.start()?;
                gateway.wait_ready().await?;
                Ok(Platform { mode, namespace, dir, gateway, auth: Some(auth), patients, others })
            }
        }
    }

    pub fn url(&self) -> String {
        self.gateway.url()
    }

    /// Base URL of the auth service itself (distributed), else the gateway.
    pub fn auth_direct(&self) -> String {
        self.auth.as_ref().map(Proc::url).unwrap_or_else(|| self.url())
    }

    /// Base URL of the first patient instance (distributed), else the gateway.
    pub fn patient_direct(&self) -> String {
        self.patients.first().map(Proc::url).unwrap_or_else(|| self.url())
    }

    /// Stops every process and drops the MySQL databases and Redis keys.
    pub async fn stop(mut self) {
        self.gateway.kill9().await;
        if let Some(a) = self.auth.as_mut() {
            a.kill9().await;
        }
        for p in self.patients.iter_mut().chain(self.others.iter_mut()) {
            p.kill9().await;
        }
        if self.mode == Mode::Distributed {
            for svc in ["auth", "patient"].iter().chain(OTHER_SERVICES) {
                let _ = kit::db::drop_mysql_database(MYSQL_URL, &format!("{}_{svc}", self.namespace)).await;
            }
            let _ = delete_redis_keys(&self.namespace).await;
        }
    }

    /// Waits until every consumer group has taken and acknowledged every
    /// event so far, and returns how long that took. Distributed only: the
    /// embedded bus hands each event over before the publisher moves on.
    /// A measurement that follows then sees a settled platform, not
    /// services still working through a backlog on the same cores.
    pub async fn settle(&self, timeout: Duration) -> anyhow::Result<Duration> {
        let started = Instant::now();
        let Some(url) = self.gateway.env.get("QUICKCARE_REDIS_URL") else {
            return Ok(Duration::ZERO);
        };
        let client = redis::Client::open(url.as_str())?;
        let mut conn = client.get_multiplexed_async_connection().await?;
        let stream = format!("{}:events", self.namespace);
        loop {
            let info: redis::streams::StreamInfoGroupsReply =
                redis::cmd("XINFO").arg("GROUPS").arg(&stream).query_async(&mut conn).await?;
            if info.groups.iter().all(|g| g.pending == 0 && g.lag == Some(0)) {
                return Ok(started.elapsed());
            }
            anyhow::ensure!(started.elapsed() < timeout, "consumers did not catch up within {timeout:?}");
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }

    /// Creates an admin account with the CLI (`quickcare admin create`)
    /// against this platform's storage, as an operator would.
    pub async fn create_admin(&self, email: &str, password: &str) -> anyhow::Result<()> {
        let mut cmd = tokio::process::Command::new(&self.gateway.bin);
        cmd.args(["admin", "create", "--email", email, "--name", "Admin"]).env_clear();
        if let Ok(path) = std::env::var("PATH") {
            cmd.env("PATH", path);
        }
        let out = cmd
            .envs(&self.gateway.env)
            .env("QUICKCARE_ADMIN_PASSWORD", password)
            .stdout(std::process::Stdio::null())
            .output()
            .await?;
        anyhow::ensure!(
            out.status.success(),
            "admin create failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Ok(())
    }

    /// A raw connection to one service's database, for at-rest checks.
    pub async fn database(&self, service: &str) -> anyhow::Result<sea_orm::DatabaseConnection> {
        let url = match self.mode {
            Mode::Distributed => format!("{MYSQL_URL}/{}_{service}", self.namespace),
            Mode::Embedded => {
                format!("sqlite://{}?mode=rw", self.dir.path().join(format!("{service}.db")).display())
            }
        };
        Ok(sea_orm::Database::connect(url).await?)
    }
}

/// A failing test shows what the services logged (warnings and errors):
/// a 500 in a test is otherwise a mystery.
impl Drop for Platform {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            return;
        }
        let procs =
            std::iter::once(&self.gateway).chain(&self.auth).chain(&self.patients).chain(&self.others);
        for p in procs {
            if let Some(tail) = p.log_tail(60).filter(|t| !t.is_empty()) {
                eprintln!("--- {} on port {} logged:\n{tail}", p.name, p.port);
            }
        }
    }
}

/// `t_<unix secs>_<random>`: unique per run, recognisable as stale later.
fn kit_namespace() -> String {
    let secs =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    format!("t_{secs}_{}", &uuid::Uuid::new_v4().simple().to_string()[..8])
}

async fn delete_redis_keys(namespace: &str) -> anyhow::Result<()> {
    let client = redis::Client::open(REDIS_URL)?;
    let mut conn = client.get_multiplexed_async_connection().await?;
    let keys: Vec<String> = redis::cmd("KEYS").arg(format!("{namespace}:*")).query_async(&mut conn).await?;
    if !keys.is_empty() {
        let _: () = redis::cmd("DEL").arg(keys).query_async(&mut conn).await?;
    }
    Ok(())
}
