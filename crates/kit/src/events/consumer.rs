//! Idempotent consumers: each event is handled inside a transaction that
//! also records its id in the inbox, so redelivery never handles it twice.
//! Failures are retried with backoff, then dead-lettered.

use std::{sync::Arc, time::Duration};

use chrono::Utc;
use futures::StreamExt;
use rand::Rng;
use sea_orm::{ActiveModelTrait, DatabaseConnection, DatabaseTransaction, DbErr, Set, entity::prelude::*};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use super::{Bus, Delivery, Event, Subscription, catalog::EventType};

/// Attempts before an event is dead-lettered.
pub const MAX_ATTEMPTS: u32 = 8;

#[derive(Debug, thiserror::Error)]
pub enum HandlerError {
    /// Try again later (with backoff); dead-lettered after the last attempt.
    #[error("transient: {0}")]
    Retry(anyhow::Error),
    /// Will never succeed: dead-letter now.
    #[error("permanent: {0}")]
    Permanent(anyhow::Error),
}

impl From<DbErr> for HandlerError {
    fn from(e: DbErr) -> Self {
        HandlerError::Retry(e.into())
    }
}

/// A payload that does not parse never will: dead-letter it.
impl From<serde_json::Error> for HandlerError {
    fn from(e: serde_json::Error) -> Self {
        HandlerError::Permanent(e.into())
    }
}

/// Handles one event inside the transaction that also records it in the
/// inbox, so a handled event is never handled twice. `kind` is the event's
/// type, read once here: a handler `match`es on it, exhaustively, so a new
/// type in the catalog is a decision for every consumer.
#[async_trait::async_trait]
pub trait Handler: Send + Sync + 'static {
    async fn handle(
        &self,
        txn: &DatabaseTransaction,
        kind: EventType,
        event: &Event,
    ) -> Result<(), HandlerError>;

    /// Which events of a batch may be handled side by side (see [`LANES`]):
    /// events with the same lane keep their order; an event without one
    /// waits for everything before it and holds back everything after it.
    /// The default, no lane, handles events one at a time in stream order.
    fn lane(&self, _kind: EventType, _event: &Event) -> Option<String> {
        None
    }
}

/// How many lanes of one batch are handled at once.
pub const LANES: usize = 4;

mod inbox {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "kit_inbox")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub event_id: String,
        pub kind: String,
        pub handled_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

mod dead_letter {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "kit_dead_letters")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub event_id: String,
        pub consumer_group: String,
        pub kind: String,
        #[sea_orm(column_type = "Text")]
        pub payload: String,
        #[sea_orm(column_type = "Text")]
        pub error: String,
        pub attempts: i32,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Consumes `types` as consumer group `group` until `shutdown`.
///
/// The first subscription attempt happens before this returns, so a
/// service that spawns its consumers before its relay has its groups known
/// to an in-process bus before any event flows. If the bus is unreachable
/// (Redis down at start-up), the task keeps trying in the background.
pub async fn spawn_consumer(
    db: DatabaseConnection,
    bus: Arc<dyn Bus>,
    group: &str,
    types: &[EventType],
    handler: Arc<dyn Handler>,
    shutdown: CancellationToken,
) -> JoinHandle<()> {
    let consumer = Consumer { db, group: group.to_owned(), types: types.to_vec(), handler };
    let first = bus.subscribe(group).await;
    tokio::spawn(async move {
        let mut backoff = Duration::from_millis(200);
        let mut sub = match first {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(group = %consumer.group, error = %e, "cannot subscribe yet");
                loop {
                    tokio::select! {
                        _ = shutdown.cancelled() => return,
                        _ = tokio::time::sleep(backoff) => {}
                    }
                    backoff = (backoff * 2).min(Duration::from_secs(5));
                    match bus.subscribe(&consumer.group).await {
                        Ok(s) => break s,
                        Err(e) => tracing::warn!(group = %consumer.group, error = %e, "cannot subscribe yet"),
                    }
                }
            }
        };
        loop {
            let batch = tokio::select! {
                _ = shutdown.cancelled() => return,
                b = sub.next() => b,
            };
            match batch {
                Ok(deliveries) => {
                    backoff = Duration::from_millis(200);
                    // Other types need no work; acknowledged at once, they
                    // do not split the batch's lanes either.
                    let (wanted, others): (Vec<_>, Vec<_>) =
                        deliveries.into_iter().partition(|d| consumer.wants(d));
                    consumer.ack(sub.as_mut(), others.into_iter().map(|d| d.id)).await;
                    for step in steps(wanted, consumer.handler.as_ref()) {
                        let (done, finished) = consumer.run(step, &shutdown).await;
                        consumer.ack(sub.as_mut(), done).await;
                        if !finished {
                            return; // shutting down mid-event: leave the rest unacknowledged
                        }
                    }
                }
                Err(e) => {
                    tracing::warn!(group = %consumer.group, error = %e, "bus read failed; retrying");
                    tokio::select! {
                        _ = shutdown.cancelled() => return,
                        _ = tokio::time::sleep(backoff) => {}
                    }
                    backoff = (backoff * 2).min(Duration::from_secs(5));
                }
            }
        }
    })
}

struct Consumer {
    db: DatabaseConnection,
    group: String,
    types: Vec<EventType>,
    handler: Arc<dyn Handler>,
}

enum Outcome {
    Handled,
    Duplicate,
}

/// Part of a batch: lanes handled side by side (one lane of one event for
/// an event without a lane).
struct Step {
    lanes: Vec<Vec<Delivery>>,
}

/// Splits a batch in stream order: consecutive events with lanes gather
/// into one step (grouped by lane, order kept within each); an event
/// without a lane (or unreadable) is a step of its own.
fn steps(deliveries: Vec<Delivery>, handler: &dyn Handler) -> Vec<Step> {
    let mut out = Vec::new();
    let mut lanes: Vec<(String, Vec<Delivery>)> = Vec::new();
    for d in deliveries {
        let lane = d.event.as_ref().ok().and_then(|e| handler.lane(e.event_type()?, e));
        match lane {
            Some(key) => match lanes.iter_mut().find(|(k, _)| *k == key) {
                Some((_, lane)) => lane.push(d),
                None => lanes.push((key, vec![d])),
            },
            None => {
                if !lanes.is_empty() {
                    out.push(Step { lanes: lanes.drain(..).map(|(_, l)| l).collect() });
                }
                out.push(Step { lanes: vec![vec![d]] });
            }
        }
    }
    if !lanes.is_empty() {
        out.push(Step { lanes: lanes.into_iter().map(|(_, l)| l).collect() });
    }
    out
}

impl Consumer {
    /// Whether this consumer handles the delivery (an unreadable one it
    /// dead-letters, so that counts; one of a type this build does not
    /// know it skips, like any type it does not consume).
    fn wants(&self, d: &Delivery) -> bool {
        d.event.as_ref().map_or(true, |e| e.event_type().is_some_and(|t| self.types.contains(&t)))
    }

    async fn ack(&self, sub: &mut dyn Subscription, ids: impl IntoIterator<Item = String>) {
        for id in ids {
            if let Err(e) = sub.ack(&id).await {
                tracing::warn!(group = %self.group, error = %e, "ack failed; will be redelivered");
            }
        }
    }

    /// Runs one step; returns the ids to acknowledge, and false when
    /// shutdown interrupted it.
    async fn run(&self, step: Step, shutdown: &CancellationToken) -> (Vec<String>, bool) {
        let mut results = futures::stream::iter(step.lanes)
            .map(|lane| async move {
                let mut done = Vec::with_capacity(lane.len());
                for d in lane {
                    if !self.process(&d, shutdown).await {
                        return (done, false);
                    }
                    done.push(d.id);
                }
                (done, true)
            })
            .buffer_unordered(LANES);
        let (mut done, mut finished) = (Vec::new(), true);
        while let Some((ids, ok)) = results.next().await {
            done.extend(ids);
            finished &= ok;
        }
        (done, finished)
    }

    /// Handles (or dead-letters) one delivery. False only when shutdown
    /// interrupted it, in which case it must not be acknowledged.
    async fn process(&self, d: &Delivery, shutdown: &CancellationToken) -> bool {
        let event = match &d.event {
            Ok(e) => e,
            Err(raw) => {
                self.dead_letter("", "malformed", raw, "not a CloudEvents envelope", 1).await;
                return true;
            }
        };
        let span =
            tracing::info_span!("event", group = %self.group, kind = %event.kind, event_id = %event.id);
        crate::telemetry::set_parent_from_traceparent(&span, event.traceparent.as_deref());
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            // Events the handler writes leave as soon as its transaction is in.
            let result = super::after_commit(self.handle_once(event)).instrument(span.clone()).await;
            let error = match result {
                Ok(outcome) => {
                    let outcome = match outcome {
                        Outcome::Handled => "handled",
                        Outcome::Duplicate => "duplicate",
                    };
                    metrics::counter!("events_handled_total", "group" => self.group.clone(), "type" => event.kind.clone(), "outcome" => outcome).increment(1);
                    return true;
                }
                Err(HandlerError::Permanent(e)) => {
                    self.dead_letter_event(event, &e, attempt).await;
                    return true;
                }
                Err(HandlerError::Retry(e)) if attempt >= MAX_ATTEMPTS => {
                    self.dead_letter_event(event, &e, attempt).await;
                    return true;
                }
                Err(HandlerError::Retry(e)) => e,
            };
            let delay = backoff(attempt);
            // The error text may quote data; the event id is enough to find it.
            tracing::warn!(group = %self.group, kind = %event.kind, event_id = %event.id, attempt, error = %error, "event handler failed; retrying");
            tokio::select! {
                _ = shutdown.cancelled() => return false,
                _ = tokio::time::sleep(delay) => {}
            }
        }
    }

    async fn handle_once(&self, event: &Event) -> Result<Outcome, HandlerError> {
        handle_once(&self.db, self.handler.as_ref(), event).await
    }

    async fn dead_letter_event(&self, event: &Event, error: &anyhow::Error, attempts: u32) {
        let payload = serde_json::to_string(event).unwrap_or_default();
        self.dead_letter(&event.id.to_string(), &event.kind, &payload, &error.to_string(), attempts).await;
    }

    async fn dead_letter(&self, event_id: &str, kind: &str, payload: &str, error: &str, attempts: u32) {
        tracing::error!(group = %self.group, kind, event_id, attempts, "event dead-lettered");
        metrics::counter!("events_dead_lettered_total", "group" => self.group.clone()).increment(1);
        let row = dead_letter::ActiveModel {
            event_id: Set(event_id.to_owned()),
            consumer_group: Set(self.group.clone()),
            kind: Set(kind.to_owned()),
            payload: Set(payload.to_owned()),
            error: Set(error.to_owned()),
            attempts: Set(attempts as i32),
            created_at: Set(Utc::now()),
            ..Default::default()
        };
        if let Err(e) = row.insert(&self.db).await {
            tracing::error!(error = %e, "could not record a dead letter");
        }
    }
}

/// Handles `event` as this service's consumer would — in one transaction
/// with its inbox row — unless it already was. For a read model that
/// learned an event from its owner before the bus brought it (see
/// [`crate::internal::learn`]): the delivery that follows is then a
/// duplicate, a no-op. True when it was handled now.
pub async fn apply(
    db: &DatabaseConnection,
    handler: &dyn Handler,
    event: &Event,
) -> Result<bool, HandlerError> {
    Ok(matches!(handle_once(db, handler, event).await?, Outcome::Handled))
}

/// Handles `event` inside `txn` — the transaction of another event being
/// handled, which turned out to need this one first (its owner's
/// [`learn_within`](crate::internal::learn_within)) — recording it in the
/// inbox there, unless it already was handled. True when handled now.
pub async fn apply_within(
    txn: &DatabaseTransaction,
    handler: &dyn Handler,
    event: &Event,
) -> Result<bool, HandlerError> {
    let kind = known(event)?;
    let recorded = inbox::ActiveModel {
        event_id: Set(event.id.to_string()),
        kind: Set(event.kind.clone()),
        handled_at: Set(Utc::now()),
    }
    .insert(txn)
    .await;
    match recorded {
        Ok(_) => {}
        // Only the statement failed; the transaction goes on.
        Err(e) if crate::db::is_unique_violation(&e) => return Ok(false),
        Err(e) => return Err(e.into()),
    }
    handler.handle(txn, kind, event).await?;
    Ok(true)
}

/// The type of an event about to be handled. A consumer only takes types
/// it lists, but [`apply`] may be given whatever an owner answered: a type
/// this build does not know can never be handled.
fn known(event: &Event) -> Result<EventType, HandlerError> {
    event
        .event_type()
        .ok_or_else(|| HandlerError::Permanent(anyhow::anyhow!("unknown event type {}", event.kind)))
}

/// Handles one event in a transaction that records it in the inbox.
async fn handle_once(
    db: &DatabaseConnection,
    handler: &dyn Handler,
    event: &Event,
) -> Result<Outcome, HandlerError> {
    let kind = known(event)?;
    let txn = crate::db::begin_write(db).await?;
    let recorded = inbox::ActiveModel {
        event_id: Set(event.id.to_string()),
        kind: Set(event.kind.clone()),
        handled_at: Set(Utc::now()),
    }
    .insert(&txn)
    .await;
    match recorded {
        Ok(_) => {}
        Err(e) if crate::db::is_unique_violation(&e) => return Ok(Outcome::Duplicate),
        Err(e) => return Err(e.into()),
    }
    if let Err(e) = handler.handle(&txn, kind, event).await {
        // Now rather than on drop, so the connection is back in the
        // pool, clean, before the retry.
        txn.rollback().await?;
        return Err(e);
    }
    match txn.commit().await {
        Ok(()) => Ok(Outcome::Handled),
        // A concurrent consumer committed the same event first.
        Err(e) if crate::db::is_unique_violation(&e) => Ok(Outcome::Duplicate),
        Err(e) => Err(e.into()),
    }
}

/// 100 ms × 2^attempt, capped at 30 s, with ±50 % jitter so retries of many
/// consumers do not march in step.
fn backoff(attempt: u32) -> Duration {
    let base = Duration::from_millis(100).saturating_mul(1 << attempt.min(9)).min(Duration::from_secs(30));
    base.mul_f64(rand::rng().random_range(0.5..1.5))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lanes by subject; events without one go alone.
    struct BySubject;

    #[async_trait::async_trait]
    impl Handler for BySubject {
        async fn handle(
            &self,
            _txn: &DatabaseTransaction,
            _kind: EventType,
            _event: &Event,
        ) -> Result<(), HandlerError> {
            Ok(())
        }
        fn lane(&self, _kind: EventType, event: &Event) -> Option<String> {
            event.subject.clone()
        }
    }

    fn delivery(id: &str, subject: Option<&str>) -> Delivery {
        let event =
            Event::new("test", EventType::UserUpdated, subject.map(str::to_owned), serde_json::Value::Null);
        Delivery { id: id.into(), event: Ok(event) }
    }

    fn ids(step: &Step) -> Vec<Vec<&str>> {
        step.lanes.iter().map(|l| l.iter().map(|d| d.id.as_str()).collect()).collect()
    }

    #[test]
    fn a_batch_splits_into_ordered_lanes_around_events_without_one() {
        let batch = vec![
            delivery("1", Some("a")),
            delivery("2", Some("b")),
            delivery("3", Some("a")),
            delivery("4", None),
            delivery("5", Some("a")),
            Delivery { id: "6".into(), event: Err("garbage".into()) },
        ];
        let steps = steps(batch, &BySubject);
        let shape: Vec<_> = steps.iter().map(ids).collect();
        assert_eq!(
            shape,
            vec![vec![vec!["1", "3"], vec!["2"]], vec![vec!["4"]], vec![vec!["5"]], vec![vec!["6"]]]
        );
    }

    #[test]
    fn backoff_grows_and_caps() {
        assert!(backoff(1) <= Duration::from_millis(300));
        assert!(backoff(20) <= Duration::from_secs(45));
        assert!(backoff(5) >= Duration::from_millis(1600));
    }
}
