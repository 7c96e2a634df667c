//! The gateway's request limit without a Redis round trip per request:
//! each instance counts hits in local buckets and a background task adds
//! them to the shared Redis counters every [`SYNC_EVERY`], learning the
//! cluster-wide totals in the same pipelined round trip.
//!
//! Windows are fixed and aligned to the epoch (`⌊now / window⌋`), so every
//! instance agrees on them without coordination. A decision counts the
//! last known cluster total plus this instance's hits since; what other
//! instances counted since their last sync is not seen yet. The limit is
//! therefore approximate: at most about one sync interval's worth of the
//! other instances' traffic for a key gets through beyond it (with 2
//! gateways at 1,000 req/s for one key, ~100 requests per window), and
//! none once the shared count is over. Like the Redis limiter, a failed
//! sync leaves the hits queued and the instance counting on its own.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use tokio_util::sync::CancellationToken;

use super::Decision;
use crate::config::Settings;

/// How often local hits are added to the shared counters.
pub const SYNC_EVERY: Duration = Duration::from_millis(100);

/// One key's count in the current window.
#[derive(Debug, Default)]
struct Bucket {
    window: u64,
    /// Cluster total as Redis last answered (this instance's synced hits included).
    shared: u64,
    /// Hits sent to Redis and not answered yet.
    in_flight: u64,
    /// Hits not sent yet.
    pending: u64,
}

impl Bucket {
    fn count(&self) -> u64 {
        self.shared + self.in_flight + self.pending
    }
}

/// A fixed limit per fixed window, for many keys.
pub struct SyncedLimiter {
    limit: u32,
    window: Duration,
    buckets: Mutex<HashMap<String, Bucket>>,
    store: Option<Store>,
}

struct Store {
    conn: redis::aio::ConnectionManager,
    prefix: String,
}

/// What one sync sends for a key.
struct Batch {
    key: String,
    window: u64,
    hits: u64,
}

impl SyncedLimiter {
    /// `limit` hits per `window` per key; shared through Redis when
    /// `QUICKCARE_REDIS_URL` is set (synced until `shutdown`), else exact
    /// and local to this process.
    pub async fn start(
        settings: &Settings,
        limit: u32,
        window: Duration,
        shutdown: CancellationToken,
    ) -> anyhow::Result<Arc<Self>> {
        let store = match settings.redis_url.as_deref() {
            Some(url) => {
                let conn = crate::redis_conn::connect(url).await?;
                Some(Store { conn, prefix: format!("{}:rl:sync:", settings.namespace) })
            }
            None => None,
        };
        let has_store = store.is_some();
        let me = Arc::new(Self {
            limit,
            window: window.max(Duration::from_millis(1)),
            buckets: Mutex::default(),
            store,
        });
        if has_store {
            let syncer = me.clone();
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(SYNC_EVERY);
                tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                loop {
                    tokio::select! {
                        _ = shutdown.cancelled() => return,
                        _ = tick.tick() => syncer.sync().await,
                    }
                }
            });
        }
        Ok(me)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Bucket>> {
        self.buckets.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The current window's number and the time left in it.
    fn now(&self) -> (u64, Duration) {
        let since_epoch = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        let window_ms = self.window.as_millis().max(1);
        let now_ms = since_epoch.as_millis();
        let left = window_ms - now_ms % window_ms;
        ((now_ms / window_ms) as u64, Duration::from_millis(left as u64))
    }

    /// Counts one hit on `key`; no I/O.
    pub fn hit(&self, key: &str) -> Decision {
        let (window, reset_after) = self.now();
        let mut buckets = self.lock();
        let bucket = match buckets.get_mut(key) {
            Some(b) => b,
            None => buckets.entry(key.to_owned()).or_default(),
        };
        if bucket.window != window {
            *bucket = Bucket { window, ..Bucket::default() };
        }
        bucket.pending += 1;
        let count = bucket.count();
        Decision {
            allowed: count <= u64::from(self.limit),
            limit: self.limit,
            remaining: u64::from(self.limit).saturating_sub(count) as u32,
            reset_after,
        }
    }

    /// Adds pending hits to Redis and takes the totals back; forgets
    /// buckets of past windows.
    async fn sync(&self) {
        let Some(store) = &self.store else { return };
        let (current, _) = self.now();
        let batch: Vec<Batch> = {
            let mut buckets = self.lock();
            buckets.retain(|_, b| b.window == current || b.pending + b.in_flight > 0);
            buckets
                .iter_mut()
                .filter(|(_, b)| b.pending > 0)
                .map(|(key, b)| {
                    let hits = std::mem::take(&mut b.pending);
                    b.in_flight += hits;
                    Batch { key: key.clone(), window: b.window, hits }
                })
                .collect()
        };
        if batch.is_empty() {
            return;
        }
        let mut pipe = redis::pipe();
        // A key outlives its window a little, so late syncs still add up.
        let keep_ms = (self.window.as_millis() * 2) as i64;
        for b in &batch {
            let k = format!("{}{}:{}", store.prefix, b.key, b.window);
            pipe.incr(&k, b.hits).pexpire(&k, keep_ms).ignore();
        }
        let mut conn = store.conn.clone();
        let totals: redis::RedisResult<Vec<u64>> = pipe.query_async(&mut conn).await;
        let mut buckets = self.lock();
        match totals {
            Ok(totals) => {
                for (b, total) in batch.iter().zip(totals) {
                    if let Some(bucket) = buckets.get_mut(&b.key).filter(|x| x.window == b.window) {
                        bucket.in_flight -= b.hits;
                        bucket.shared = bucket.shared.max(total);
                    }
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "rate limiter: Redis unavailable, counting in this process");
                for b in &batch {
                    if let Some(bucket) = buckets.get_mut(&b.key).filter(|x| x.window == b.window) {
                        bucket.in_flight -= b.hits;
                        bucket.pending += b.hits;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(redis: bool) -> Settings {
        let mut s = crate::testing::default_settings();
        s.namespace = format!("t_rls_{}", uuid::Uuid::new_v4().simple());
        s.redis_url = redis.then(|| "redis://127.0.0.1:6379".into());
        s
    }

    #[tokio::test]
    async fn local_counting_is_exact() {
        let l =
            SyncedLimiter::start(&settings(false), 3, Duration::from_secs(3600), CancellationToken::new())
                .await
                .unwrap();
        let allowed = (0..5).filter(|_| l.hit("k").allowed).count();
        assert!((2..=3).contains(&allowed), "at most the limit (a window edge may split them)");
        assert!(l.hit("other").allowed, "keys are separate");
    }

    #[tokio::test]
    async fn instances_share_the_count_through_redis() {
        let s = settings(true);
        let shutdown = CancellationToken::new();
        let window = Duration::from_secs(86_400);
        let a = SyncedLimiter::start(&s, 10, window, shutdown.clone()).await.unwrap();
        let b = SyncedLimiter::start(&s, 10, window, shutdown.clone()).await.unwrap();
        for _ in 0..8 {
            assert!(a.hit("k").allowed);
        }
        a.sync().await;
        assert!(b.hit("k").allowed, "b alone has counted 1");
        b.sync().await;
        assert!(b.hit("k").allowed, "the 10th hit, cluster-wide");
        let over = b.hit("k");
        assert!(!over.allowed && over.remaining == 0, "the 11th is over: {over:?}");
        shutdown.cancel();
    }
}
