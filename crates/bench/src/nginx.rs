//! nginx as a plain reverse proxy in front of the same auth instance, the
//! yardstick for the gateway: what a well-tuned proxy hop costs on this
//! machine in the same run. Started only when an `nginx` binary is found
//! (Debian: `apt-get install nginx-light`).

use std::{
    path::{Path, PathBuf},
    process::Stdio,
    time::Duration,
};

use anyhow::Context;
use tokio::process::{Child, Command};

/// A running nginx; killed on drop.
pub struct Nginx {
    pub url: String,
    child: Child,
    _dir: tempfile::TempDir,
}

/// The nginx binary on `PATH` or in `/usr/sbin`, if any.
pub fn binary() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/sbin")])
        .map(|d| d.join("nginx"))
        .find(|p| p.is_file())
}

/// As close to the gateway's job as a plain proxy gets: same worker count
/// as the machine's cores (the gateway's runtime has as many threads),
/// HTTP/1.1 keep-alive to the upstream, no access log (the platform runs
/// at `warn` in the bench, so the gateway writes none either).
fn config(dir: &Path, port: u16, upstream: &str) -> String {
    let d = dir.display();
    let upstream = upstream.trim_start_matches("http://");
    format!(
        "daemon off;
worker_processes auto;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {d}/body;
    proxy_temp_path {d}/proxy;
    upstream auth {{ server {upstream}; keepalive 64; }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://auth;
            proxy_http_version 1.1;
            proxy_set_header Connection \"\";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $remote_addr;
        }}
    }}
}}
"
    )
}

impl Nginx {
    /// Starts nginx in front of `upstream` (`http://host:port`) and waits
    /// until it answers.
    pub async fn start(bin: &Path, upstream: &str) -> anyhow::Result<Self> {
        let dir = tempfile::tempdir()?;
        let port = harness::free_port()?;
        let conf = dir.path().join("nginx.conf");
        std::fs::write(&conf, config(dir.path(), port, upstream))?;
        let child = Command::new(bin)
            .arg("-p")
            .arg(dir.path())
            .arg("-e")
            .arg(dir.path().join("error.log"))
            .arg("-c")
            .arg(&conf)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))?;
        let url = format!("http://127.0.0.1:{port}");
        harness::wait_ready(&url, "nginx").await?;
        Ok(Self { url, child, _dir: dir })
    }

    /// Asks the master to stop (`SIGTERM`: it stops its workers, then
    /// itself) and waits for it; killed outright only if it does not go
    /// within a few seconds. A killed master leaves its workers running,
    /// orphaned, one pair per bench run.
    pub async fn stop(mut self) {
        if let Some(pid) = self.child.id() {
            let asked = Command::new("kill").arg("-TERM").arg(pid.to_string()).status().await;
            if asked.is_ok_and(|s| s.success())
                && tokio::time::timeout(Duration::from_secs(5), self.child.wait()).await.is_ok()
            {
                return;
            }
        }
        let _ = self.child.kill().await;
    }
}
