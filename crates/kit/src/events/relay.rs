//! Moves committed outbox rows to the bus, in order, marking each published
//! only after the bus accepted it. While the bus is down rows simply wait.
//! The relay runs when the unit of work that wrote a row is done (see
//! [`after_commit`](super::after_commit)); the idle poll remains for rows
//! written by other instances of the service or outside such a unit.

use std::{sync::Arc, time::Duration};

use chrono::Utc;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
    sea_query::{LockBehavior, LockType},
};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::{Bus, Event, outbox};

const BATCH: u64 = 100;
const IDLE_POLL: Duration = Duration::from_millis(50);
const MAX_BACKOFF: Duration = Duration::from_secs(5);
/// Published rows are kept a day for forensics, then purged.
const KEEP_PUBLISHED: chrono::TimeDelta = chrono::TimeDelta::days(1);

/// Moves committed outbox rows of `source` (the service) to the bus until
/// `shutdown`.
pub fn spawn_relay(
    db: DatabaseConnection,
    bus: Arc<dyn Bus>,
    source: &str,
    shutdown: CancellationToken,
) -> JoinHandle<()> {
    spawn(db, bus, source, shutdown, IDLE_POLL)
}

fn spawn(
    db: DatabaseConnection,
    bus: Arc<dyn Bus>,
    source: &str,
    shutdown: CancellationToken,
    idle_poll: Duration,
) -> JoinHandle<()> {
    let bell = super::wake::register(source);
    tokio::spawn(async move {
        let mut backoff = Duration::from_millis(100);
        let mut last_purge = tokio::time::Instant::now();
        let mut last_gauge = tokio::time::Instant::now();
        loop {
            let pause = match relay_batch(&db, bus.as_ref()).await {
                Ok(0) => idle_poll,
                Ok(_) => {
                    backoff = Duration::from_millis(100);
                    Duration::ZERO
                }
                Err(e) => {
                    tracing::warn!(error = %e, "outbox relay: will retry");
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                    backoff
                }
            };
            if last_gauge.elapsed() > Duration::from_secs(5) {
                last_gauge = tokio::time::Instant::now();
                if let Ok(n) = pending(&db).await {
                    metrics::gauge!("outbox_pending").set(n as f64);
                }
            }
            if last_purge.elapsed() > Duration::from_secs(600) {
                last_purge = tokio::time::Instant::now();
                let cutoff = Utc::now() - KEEP_PUBLISHED;
                let _ = outbox::Entity::delete_many()
                    .filter(outbox::Column::PublishedAt.lt(cutoff))
                    .exec(&db)
                    .await;
            }
            tokio::select! {
                _ = shutdown.cancelled() => return,
                _ = tokio::time::sleep(pause) => {}
                // Only an idle relay answers the bell early; one backing
                // off from a failing bus keeps its pace.
                _ = bell.notified(), if pause == idle_poll => {}
            }
        }
    })
}

/// Publishes one batch; returns how many rows it published.
///
/// On MySQL several instances of a service share one outbox: the batch is
/// locked (`FOR UPDATE SKIP LOCKED`) in a transaction, so each row goes to
/// the instance that locked it. SQLite has one process and one writer; a
/// read transaction held across publishing would there turn into a busy
/// snapshot error the moment a consumer writes, so rows are read and
/// marked without one.
async fn relay_batch(db: &DatabaseConnection, bus: &dyn Bus) -> anyhow::Result<usize> {
    if db.get_database_backend() == DbBackend::MySql {
        let txn = crate::db::begin_write(db).await?;
        let result = publish_rows(&txn, bus, true).await;
        txn.commit().await?;
        result
    } else {
        publish_rows(db, bus, false).await
    }
}

async fn publish_rows<C: ConnectionTrait>(conn: &C, bus: &dyn Bus, lock: bool) -> anyhow::Result<usize> {
    let mut query = outbox::Entity::find()
        .filter(outbox::Column::PublishedAt.is_null())
        .order_by_asc(outbox::Column::Id)
        .limit(BATCH);
    if lock {
        query = query.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let rows = query.all(conn).await?;
    let mut published = Vec::with_capacity(rows.len());
    let mut failure = None;
    for row in &rows {
        let event: Event = match serde_json::from_str(&row.payload) {
            Ok(e) => e,
            Err(e) => {
                // Cannot happen for rows written by `publish`; never block the queue on one.
                tracing::error!(outbox_id = row.id, error = %e, "outbox row is not an event; skipping");
                published.push(row.id);
                continue;
            }
        };
        match bus.publish(&event).await {
            Ok(()) => {
                published.push(row.id);
                metrics::counter!("events_published_total", "type" => event.kind.clone()).increment(1);
            }
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
    }
    if !published.is_empty() {
        outbox::Entity::update_many()
            .col_expr(outbox::Column::PublishedAt, sea_orm::sea_query::Expr::value(Utc::now()))
            .filter(outbox::Column::Id.is_in(published.clone()))
            .exec(conn)
            .await?;
    }
    match failure {
        Some(e) => Err(e.into()),
        None => Ok(published.len()),
    }
}

/// Unpublished rows (the outbox lag), for metrics.
async fn pending(db: &DatabaseConnection) -> Result<u64, sea_orm::DbErr> {
    use sea_orm::PaginatorTrait;
    outbox::Entity::find().filter(outbox::Column::PublishedAt.is_null()).count(db).await
}

#[cfg(all(test, feature = "testing"))]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use sea_orm_migration::MigratorTrait;

    use super::*;
    use crate::testing::{TestEnv, TestIssuer, backends};

    struct Migrator;
    impl MigratorTrait for Migrator {
        fn migrations() -> Vec<Box<dyn sea_orm_migration::MigrationTrait>> {
            crate::db::kit_migrations()
        }
    }

    /// The relay here polls once an hour: only the bell rung after the
    /// commit can bring the event out within the test's patience.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_committed_event_leaves_without_waiting_for_the_poll() {
        for backend in backends() {
            let env = TestEnv::new(backend);
            let ctx = env.context("relaywake", &TestIssuer::new()).await;
            Migrator::up(&ctx.db, None).await.unwrap();
            let mut sub = ctx.bus.subscribe("watcher").await.unwrap();
            let source = format!("relay-wake-{}", uuid::Uuid::new_v4());
            let shutdown = CancellationToken::new();
            spawn(ctx.db.clone(), ctx.bus.clone(), &source, shutdown.clone(), Duration::from_secs(3600));
            // Let the relay's first (empty) pass go by, so it is idle.
            tokio::time::sleep(Duration::from_millis(200)).await;
            let id = crate::events::after_commit(async {
                let txn = crate::db::begin_write(&ctx.db).await.unwrap();
                let id = crate::events::publish(
                    &txn,
                    &source,
                    crate::events::catalog::EventType::UserDeleted,
                    None,
                    &crate::events::catalog::UserDeleted {
                        user_id: crate::ids::UserId(1),
                        role: crate::identity::Role::Patient,
                    },
                )
                .await
                .unwrap();
                txn.commit().await.unwrap();
                id
            })
            .await;
            let got = tokio::time::timeout(Duration::from_secs(20), async {
                loop {
                    for d in sub.next().await.unwrap() {
                        sub.ack(&d.id).await.unwrap();
                        if d.event.as_ref().is_ok_and(|e| e.id == id) {
                            return;
                        }
                    }
                }
            })
            .await;
            assert!(got.is_ok(), "{backend:?}: the event waited for the hourly poll");
            shutdown.cancel();
            env.cleanup().await;
        }
    }
}
