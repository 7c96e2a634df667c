//! Read your own writes on both backends: a read model that misses asks
//! the owner once (`kit::internal::learn`, over the service credential),
//! handles the owner's event through its own handler and inbox, and the
//! delivery that comes later is a no-op.

use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

use axum::{Router, extract::State, http::StatusCode, routing::get};
use kit::{
    events::{self, Event, Handler, HandlerError, catalog::EventType},
    extract::Path,
    internal::{self, ServiceCaller},
    json::Json,
    testing::{TestClient, TestEnv, TestIssuer},
};
use sea_orm::{DatabaseConnection, DatabaseTransaction};
use sea_orm_migration::MigratorTrait;

use crate::support::{Migrator, Probe};

/// Stand-ins for a thing's first event and a later one (payloads `Probe(7)`, `Probe(8)`).
const KIND: EventType = EventType::PatientRegistered;
const LATER: EventType = EventType::PatientPreferencesChanged;

/// The reader's handler: counts what it handled.
#[derive(Default)]
struct Reader {
    handled: AtomicUsize,
}

#[async_trait::async_trait]
impl Handler for Reader {
    async fn handle(
        &self,
        _txn: &DatabaseTransaction,
        _kind: EventType,
        _event: &Event,
    ) -> Result<(), HandlerError> {
        self.handled.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

#[derive(Clone)]
struct Owner {
    db: DatabaseConnection,
    asked: Arc<AtomicUsize>,
}

/// The owner's `/internal/` route: the first event it wrote about a thing.
async fn thing(
    State(owner): State<Owner>,
    caller: ServiceCaller,
    Path(id): Path<i64>,
) -> kit::Result<Json<Event>> {
    assert_eq!(caller.0, "reader", "the credential names the calling service");
    owner.asked.fetch_add(1, Ordering::SeqCst);
    internal::first_event(&owner.db, KIND, &format!("thing/{id}")).await
}

kit::per_backend! {
    async fn a_miss_learns_the_owners_event_once_and_its_delivery_is_a_no_op(backend: Backend) {
        let env = TestEnv::new(backend);
        let issuer = TestIssuer::new();
        let owner_ctx = env.context("owner", &issuer).await;
        let reader_ctx = env.context("reader", &issuer).await;
        Migrator::up(&owner_ctx.db, None).await.unwrap();
        Migrator::up(&reader_ctx.db, None).await.unwrap();
        let asked = Arc::new(AtomicUsize::new(0));
        let owner = Owner { db: owner_ctx.db.clone(), asked: asked.clone() };
        let api = Router::new().route("/internal/things/{id}", get(thing)).with_state(owner);
        let owner_router = kit::http::finish(api, &owner_ctx);
        reader_ctx.peers.register_local("owner", owner_router.clone());

        // The owner makes thing 7 (and a later event about it).
        let txn = kit::db::begin_write(&owner_ctx.db).await.unwrap();
        let created = events::publish(&txn, "owner", KIND, Some("thing/7".into()), &Probe(7)).await.unwrap();
        events::publish(&txn, "owner", LATER, Some("thing/7".into()), &Probe(8))
            .await
            .unwrap();
        txn.commit().await.unwrap();

        let reader = Reader::default();
        let learned = internal::learn(
            &reader_ctx,
            &reader,
            "owner",
            "/internal/things/7",
            internal::about(KIND, "thing/7"),
        )
        .await
        .unwrap();
        assert!(learned, "{backend:?}");
        assert_eq!(asked.load(Ordering::SeqCst), 1, "{backend:?}: the owner is asked once");
        assert_eq!(reader.handled.load(Ordering::SeqCst), 1, "{backend:?}: handled through the handler");

        // The bus brings the same event later: the inbox makes it a no-op.
        let delivered = owner_event(&owner_ctx.db, created).await;
        assert!(!events::apply(&reader_ctx.db, &reader, &delivered).await.unwrap(), "{backend:?}");
        assert_eq!(reader.handled.load(Ordering::SeqCst), 1, "{backend:?}: handled twice");

        // Something the owner never announced stays unknown.
        let unknown = internal::learn(
            &reader_ctx,
            &reader,
            "owner",
            "/internal/things/8",
            internal::about(KIND, "thing/8"),
        )
        .await
        .unwrap();
        assert!(!unknown, "{backend:?}");
        // An answer about another subject than asked is not applied.
        let other = internal::learn(
            &reader_ctx,
            &reader,
            "owner",
            "/internal/things/7",
            internal::about(KIND, "thing/9"),
        )
        .await
        .unwrap();
        assert!(!other, "{backend:?}");
        assert_eq!(reader.handled.load(Ordering::SeqCst), 1, "{backend:?}");

        // Without a valid service credential the route does not exist.
        let owner = TestClient::router(owner_router);
        assert_eq!(owner.get("/internal/things/7").send().await.status, StatusCode::NOT_FOUND);
        let foreign = kit::crypto::Keyring::parse("x:AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=").unwrap();
        let forged = internal::credential(&foreign, "reader");
        let refused = owner.get("/internal/things/7").header(internal::HEADER, &forged).send().await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND);
        assert_eq!(asked.load(Ordering::SeqCst), 3, "{backend:?}: refused calls never reach the handler");
        env.cleanup().await;
    }
}

/// The event as the owner's outbox holds it (what the relay publishes).
async fn owner_event(db: &DatabaseConnection, id: uuid::Uuid) -> Event {
    let event = events::first_written(db, KIND, "thing/7").await.unwrap().unwrap();
    assert_eq!(event.id, id);
    event
}
