//! The instances of one service: health (active checks and passive
//! ejection), a breaker each, and round-robin choice among the healthy.
//! When none is healthy the pool still tries every instance whose breaker
//! allows it ("panic mode", as Envoy does): a readiness check failing
//! everywhere at once — say the event bus is down — must not turn into a
//! total outage for requests that would have worked.

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use kit::discovery::{Target, resolve};

use crate::breaker::Breaker;

const CHECK_EVERY: Duration = Duration::from_secs(2);
const CHECK_TIMEOUT: Duration = Duration::from_secs(1);
const UNHEALTHY_AFTER: u32 = 2;
const RESOLVE_EVERY: Duration = Duration::from_secs(10);

#[derive(Debug)]
pub struct Instance {
    pub base: String,
    healthy: bool,
    failed_checks: u32,
    breaker: Breaker,
}

impl Instance {
    fn new(base: String) -> Self {
        Self { base, healthy: true, failed_checks: 0, breaker: Breaker::default() }
    }
}

pub struct Pool {
    pub service: &'static str,
    targets: Vec<Target>,
    instances: Mutex<Vec<Instance>>,
    next: AtomicUsize,
}

impl Pool {
    pub async fn new(service: &'static str, targets: Vec<Target>) -> Arc<Self> {
        let pool =
            Arc::new(Self { service, targets, instances: Mutex::default(), next: AtomicUsize::new(0) });
        pool.refresh().await;
        pool
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Instance>> {
        self.instances.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Re-resolves the targets, keeping the state of instances that remain.
    async fn refresh(&self) {
        let mut bases = Vec::new();
        for t in &self.targets {
            bases.extend(resolve(t).await);
        }
        let mut instances = self.lock();
        instances.retain(|i| bases.contains(&i.base));
        for b in bases {
            if !instances.iter().any(|i| i.base == b) {
                instances.push(Instance::new(b));
            }
        }
    }

    /// The next instance to try, skipping `tried`; `None` when none is left.
    pub fn pick(&self, tried: &[String]) -> Option<String> {
        let mut instances = self.lock();
        let n = instances.len();
        if n == 0 {
            return None;
        }
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        let any_healthy =
            instances.iter().any(|i| i.healthy && i.breaker.is_closed() && !tried.contains(&i.base));
        for k in 0..n {
            let inst = &mut instances[(start + k) % n];
            if tried.contains(&inst.base) || (any_healthy && !inst.healthy) {
                continue;
            }
            if inst.breaker.allow() {
                return Some(inst.base.clone());
            }
        }
        None
    }

    fn with<F: FnOnce(&mut Instance)>(&self, base: &str, f: F) {
        if let Some(i) = self.lock().iter_mut().find(|i| i.base == base) {
            f(i);
        }
    }

    pub fn success(&self, base: &str) {
        self.with(base, |i| i.breaker.success());
    }

    /// A failed call; `eject` (connection refused, timeout) also marks it
    /// unhealthy at once instead of waiting for the next health check.
    pub fn failure(&self, base: &str, eject: bool) {
        self.with(base, |i| {
            i.breaker.failure();
            if eject {
                i.healthy = false;
            }
        });
        self.export();
    }

    pub fn any_healthy(&self) -> bool {
        self.lock().iter().any(|i| i.healthy)
    }

    fn export(&self) {
        for i in self.lock().iter() {
            metrics::gauge!("gateway_upstream_healthy", "service" => self.service, "instance" => i.base.clone())
                .set(if i.healthy { 1.0 } else { 0.0 });
        }
    }

    /// Active health checks (and DNS refreshes) until `shutdown`.
    pub fn spawn_checks(self: &Arc<Self>, shutdown: CancellationToken) -> JoinHandle<()> {
        let pool = self.clone();
        tokio::spawn(async move {
            let client = match reqwest::Client::builder().timeout(CHECK_TIMEOUT).build() {
                Ok(c) => c,
                Err(e) => {
                    tracing::error!(error = %e, "health checker cannot start");
                    return;
                }
            };
            let mut last_resolve = tokio::time::Instant::now();
            loop {
                tokio::select! {
                    _ = shutdown.cancelled() => return,
                    _ = tokio::time::sleep(CHECK_EVERY) => {}
                }
                if last_resolve.elapsed() >= RESOLVE_EVERY {
                    last_resolve = tokio::time::Instant::now();
                    pool.refresh().await;
                }
                let bases: Vec<String> = pool.lock().iter().map(|i| i.base.clone()).collect();
                for base in bases {
                    let ok = client
                        .get(format!("{base}/health/ready"))
                        .send()
                        .await
                        .is_ok_and(|r| r.status().is_success());
                    pool.with(&base, |i| {
                        if ok {
                            if !i.healthy {
                                tracing::info!(service = pool.service, instance = %i.base, "instance healthy again");
                            }
                            i.healthy = true;
                            i.failed_checks = 0;
                        } else {
                            i.failed_checks += 1;
                            if i.failed_checks >= UNHEALTHY_AFTER && i.healthy {
                                tracing::warn!(service = pool.service, instance = %i.base, "instance unhealthy");
                                i.healthy = false;
                            }
                        }
                    });
                }
                pool.export();
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn pool(n: usize) -> Arc<Pool> {
        let targets = (0..n).map(|i| Target::Static(format!("http://127.0.0.1:{}", 1000 + i))).collect();
        Pool::new("t", targets).await
    }

    #[tokio::test]
    async fn round_robin_skips_unhealthy_then_panics_to_all() {
        let p = pool(2).await;
        let a = p.pick(&[]).unwrap();
        let b = p.pick(&[]).unwrap();
        assert_ne!(a, b);
        p.failure(&a, true);
        for _ in 0..4 {
            assert_eq!(p.pick(&[]).unwrap(), b);
        }
        p.failure(&b, true);
        assert!(!p.any_healthy());
        assert!(p.pick(&[]).is_some(), "panic mode still routes");
        assert!(p.pick(&[a.clone(), b.clone()]).is_none());
    }
}
