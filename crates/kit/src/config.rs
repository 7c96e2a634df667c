//! Configuration: defaults → optional file → `QUICKCARE_*` environment.
//!
//! Every key is a clap argument with an `env` name, so `quickcare --help`
//! documents all of them. A config file (`--config` / `QUICKCARE_CONFIG`) is
//! a dotenv-style `KEY=value` list loaded into the environment *without*
//! overriding variables already set, which gives the documented precedence.
//!
//! An empty value means unset, for every key, wherever it comes from:
//! Compose passes `QUICKCARE_SMTP_URL=` when nothing is exported, and a
//! template config file has `KEY=` lines. [`empty_means_unset`] applies
//! that to every argument before clap reads the environment.

use std::{collections::BTreeMap, net::SocketAddr, path::PathBuf, time::Duration};

use clap::{Args, Command};

use crate::client_ip::{ForwardedHeader, TrustedProxies};

/// Every setting a QuickCare process reads. Secrets (`encryption_keys`) are
/// never printed: `Debug` is implemented by hand.
#[derive(Args, Clone)]
pub struct Settings {
    /// Where the gateway (or `serve <name>`) listens.
    #[arg(long, env = "QUICKCARE_HTTP_ADDR", default_value = "127.0.0.1:8080")]
    pub http_addr: SocketAddr,

    /// Embedded mode: SQLite files, uploads, keys and the dev mailbox.
    #[arg(long, env = "QUICKCARE_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,

    /// A built web app (`web/dist`) for the gateway to serve instead of
    /// the one embedded in the binary. Unset: the embedded one.
    #[arg(long, env = "QUICKCARE_WEB_DIR")]
    pub web_dir: Option<PathBuf>,

    /// `mysql://user:pass@host:port` (each service uses its own database
    /// `<namespace>_<service>`) or `sqlite://<dir>`. Unset: SQLite under the data dir.
    #[arg(long, env = "QUICKCARE_DATABASE_URL")]
    pub database_url: Option<String>,

    /// Redis for the event bus, rate limits and caches. Unset: in-process.
    #[arg(long, env = "QUICKCARE_REDIS_URL")]
    pub redis_url: Option<String>,

    /// `smtp://host:port` or `smtps://…`. Unset: mails go to the dev mailbox.
    #[arg(long, env = "QUICKCARE_SMTP_URL")]
    pub smtp_url: Option<String>,

    /// HTTP endpoint of the SMS provider. Unset: SMS go to the dev mailbox.
    #[arg(long, env = "QUICKCARE_SMS_URL")]
    pub sms_url: Option<String>,

    /// `1`: seed demo data on `up`. Defaults to on for `up`, off for `serve`.
    #[arg(long, env = "QUICKCARE_DEMO")]
    pub demo: Option<String>,

    /// Distributed mode: `auth=http://h:p,http://h:p;patient=http://h:p`;
    /// `dns+http://name:port` resolves every address of a name.
    #[arg(long, env = "QUICKCARE_SERVICES")]
    pub services: Option<String>,

    /// OTLP (gRPC) collector for traces. Unset: no export.
    #[arg(long, env = "QUICKCARE_OTLP_ENDPOINT")]
    pub otlp_endpoint: Option<String>,

    /// Prefix of database names and Redis keys, so several platforms (or
    /// parallel test runs) can share one MariaDB and one Redis.
    #[arg(long, env = "QUICKCARE_NAMESPACE", default_value = "quickcare")]
    pub namespace: String,

    /// PHI encryption keys, `kid:base64(32 bytes)` separated by `,`; the first
    /// encrypts, all decrypt. Unset in embedded mode: a key is generated under
    /// the data dir. Required in distributed mode.
    #[arg(long, env = "QUICKCARE_ENCRYPTION_KEYS", hide_env_values = true)]
    pub encryption_keys: Option<String>,

    /// Base URL users reach the platform at, for links in mails.
    #[arg(long, env = "QUICKCARE_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
    pub public_url: String,

    /// Sender of every mail.
    #[arg(long, env = "QUICKCARE_MAIL_FROM", default_value = "QuickCare <no-reply@quickcare.local>")]
    pub mail_from: String,

    /// Allowed CORS origins, comma-separated (`*` for any). Unset: same origin only.
    #[arg(long, env = "QUICKCARE_CORS_ORIGINS")]
    pub cors_origins: Option<String>,

    /// Log filter (tracing `EnvFilter` syntax).
    #[arg(long, env = "QUICKCARE_LOG", default_value = "info")]
    pub log: String,

    /// Gateway rate limit: requests per client IP per minute.
    #[arg(long, env = "QUICKCARE_RATE_LIMIT_PER_MINUTE", default_value_t = 1200)]
    pub rate_limit_per_minute: u32,

    /// Peers whose `Forwarded` / `X-Forwarded-For` are believed (load
    /// balancers, the Ingress): CIDRs or addresses, comma-separated. The
    /// client is the right-most hop that is not one of them. Unset: nobody
    /// is trusted and the client is the socket peer.
    #[arg(long, env = "QUICKCARE_TRUSTED_PROXIES", default_value = "", hide_default_value = true,
        value_parser = TrustedProxies::parse)]
    pub trusted_proxies: TrustedProxies,

    /// The header the trusted proxies append the client to:
    /// `x-forwarded-for` or `forwarded` (RFC 7239). The other is ignored.
    #[arg(long, env = "QUICKCARE_FORWARDED_HEADER", value_enum, default_value_t = ForwardedHeader::XForwardedFor)]
    pub forwarded_header: ForwardedHeader,

    /// Login throttling: failed logins allowed per account from one client
    /// IP per window (the tight limit, which stops a guesser but not the owner).
    #[arg(long, env = "QUICKCARE_LOGIN_MAX_FAILURES_PER_ACCOUNT_IP", default_value_t = 10)]
    pub login_max_failures_per_account_ip: u32,

    /// Login throttling: failed logins allowed per account per hour, from
    /// all addresses together (the loose limit, ASVS 2.2.1).
    #[arg(long, env = "QUICKCARE_LOGIN_MAX_FAILURES_PER_ACCOUNT", default_value_t = 100)]
    pub login_max_failures_per_account: u32,

    /// Login throttling: failed logins allowed per client IP per window.
    #[arg(long, env = "QUICKCARE_LOGIN_MAX_FAILURES_PER_IP", default_value_t = 50)]
    pub login_max_failures_per_ip: u32,

    /// Login throttling window in seconds (per account and IP, per IP).
    #[arg(long, env = "QUICKCARE_LOGIN_WINDOW_SECS", default_value_t = 900)]
    pub login_window_secs: u64,

    /// Connections in each service's database pool. Unset: 20 on MySQL, 8 on SQLite.
    #[arg(long, env = "QUICKCARE_DATABASE_MAX_CONNECTIONS")]
    pub database_max_connections: Option<u32>,

    /// How long a request waits for a free pooled connection before it
    /// answers 503 with `Retry-After`, ms.
    #[arg(long, env = "QUICKCARE_DATABASE_ACQUIRE_TIMEOUT_MS", default_value_t = 10_000)]
    pub database_acquire_timeout_ms: u64,

    /// Timeout of one upstream call (gateway → service, service → service), ms.
    #[arg(long, env = "QUICKCARE_UPSTREAM_TIMEOUT_MS", default_value_t = 10_000)]
    pub upstream_timeout_ms: u64,

    /// Event loops of a gateway running on its own (`serve gateway`), each
    /// a thread with a share of the connections. One loop keeps a request
    /// and its upstream call on one thread and handles many connections per
    /// wake-up, which served more than a loop per core on a small machine;
    /// scale out by replicas, or raise this on a gateway with cores to spare.
    #[arg(long, env = "QUICKCARE_GATEWAY_LOOPS", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub gateway_loops: u16,

    /// Where uploaded files go: `s3://bucket/prefix` (credentials from the
    /// usual `AWS_*` variables) or `file:///dir`; unset = `<data dir>/uploads`.
    #[arg(long, env = "QUICKCARE_OBJECT_STORE_URL")]
    pub object_store_url: Option<String>,

    /// Words that hold a rating's comment for moderation, comma separated,
    /// on top of the built-in English and French list.
    #[arg(long, env = "QUICKCARE_RATING_BLOCKED_WORDS")]
    pub rating_blocked_words: Option<String>,

    /// First retry delay of a failed mail or SMS, ms; doubles per attempt
    /// (with jitter) up to ten minutes.
    #[arg(long, env = "QUICKCARE_DELIVERY_RETRY_BASE_MS", default_value_t = 2_000)]
    pub delivery_retry_base_ms: u64,

    /// Patients may cancel or reschedule until this many minutes before the start.
    #[arg(long, env = "QUICKCARE_CANCELLATION_DEADLINE_MINUTES", default_value_t = 120)]
    pub cancellation_deadline_minutes: i64,

    /// Reminders go out this many minutes before an active appointment.
    #[arg(long, env = "QUICKCARE_REMINDER_LEAD_MINUTES", default_value_t = 1440)]
    pub reminder_lead_minutes: i64,

    /// How often scheduled jobs (expiry, reminders) look for due work, ms.
    #[arg(long, env = "QUICKCARE_JOBS_INTERVAL_MS", default_value_t = 30_000)]
    pub jobs_interval_ms: u64,
}

impl Settings {
    /// Demo seeding on, given the command's own default.
    pub fn demo_enabled(&self, default: bool) -> bool {
        match self.demo.as_deref() {
            Some(v) => matches!(v, "1" | "true" | "yes" | "on"),
            None => default,
        }
    }

    /// True when the process is wired for distributed mode (a shared database server).
    pub fn is_distributed(&self) -> bool {
        self.database_url.as_deref().is_some_and(|u| u.starts_with("mysql://") || u.starts_with("mariadb://"))
    }

    pub fn upstream_timeout(&self) -> Duration {
        Duration::from_millis(self.upstream_timeout_ms)
    }

    pub fn login_window(&self) -> Duration {
        Duration::from_secs(self.login_window_secs)
    }

    /// The window of the per-account login limit: an hour, as ASVS 2.2.1 counts.
    pub fn login_account_window(&self) -> Duration {
        Duration::from_secs(3600)
    }
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("http_addr", &self.http_addr)
            .field("data_dir", &self.data_dir)
            .field("web_dir", &self.web_dir)
            .field("database_url", &self.database_url.as_deref().map(redact_url))
            .field("redis_url", &self.redis_url.as_deref().map(redact_url))
            .field("namespace", &self.namespace)
            .field("services", &self.services)
            .field("trusted_proxies", &self.trusted_proxies)
            .finish_non_exhaustive()
    }
}

/// `scheme://user:secret@host` → `scheme://user:***@host`, for logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            let user = creds.split(':').next().unwrap_or_default();
            format!("{}{}:***{}", &url[..s + 3], user, &url[at..])
        }
        _ => url.to_owned(),
    }
}

/// A config file's `KEY=value` lines.
pub type FileValues = BTreeMap<String, String>;

/// Loads a dotenv-style file into the environment without overriding what
/// is already set (environment wins over file, file over defaults), and
/// returns its values for [`empty_means_unset`].
pub fn load_file(path: &std::path::Path) -> Result<FileValues, dotenvy::Error> {
    let values = dotenvy::from_path_iter(path)?.collect::<Result<FileValues, _>>()?;
    dotenvy::from_path(path)?;
    Ok(values)
}

/// Applies "an empty value means unset" to every argument of `cmd` and its
/// subcommands. Clap takes a variable that is set but empty as the value
/// `""` (so `QUICKCARE_SMTP_URL=` was an SMTP URL without a base, and
/// `QUICKCARE_HTTP_ADDR=` a parse error): such an argument forgets its
/// variable, so the config file's value for the key applies, or else the
/// built-in default (`None` for optional keys), exactly as if the variable
/// were not set. Empty file values were loaded as empty variables and
/// are forgotten the same way.
pub fn empty_means_unset(cmd: Command, file: &FileValues) -> Command {
    cmd.mut_args(|arg| {
        let Some(name) = arg.get_env().and_then(|n| n.to_str()).map(str::to_owned) else {
            return arg;
        };
        if std::env::var_os(&name).is_none_or(|v| !v.is_empty()) {
            return arg;
        }
        let arg = arg.env(None);
        match file.get(&name).filter(|v| !v.is_empty()) {
            Some(value) => arg.default_value(value.clone()),
            None => arg,
        }
    })
    .mut_subcommands(|sub| empty_means_unset(sub, file))
}

/// A variable read outside clap (`QUICKCARE_ADMIN_PASSWORD`, …), by the
/// same rule: empty is unset.
pub fn env_value(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords_in_urls() {
        assert_eq!(redact_url("mysql://root:pw@h:3306"), "mysql://root:***@h:3306");
        assert_eq!(redact_url("redis://127.0.0.1:6379"), "redis://127.0.0.1:6379");
    }

    /// Runs this test binary again as a child with `mode` (see
    /// [`empty_child`]): clap reads the environment once, when the command
    /// is built, so each case needs a process of its own.
    fn run_child(mode: &str, env: &[(String, &str)]) {
        let mut child = std::process::Command::new(std::env::current_exe().unwrap());
        // The child starts with none of the keys, whatever the runner exported.
        for key in keys() {
            child.env_remove(key);
        }
        let out = child
            .args(["--exact", "config::tests::empty_child", "--nocapture"])
            .env("QUICKCARE_EMPTY_CHILD", mode)
            .envs(env.iter().map(|(k, v)| (k, v)))
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && stdout.contains("1 passed"),
            "{mode}: {stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn keys() -> Vec<String> {
        Settings::augment_args(Command::new("t"))
            .get_arguments()
            .filter_map(|a| a.get_env().and_then(|n| n.to_str()).map(str::to_owned))
            .collect()
    }

    #[test]
    fn every_key_set_to_empty_behaves_as_unset() {
        let keys = keys();
        assert!(keys.len() > 25, "{keys:?}");
        run_child("env", &keys.iter().map(|k| (k.clone(), "")).collect::<Vec<_>>());
        run_child("file", &[]);
        run_child("env-and-file", &[("QUICKCARE_SMTP_URL".into(), ""), ("QUICKCARE_LOG".into(), "")]);
    }

    /// The child's half of [`every_key_set_to_empty_behaves_as_unset`];
    /// does nothing in a normal run.
    #[test]
    fn empty_child() {
        let Some(mode) = env_value("QUICKCARE_EMPTY_CHILD") else { return };
        let dir = tempfile::tempdir().unwrap();
        let file_path = dir.path().join("qc.env");
        let file = match mode.as_str() {
            // Every key empty in the config file, none in the environment.
            "file" => keys().iter().map(|k| format!("{k}=\n")).collect::<String>(),
            // Empty in the environment, set in the file: the file applies.
            _ => "QUICKCARE_SMTP_URL=smtp://file.example:25\nQUICKCARE_LOG=debug\n".to_owned(),
        };
        std::fs::write(&file_path, file).unwrap();
        let values = if mode == "env" { FileValues::new() } else { load_file(&file_path).unwrap() };
        let cmd = empty_means_unset(Settings::augment_args(Command::new("t")), &values);
        let matches = cmd.clone().try_get_matches_from(["t"]).unwrap();
        for arg in cmd.get_arguments() {
            let source = matches.value_source(arg.get_id().as_str());
            assert_ne!(source, Some(clap::parser::ValueSource::EnvVariable), "{}", arg.get_id());
        }
        let s = <Settings as clap::FromArgMatches>::from_arg_matches(&matches).unwrap();
        assert_eq!(s.http_addr, "127.0.0.1:8080".parse().unwrap());
        assert!(s.redis_url.is_none() && s.database_url.is_none());
        if mode == "env-and-file" {
            assert_eq!(s.smtp_url.as_deref(), Some("smtp://file.example:25"));
            assert_eq!(s.log, "debug");
        } else {
            assert!(s.smtp_url.is_none() && s.otlp_endpoint.is_none() && s.encryption_keys.is_none());
            assert_eq!((s.log.as_str(), s.rate_limit_per_minute), ("info", 1200));
        }
    }

    #[test]
    fn file_does_not_override_environment() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("qc.env");
        // PATH is always set: the file must not replace it.
        std::fs::write(&file, "QUICKCARE_TEST_FILE_KEY=from-file\nPATH=from-file\n").unwrap();
        load_file(&file).unwrap();
        assert_eq!(std::env::var("QUICKCARE_TEST_FILE_KEY").unwrap(), "from-file");
        assert_ne!(std::env::var("PATH").unwrap(), "from-file");
    }
}
