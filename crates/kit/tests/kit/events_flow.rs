//! The event path on both backends: outbox → relay → bus → inbox consumer.

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use kit::{
    events::{self, Event, Handler, HandlerError, catalog::EventType},
    testing::{Backend, TestEnv, eventually},
};
use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, Statement, TransactionTrait};
use sea_orm_migration::MigratorTrait;

use crate::support::{Migrator, Probe};
use tokio_util::sync::CancellationToken;

/// Counts handled events; fails the first `fail_first` attempts; `permanent`
/// fails for good.
struct Counting {
    handled: AtomicUsize,
    attempts: AtomicUsize,
    fail_first: usize,
    permanent: bool,
}

impl Counting {
    fn new(fail_first: usize, permanent: bool) -> Arc<Self> {
        Arc::new(Self { handled: AtomicUsize::new(0), attempts: AtomicUsize::new(0), fail_first, permanent })
    }
}

#[async_trait::async_trait]
impl Handler for Counting {
    async fn handle(
        &self,
        _txn: &DatabaseTransaction,
        _kind: EventType,
        _event: &Event,
    ) -> Result<(), HandlerError> {
        let n = self.attempts.fetch_add(1, Ordering::SeqCst);
        if self.permanent {
            return Err(HandlerError::Permanent(anyhow::anyhow!("never")));
        }
        if n < self.fail_first {
            return Err(HandlerError::Retry(anyhow::anyhow!("not yet")));
        }
        self.handled.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

/// Stand-ins: the consumers below take any payload ([`Probe`]).
const OK: EventType = EventType::UserUpdated;
const DEAD: EventType = EventType::UserDeleted;

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    let row =
        db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

kit::per_backend! {
    async fn committed_events_are_handled_exactly_once_and_rolled_back_ones_never(backend: Backend) {
        let env = TestEnv::new(backend);
        let db = kit::db::connect(&env.settings, "events").await.unwrap();
        Migrator::up(&db, None).await.unwrap();
        let bus = env.bus().await;
        let shutdown = CancellationToken::new();
        let ok = Counting::new(2, false);
        let dead = Counting::new(0, true);
        events::spawn_consumer(db.clone(), bus.clone(), "ok", &[OK], ok.clone(), shutdown.clone())
            .await;
        events::spawn_consumer(
            db.clone(),
            bus.clone(),
            "dead",
            &[DEAD],
            dead.clone(),
            shutdown.clone(),
        )
        .await;
        events::spawn_relay(db.clone(), bus.clone(), "test", shutdown.clone());

        let txn = db.begin().await.unwrap();
        events::publish(&txn, "test", OK, None, &Probe(0)).await.unwrap();
        txn.rollback().await.unwrap();
        let txn = db.begin().await.unwrap();
        let id = events::publish(&txn, "test", OK, None, &Probe(1)).await.unwrap();
        events::publish(&txn, "test", DEAD, None, &Probe(2)).await.unwrap();
        txn.commit().await.unwrap();

        // Retried twice, then handled once.
        eventually("the ok event", || async { (ok.handled.load(Ordering::SeqCst) == 1).then_some(()) }).await;
        // The same envelope delivered again is recognised by the inbox.
        let payload: String = db
            .query_one_raw(Statement::from_sql_and_values(
                db.get_database_backend(),
                "SELECT payload FROM kit_outbox WHERE event_id = ?",
                [id.to_string().into()],
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get_by_index(0)
            .unwrap();
        let again: Event = serde_json::from_str(&payload).unwrap();
        bus.publish(&again).await.unwrap();
        // A type this build does not know (a newer producer's) is skipped by
        // every consumer: not handled, not dead-lettered.
        let mut newer = Event::new("test", OK, None, serde_json::json!({"n": 3}));
        newer.kind = "quickcare.thing.invented.v9".into();
        bus.publish(&newer).await.unwrap();
        eventually("the dead letter", || async { (dead.attempts.load(Ordering::SeqCst) == 1).then_some(()) })
            .await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(ok.handled.load(Ordering::SeqCst), 1, "{backend:?}: handled twice");
        assert_eq!(ok.attempts.load(Ordering::SeqCst), 3, "{backend:?}: two failures then success");
        eventually("the dead letter stored", || async {
            (count(&db, "SELECT COUNT(*) FROM kit_dead_letters").await == 1).then_some(())
        })
        .await;
        assert_eq!(count(&db, "SELECT COUNT(*) FROM kit_inbox").await, 1, "only the handled event");
        assert_eq!(count(&db, "SELECT COUNT(*) FROM kit_outbox WHERE published_at IS NULL").await, 0);
        shutdown.cancel();
        drop(db);
        if backend == Backend::MySql {
            env.cleanup().await;
        }
    }
}
