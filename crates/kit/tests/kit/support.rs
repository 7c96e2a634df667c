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
