//! Redis Streams: one stream per namespace (`{ns}:events`) keeps every
//! producer's order; each service is a consumer group reading all of it and
//! acknowledging what it does not handle. Entries left pending by a dead
//! consumer are taken over with XAUTOCLAIM once they have been idle for
//! [`CLAIM_IDLE`].

use std::{sync::Arc, time::Duration};

use redis::{
    AsyncCommands, RedisError,
    aio::{ConnectionManager, ConnectionManagerConfig},
    streams::{
        StreamAutoClaimOptions, StreamAutoClaimReply, StreamId, StreamMaxlen, StreamReadOptions,
        StreamReadReply,
    },
};

use super::{Bus, BusError, Delivery, Event, Subscription};

/// Idle time after which another consumer may take over a pending entry.
/// Handling takes milliseconds, so an entry idle this long belongs to a
/// consumer that died; if not, the inbox makes the double delivery harmless.
pub const CLAIM_IDLE: Duration = Duration::from_secs(5);
const CLAIM_EVERY: Duration = Duration::from_secs(2);
const BLOCK_MS: usize = 1000;
const BATCH: usize = 100;
/// Approximate retention: old entries are trimmed beyond this many.
const MAX_LEN: usize = 1_000_000;

pub struct RedisBus {
    client: redis::Client,
    conn: ConnectionManager,
    stream: String,
}

fn unavailable(e: RedisError) -> BusError {
    BusError::Unavailable(e.to_string())
}

async fn manager(client: &redis::Client, response_timeout: Duration) -> Result<ConnectionManager, BusError> {
    let config = ConnectionManagerConfig::new()
        .set_connection_timeout(Some(Duration::from_secs(2)))
        .set_response_timeout(Some(response_timeout))
        .set_number_of_retries(1);
    ConnectionManager::new_with_config(client.clone(), config).await.map_err(unavailable)
}

impl RedisBus {
    pub async fn connect(url: &str, namespace: &str) -> Result<Arc<Self>, BusError> {
        let client = redis::Client::open(url).map_err(unavailable)?;
        let conn = manager(&client, Duration::from_secs(2)).await?;
        Ok(Arc::new(Self { client, conn, stream: format!("{namespace}:events") }))
    }
}

#[async_trait::async_trait]
impl Bus for RedisBus {
    async fn publish(&self, event: &Event) -> Result<(), BusError> {
        let payload = serde_json::to_string(event).map_err(|e| BusError::Unavailable(e.to_string()))?;
        let mut conn = self.conn.clone();
        let _: Option<String> = conn
            .xadd_maxlen(&self.stream, StreamMaxlen::Approx(MAX_LEN), "*", &[("event", payload)])
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    async fn ping(&self) -> Result<(), BusError> {
        let mut conn = self.conn.clone();
        redis::cmd("PING").query_async::<String>(&mut conn).await.map(|_| ()).map_err(unavailable)
    }

    async fn subscribe(&self, group: &str) -> Result<Box<dyn Subscription>, BusError> {
        // Blocking reads get their own connection: on a shared multiplexed
        // one they would hold up every other command.
        let conn =
            manager(&self.client, Duration::from_millis(BLOCK_MS as u64) + Duration::from_secs(3)).await?;
        let mut sub = RedisSubscription {
            conn,
            stream: self.stream.clone(),
            group: group.to_owned(),
            consumer: format!("{group}-{}", uuid::Uuid::now_v7().simple()),
            last_claim: None,
            claim_idle: CLAIM_IDLE,
        };
        sub.ensure_group().await?;
        Ok(Box::new(sub))
    }
}

pub(super) struct RedisSubscription {
    conn: ConnectionManager,
    stream: String,
    group: String,
    consumer: String,
    last_claim: Option<tokio::time::Instant>,
    claim_idle: Duration,
}

impl RedisSubscription {
    /// Creates the group reading from the start (`0`), so a service that
    /// starts after events were published still gets them.
    async fn ensure_group(&mut self) -> Result<(), BusError> {
        let res: Result<(), RedisError> =
            self.conn.xgroup_create_mkstream(&self.stream, &self.group, "0").await;
        match res {
            Ok(()) => Ok(()),
            Err(e) if e.code() == Some("BUSYGROUP") => Ok(()),
            Err(e) => Err(unavailable(e)),
        }
    }

    async fn claim(&mut self) -> Result<Vec<StreamId>, RedisError> {
        let reply: StreamAutoClaimReply = self
            .conn
            .xautoclaim_options(
                &self.stream,
                &self.group,
                &self.consumer,
                self.claim_idle.as_millis() as u64,
                "0-0",
                StreamAutoClaimOptions::default().count(BATCH),
            )
            .await?;
        Ok(reply.claimed)
    }

    async fn read(&mut self) -> Result<Vec<StreamId>, RedisError> {
        let opts =
            StreamReadOptions::default().group(&self.group, &self.consumer).count(BATCH).block(BLOCK_MS);
        let reply: Option<StreamReadReply> = self.conn.xread_options(&[&self.stream], &[">"], &opts).await?;
        Ok(reply.map(|r| r.keys.into_iter().flat_map(|k| k.ids).collect()).unwrap_or_default())
    }
}

fn delivery(entry: StreamId) -> Delivery {
    let raw: Option<String> = entry.get("event");
    let event = match raw {
        Some(raw) => serde_json::from_str::<Event>(&raw).map_err(|_| raw),
        None => Err(String::new()),
    };
    Delivery { id: entry.id, event }
}

#[async_trait::async_trait]
impl Subscription for RedisSubscription {
    async fn next(&mut self) -> Result<Vec<Delivery>, BusError> {
        let due = self.last_claim.is_none_or(|t| t.elapsed() >= CLAIM_EVERY);
        let entries = if due {
            self.last_claim = Some(tokio::time::Instant::now());
            match self.claim().await {
                Ok(claimed) if !claimed.is_empty() => Ok(claimed),
                Ok(_) => self.read().await,
                Err(e) => Err(e),
            }
        } else {
            self.read().await
        };
        match entries {
            Ok(entries) => Ok(entries.into_iter().map(delivery).collect()),
            // Redis restarted without its data: the group is gone. Recreate it.
            Err(e) if e.code() == Some("NOGROUP") => {
                self.ensure_group().await?;
                Ok(Vec::new())
            }
            Err(e) => Err(unavailable(e)),
        }
    }

    async fn ack(&mut self, id: &str) -> Result<(), BusError> {
        let _: i64 = self.conn.xack(&self.stream, &self.group, &[id]).await.map_err(unavailable)?;
        Ok(())
    }
}
