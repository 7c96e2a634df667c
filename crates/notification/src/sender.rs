//! Sends queued deliveries, retrying transient failures with exponential
//! backoff and jitter, marking permanent ones failed with the error.
//!
//! A sender claims a row with a conditional update (`queued` and due, or
//! `sending` with an expired lease → `sending` with a new lease), commits,
//! sends, then records the outcome. Of several replicas one wins each row;
//! a sender killed mid-send leaves a lease that expires, and the row is
//! tried again (at least once towards the provider: an SMTP server cannot
//! tell us whether it kept a message whose answer we never read).
//!
//! A message carrying a one-time secret (a reset or registration link) is
//! stored redacted once its delivery is over, sent or failed for good.

use std::{sync::Arc, time::Duration};

use chrono::Utc;
use futures::{StreamExt, TryStreamExt};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait},
};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::{
    channels::{Channel, Outgoing, SendError},
    entity::delivery::{self, Status},
    ids::DeliveryId,
};

/// After this many attempts a transient failure counts as permanent.
pub const MAX_ATTEMPTS: i32 = 8;
const LEASE: chrono::Duration = chrono::Duration::seconds(60);
const BATCH: u64 = 50;
const TICK: Duration = Duration::from_millis(200);
/// Deliveries in flight at once per instance: providers answer in tens of
/// milliseconds, and one at a time leaves a backlog waiting on the network.
const SENDERS: usize = 8;

pub struct Channels {
    pub email: Arc<dyn Channel>,
    pub sms: Arc<dyn Channel>,
}

impl Channels {
    fn get(&self, channel: delivery::Channel) -> &Arc<dyn Channel> {
        match channel {
            delivery::Channel::Email => &self.email,
            delivery::Channel::Sms => &self.sms,
        }
    }
}

pub fn spawn(
    db: DatabaseConnection,
    channels: Channels,
    retry_base: Duration,
    shutdown: CancellationToken,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match send_due(&db, &channels, retry_base).await {
                Ok(n) if n > 0 => continue, // more may be waiting
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "delivery round failed; retrying"),
            }
            tokio::select! {
                _ = shutdown.cancelled() => return,
                _ = tokio::time::sleep(TICK) => {}
            }
        }
    })
}

/// The delay before attempt `attempts + 1`: base × 2^(attempts−1), at most
/// ten minutes, ±20 % so a crowd of failures does not retry in step.
pub fn backoff(retry_base: Duration, attempts: i32) -> chrono::Duration {
    let exp = u32::try_from(attempts.saturating_sub(1).clamp(0, 16)).unwrap_or(16);
    let ms = (retry_base.as_millis() as f64 * 2f64.powi(exp as i32)).min(600_000.0);
    let jitter = 0.8 + rand::random::<f64>() * 0.4;
    chrono::Duration::milliseconds((ms * jitter) as i64)
}

/// One round: claims and sends what is due, [`SENDERS`] at a time; returns
/// how many it handled.
pub async fn send_due(
    db: &DatabaseConnection,
    channels: &Channels,
    retry_base: Duration,
) -> anyhow::Result<usize> {
    let now = Utc::now();
    let due = Condition::any()
        .add(
            Condition::all()
                .add(delivery::Column::Status.eq(Status::Queued))
                .add(delivery::Column::NextAttemptAt.lte(now)),
        )
        .add(
            Condition::all()
                .add(delivery::Column::Status.eq(Status::Sending))
                .add(delivery::Column::LeaseUntil.lt(now)),
        );
    let candidates: Vec<DeliveryId> = delivery::Entity::find()
        .select_only()
        .column(delivery::Column::Id)
        .filter(due.clone())
        .order_by_asc(delivery::Column::NextAttemptAt)
        .limit(BATCH)
        .into_tuple()
        .all(db)
        .await?;
    futures::stream::iter(candidates)
        .map(|id| deliver(db, channels, retry_base, &due, id))
        .buffer_unordered(SENDERS)
        .try_fold(0, |handled, sent| async move { Ok(handled + usize::from(sent)) })
        .await
}

/// Claims delivery `id` if it is still `due`, sends it and records the
/// outcome; false when another sender had it.
async fn deliver(
    db: &DatabaseConnection,
    channels: &Channels,
    retry_base: Duration,
    due: &Condition,
    id: DeliveryId,
) -> anyhow::Result<bool> {
    let claimed = delivery::Entity::update_many()
        .col_expr(delivery::Column::Status, Expr::value(Status::Sending))
        .col_expr(delivery::Column::LeaseUntil, Expr::value(Utc::now() + LEASE))
        .col_expr(delivery::Column::Attempts, Expr::col(delivery::Column::Attempts).add(1))
        .filter(delivery::Column::Id.eq(id))
        .filter(due.clone())
        .exec(db)
        .await?;
    if claimed.rows_affected == 0 {
        return Ok(false); // another sender has it
    }
    let Some(row) = delivery::Entity::find_by_id(id).one(db).await? else { return Ok(false) };
    let message = serde_json::from_str::<Outgoing>(&row.payload);
    let outcome = match &message {
        Ok(message) => channels.get(row.channel).send(message).await,
        Err(e) => Err(SendError::Permanent(format!("unreadable message: {e}"))),
    };
    let redacted = message.ok().and_then(|m| m.redacted()).map(|m| serde_json::to_string(&m)).transpose()?;
    record(db, &row, outcome, redacted, retry_base).await?;
    Ok(true)
}

/// Stores the outcome of one attempt. `redacted` is the payload without its
/// secrets (when it has any): it replaces the payload once the delivery is
/// over (sent, or failed for good) — a retry still needs the original.
async fn record(
    db: &DatabaseConnection,
    row: &delivery::Model,
    outcome: Result<Option<String>, SendError>,
    redacted: Option<String>,
    retry_base: Duration,
) -> anyhow::Result<()> {
    let now = Utc::now();
    let update = delivery::Entity::update_many().filter(delivery::Column::Id.eq(row.id));
    let (update, over) = match outcome {
        Ok(answer) => (
            update
                .col_expr(delivery::Column::Status, Expr::value(Status::Sent))
                .col_expr(delivery::Column::SentAt, Expr::value(now))
                .col_expr(delivery::Column::ProviderResponse, Expr::value(answer))
                .col_expr(delivery::Column::LastError, Expr::value(Option::<String>::None)),
            true,
        ),
        Err(SendError::Transient(e)) if row.attempts < MAX_ATTEMPTS => {
            tracing::info!(
                delivery = row.id.0,
                attempts = row.attempts,
                "transient delivery failure; will retry"
            );
            let update = update
                .col_expr(delivery::Column::Status, Expr::value(Status::Queued))
                .col_expr(
                    delivery::Column::NextAttemptAt,
                    Expr::value(now + backoff(retry_base, row.attempts)),
                )
                .col_expr(delivery::Column::LastError, Expr::value(e));
            (update, false)
        }
        Err(e) => {
            tracing::warn!(delivery = row.id.0, attempts = row.attempts, "delivery failed for good");
            let update = update
                .col_expr(delivery::Column::Status, Expr::value(Status::Failed))
                .col_expr(delivery::Column::LastError, Expr::value(e.to_string()));
            (update, true)
        }
    };
    let update = match redacted.filter(|_| over) {
        Some(payload) => update.col_expr(delivery::Column::Payload, Expr::value(payload)),
        None => update,
    };
    update
        .col_expr(delivery::Column::LeaseUntil, Expr::value(Option::<chrono::DateTime<Utc>>::None))
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_caps() {
        let base = Duration::from_millis(1000);
        let first = backoff(base, 1).num_milliseconds();
        let third = backoff(base, 3).num_milliseconds();
        assert!((800..=1200).contains(&first), "{first}");
        assert!((3200..=4800).contains(&third), "{third}");
        assert!(backoff(base, 30).num_milliseconds() <= 720_000);
    }
}
