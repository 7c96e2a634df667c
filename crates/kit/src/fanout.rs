//! Ephemeral broadcast to every instance of a service: live updates for
//! connected clients (server-sent events). Unlike the event bus, nothing
//! is kept or retried: a message reaches the instances listening now.
//! Redis pub/sub when `QUICKCARE_REDIS_URL` is set; a tokio broadcast
//! channel in one process.

use std::{sync::Arc, time::Duration};

use futures::StreamExt;
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

use crate::config::Settings;

/// How many messages a slow listener may fall behind before it skips some.
const BUFFER: usize = 1024;

/// A message: a topic (e.g. `notifications`) and its JSON payload.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub topic: String,
    pub payload: String,
}

#[async_trait::async_trait]
pub trait Fanout: Send + Sync {
    /// Sends to every instance listening now (this one included).
    async fn publish(&self, topic: &str, payload: &str);
    /// What every instance publishes from now on.
    fn subscribe(&self) -> broadcast::Receiver<Message>;
}

/// One process: a broadcast channel.
pub struct InProcessFanout {
    tx: broadcast::Sender<Message>,
}

impl InProcessFanout {
    pub fn new() -> Arc<Self> {
        Arc::new(Self { tx: broadcast::channel(BUFFER).0 })
    }
}

#[async_trait::async_trait]
impl Fanout for InProcessFanout {
    async fn publish(&self, topic: &str, payload: &str) {
        // No listener is not an error: nobody is connected.
        let _ = self.tx.send(Message { topic: topic.into(), payload: payload.into() });
    }

    fn subscribe(&self) -> broadcast::Receiver<Message> {
        self.tx.subscribe()
    }
}

/// Every instance: Redis `PUBLISH` on `<namespace>:fanout`, and one
/// subscriber task per process feeding a local broadcast channel (it
/// reconnects after a Redis outage; what was published meanwhile is lost,
/// which is what "ephemeral" means).
pub struct RedisFanout {
    client: redis::Client,
    channel: String,
    local: broadcast::Sender<Message>,
}

impl RedisFanout {
    pub fn start(url: &str, namespace: &str, shutdown: CancellationToken) -> anyhow::Result<Arc<Self>> {
        let client = redis::Client::open(url)?;
        let me = Arc::new(Self {
            client,
            channel: format!("{namespace}:fanout"),
            local: broadcast::channel(BUFFER).0,
        });
        let listener = me.clone();
        tokio::spawn(async move {
            loop {
                if let Err(e) = listener.listen(&shutdown).await {
                    tracing::warn!(error = %e, "fan-out subscription lost; reconnecting");
                }
                tokio::select! {
                    _ = shutdown.cancelled() => return,
                    _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                }
            }
        });
        Ok(me)
    }

    async fn listen(&self, shutdown: &CancellationToken) -> redis::RedisResult<()> {
        let mut pubsub = self.client.get_async_pubsub().await?;
        pubsub.subscribe(&self.channel).await?;
        let mut messages = pubsub.on_message();
        loop {
            let next = tokio::select! {
                _ = shutdown.cancelled() => return Ok(()),
                next = messages.next() => next,
            };
            let Some(msg) = next else { return Ok(()) };
            let Ok(raw) = msg.get_payload::<String>() else { continue };
            if let Some((topic, payload)) = raw.split_once('\n') {
                let _ = self.local.send(Message { topic: topic.into(), payload: payload.into() });
            }
        }
    }
}

#[async_trait::async_trait]
impl Fanout for RedisFanout {
    async fn publish(&self, topic: &str, payload: &str) {
        let result: redis::RedisResult<()> = async {
            let mut conn = self.client.get_multiplexed_async_connection().await?;
            redis::cmd("PUBLISH")
                .arg(&self.channel)
                .arg(format!("{topic}\n{payload}"))
                .query_async(&mut conn)
                .await
        }
        .await;
        if let Err(e) = result {
            tracing::warn!(error = %e, topic, "fan-out message not published");
        }
    }

    fn subscribe(&self) -> broadcast::Receiver<Message> {
        self.local.subscribe()
    }
}

/// Redis pub/sub when configured, else in-process.
pub fn from_settings(settings: &Settings, shutdown: CancellationToken) -> anyhow::Result<Arc<dyn Fanout>> {
    Ok(match settings.redis_url.as_deref() {
        Some(url) => RedisFanout::start(url, &settings.namespace, shutdown)?,
        None => InProcessFanout::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn in_process_listeners_all_hear_it() {
        let f = InProcessFanout::new();
        let (mut a, mut b) = (f.subscribe(), f.subscribe());
        f.publish("t", "{}").await;
        assert_eq!(a.recv().await.unwrap().topic, "t");
        assert_eq!(b.recv().await.unwrap().payload, "{}");
    }
}
