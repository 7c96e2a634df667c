//! What several of kit's test modules share.

use sea_orm_migration::MigratorTrait;

/// kit's own tables (outbox, inbox, dead letters, idempotency keys) and
/// nothing else: the tests here have no service of their own.
pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn sea_orm_migration::MigrationTrait>> {
        kit::db::kit_migrations()
    }
}

/// A stand-in payload: kit's tests move events of a few real types whose
/// real payloads they do not care about.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Probe(pub i64);

impl kit::events::catalog::Payload for Probe {
    const TYPES: &'static [kit::events::catalog::EventType] = {
        use kit::events::catalog::EventType::*;
        &[UserUpdated, UserDeleted, PatientRegistered, PatientPreferencesChanged]
    };
}
