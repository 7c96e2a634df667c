//! Fixed-window counters: in memory for one process, Redis when several
//! instances must share the count (gateway limits, login throttling).
//! Fixed windows are coarse but cheap (one atomic script per hit) and their
//! worst case — twice the limit across a window edge — is fine for abuse
//! control.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use crate::config::Settings;

mod synced;
pub use synced::{SYNC_EVERY, SyncedLimiter};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    pub limit: u32,
    pub remaining: u32,
    /// Until the window resets (→ `Retry-After`, `RateLimit-Reset`).
    pub reset_after: Duration,
}

impl Decision {
    fn from_count(count: u64, limit: u32, reset_after: Duration) -> Self {
        Self {
            allowed: count <= u64::from(limit),
            limit,
            remaining: u64::from(limit).saturating_sub(count) as u32,
            reset_after,
        }
    }

    /// Whole seconds to wait, at least 1 (for `Retry-After`).
    pub fn retry_after_secs(&self) -> u64 {
        self.reset_after.as_secs() + u64::from(self.reset_after.subsec_nanos() > 0)
    }
}

#[async_trait::async_trait]
pub trait RateLimiter: Send + Sync {
    /// Counts one hit on `key` and says whether it is within `limit` per `window`.
    async fn hit(&self, key: &str, limit: u32, window: Duration) -> Decision;
    /// Takes back one earlier hit on `key` in its current window (a login
    /// counted up front that turned out to succeed); nothing when the
    /// window is gone.
    async fn forgive(&self, key: &str);
    /// Forgets `key` (e.g. a successful login clears its failures).
    async fn reset(&self, key: &str);
}

/// Redis when configured, else in memory. Keys are namespaced.
pub async fn from_settings(settings: &Settings) -> anyhow::Result<Arc<dyn RateLimiter>> {
    Ok(match settings.redis_url.as_deref() {
        Some(url) => Arc::new(RedisLimiter::connect(url, &settings.namespace).await?),
        None => Arc::new(InMemoryLimiter::default()),
    })
}

/// Counters of this process only.
#[derive(Default)]
pub struct InMemoryLimiter {
    windows: Mutex<HashMap<String, (Instant, u64)>>,
}

impl InMemoryLimiter {
    fn with_window<T>(&self, key: &str, window: Duration, f: impl FnOnce(&mut (Instant, u64)) -> T) -> T {
        let mut map = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        if map.len() > 10_000 {
            map.retain(|_, (start, _)| now.duration_since(*start) < Duration::from_secs(3600));
        }
        let entry = map.entry(key.to_owned()).or_insert((now, 0));
        if now.duration_since(entry.0) >= window {
            *entry = (now, 0);
        }
        f(entry)
    }
}

#[async_trait::async_trait]
impl RateLimiter for InMemoryLimiter {
    async fn hit(&self, key: &str, limit: u32, window: Duration) -> Decision {
        self.with_window(key, window, |(start, count)| {
            *count += 1;
            Decision::from_count(*count, limit, window.saturating_sub(start.elapsed()))
        })
    }

    async fn forgive(&self, key: &str) {
        if let Some((_, count)) = self.windows.lock().unwrap_or_else(|p| p.into_inner()).get_mut(key) {
            *count = count.saturating_sub(1);
        }
    }

    async fn reset(&self, key: &str) {
        self.windows.lock().unwrap_or_else(|p| p.into_inner()).remove(key);
    }
}

/// Shared counters in Redis. When Redis fails, the process falls back to
/// its own counters: limits then hold per instance instead of globally,
/// which beats both failing open and refusing every request.
pub struct RedisLimiter {
    conn: redis::aio::ConnectionManager,
    prefix: String,
    fallback: InMemoryLimiter,
    script: redis::Script,
    forgive: redis::Script,
}

/// INCR, set the expiry on the first hit, return count and remaining ms.
const HIT: &str = r"
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}
";

/// DECR only a live window above zero, so no key is left without expiry.
const FORGIVE: &str = r"
if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then redis.call('DECR', KEYS[1]) end
return 0
";

impl RedisLimiter {
    pub async fn connect(url: &str, namespace: &str) -> anyhow::Result<Self> {
        let conn = crate::redis_conn::connect(url).await?;
        Ok(Self {
            conn,
            prefix: format!("{namespace}:rl:"),
            fallback: InMemoryLimiter::default(),
            script: redis::Script::new(HIT),
            forgive: redis::Script::new(FORGIVE),
        })
    }

    fn warn(e: &redis::RedisError) {
        tracing::warn!(error = %e, "rate limiter: Redis unavailable, counting in this process");
    }
}

#[async_trait::async_trait]
impl RateLimiter for RedisLimiter {
    async fn hit(&self, key: &str, limit: u32, window: Duration) -> Decision {
        let mut conn = self.conn.clone();
        let res: redis::RedisResult<(u64, i64)> = self
            .script
            .key(format!("{}{key}", self.prefix))
            .arg(window.as_millis() as u64)
            .invoke_async(&mut conn)
            .await;
        match res {
            Ok((count, ttl)) => Decision::from_count(count, limit, Duration::from_millis(ttl.max(0) as u64)),
            Err(e) => {
                Self::warn(&e);
                self.fallback.hit(key, limit, window).await
            }
        }
    }

    async fn forgive(&self, key: &str) {
        let mut conn = self.conn.clone();
        let res: redis::RedisResult<()> =
            self.forgive.key(format!("{}{key}", self.prefix)).invoke_async(&mut conn).await;
        if let Err(e) = res {
            Self::warn(&e);
        }
        self.fallback.forgive(key).await;
    }

    async fn reset(&self, key: &str) {
        let mut conn = self.conn.clone();
        let res: redis::RedisResult<()> =
            redis::cmd("DEL").arg(format!("{}{key}", self.prefix)).query_async(&mut conn).await;
        if let Err(e) = res {
            Self::warn(&e);
        }
        self.fallback.reset(key).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn exercise(l: &dyn RateLimiter, key: &str) {
        let w = Duration::from_millis(400);
        let a = l.hit(key, 2, w).await;
        assert!(a.allowed && a.remaining == 1);
        l.forgive(key).await;
        assert!(l.hit(key, 2, w).await.allowed, "forgiven hit no longer counts");
        assert!(l.hit(key, 2, w).await.allowed);
        let over = l.hit(key, 2, w).await;
        assert!(!over.allowed && over.remaining == 0 && over.reset_after <= w);
        assert!(over.retry_after_secs() >= 1);
        tokio::time::sleep(w + Duration::from_millis(100)).await;
        assert!(l.hit(key, 2, w).await.allowed, "new window");
        l.hit(key, 2, w).await;
        l.reset(key).await;
        assert!(l.hit(key, 2, w).await.allowed, "reset clears");
        l.forgive("never-hit").await;
        assert!(l.hit("never-hit", 1, w).await.allowed, "forgiving nothing leaves nothing behind");
    }

    /// 100 hits at once: exactly `limit` are allowed, never more.
    async fn concurrent(l: Arc<dyn RateLimiter>, key: &str) {
        let w = Duration::from_secs(60);
        let hits = (0..100).map(|_| {
            let l = l.clone();
            let key = key.to_owned();
            tokio::spawn(async move { l.hit(&key, 10, w).await.allowed })
        });
        let allowed =
            futures::future::join_all(hits).await.into_iter().filter(|r| *r.as_ref().unwrap()).count();
        assert_eq!(allowed, 10);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_hits_never_exceed_the_limit() {
        concurrent(Arc::new(InMemoryLimiter::default()), "c").await;
        let ns = format!("t_rl_{}", uuid::Uuid::new_v4().simple());
        concurrent(Arc::new(RedisLimiter::connect("redis://127.0.0.1:6379", &ns).await.unwrap()), "c").await;
    }

    #[tokio::test]
    async fn memory_windows() {
        exercise(&InMemoryLimiter::default(), "k").await;
    }

    #[tokio::test]
    async fn redis_windows() {
        let ns = format!("t_rl_{}", uuid::Uuid::new_v4().simple());
        let l = RedisLimiter::connect("redis://127.0.0.1:6379", &ns).await.unwrap();
        exercise(&l, "k").await;
    }
}
