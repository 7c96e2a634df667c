//! The embedded-mode bus: every consumer group of the process gets every
//! event, and `publish` returns only once each group has acknowledged it
//! (handled and committed, or dead-lettered). The relay therefore marks an
//! outbox row published only after it is safe in every consumer's database,
//! so a crash at any point loses nothing: the row is simply relayed again.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use tokio::sync::{mpsc, oneshot, watch};

use super::{Bus, BusError, Delivery, Event, Subscription};

/// How long `publish` waits for every group's acknowledgement before the
/// relay treats the attempt as failed (it retries; the inbox dedups).
const ACK_TIMEOUT: Duration = Duration::from_secs(60);

struct Pending {
    event: Event,
    ack: oneshot::Sender<()>,
}

type Queue = Arc<tokio::sync::Mutex<mpsc::UnboundedReceiver<Pending>>>;

pub struct InProcessBus {
    groups: Mutex<HashMap<String, (mpsc::UnboundedSender<Pending>, Queue)>>,
    open: watch::Sender<bool>,
}

impl InProcessBus {
    /// A bus that delivers at once.
    pub fn new() -> Arc<Self> {
        Arc::new(Self { groups: Mutex::default(), open: watch::Sender::new(true) })
    }

    /// A bus that holds every `publish` until [`open`](Self::open): the
    /// embedded platform opens it once every service has subscribed, so
    /// events left in an outbox by a previous run reach late starters too.
    pub fn gated() -> Arc<Self> {
        Arc::new(Self { groups: Mutex::default(), open: watch::Sender::new(false) })
    }

    pub fn open(&self) {
        self.open.send_replace(true);
    }
}

#[async_trait::async_trait]
impl Bus for InProcessBus {
    async fn publish(&self, event: &Event) -> Result<(), BusError> {
        let mut open = self.open.subscribe();
        let _ = open.wait_for(|o| *o).await;
        let senders: Vec<_> = {
            let groups = self.groups.lock().unwrap_or_else(|p| p.into_inner());
            groups.values().map(|(tx, _)| tx.clone()).collect()
        };
        let mut acks = Vec::with_capacity(senders.len());
        for tx in senders {
            let (ack, rx) = oneshot::channel();
            if tx.send(Pending { event: event.clone(), ack }).is_ok() {
                acks.push(rx);
            }
        }
        let all = futures::future::join_all(acks);
        match tokio::time::timeout(ACK_TIMEOUT, all).await {
            Ok(results) if results.iter().all(Result::is_ok) => Ok(()),
            Ok(_) => Err(BusError::Unavailable("a consumer stopped before acknowledging".into())),
            Err(_) => Err(BusError::Unavailable("consumers did not acknowledge in time".into())),
        }
    }

    async fn ping(&self) -> Result<(), BusError> {
        Ok(())
    }

    async fn subscribe(&self, group: &str) -> Result<Box<dyn Subscription>, BusError> {
        let queue = {
            let mut groups = self.groups.lock().unwrap_or_else(|p| p.into_inner());
            groups
                .entry(group.to_owned())
                .or_insert_with(|| {
                    let (tx, rx) = mpsc::unbounded_channel();
                    (tx, Arc::new(tokio::sync::Mutex::new(rx)))
                })
                .1
                .clone()
        };
        Ok(Box::new(InProcessSubscription { queue, in_flight: HashMap::new(), next_id: 0 }))
    }
}

struct InProcessSubscription {
    queue: Queue,
    in_flight: HashMap<String, oneshot::Sender<()>>,
    next_id: u64,
}

#[async_trait::async_trait]
impl Subscription for InProcessSubscription {
    async fn next(&mut self) -> Result<Vec<Delivery>, BusError> {
        let pending = {
            let mut rx = self.queue.lock().await;
            match tokio::time::timeout(Duration::from_secs(1), rx.recv()).await {
                Ok(Some(p)) => p,
                Ok(None) | Err(_) => return Ok(Vec::new()),
            }
        };
        self.next_id += 1;
        let id = self.next_id.to_string();
        self.in_flight.insert(id.clone(), pending.ack);
        Ok(vec![Delivery { id, event: Ok(pending.event) }])
    }

    async fn ack(&mut self, id: &str) -> Result<(), BusError> {
        if let Some(tx) = self.in_flight.remove(id) {
            let _ = tx.send(());
        }
        Ok(())
    }
}
