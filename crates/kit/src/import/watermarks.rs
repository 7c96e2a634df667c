//! How far each service has absorbed the legacy monolith, per legacy
//! table: the legacy server's clock just before a run read it, and the
//! largest id it read. A later run of the importer passes on only the rows
//! added or changed since (`id > max_id`, or a `created_at`/`updated_at`
//! at or after `read_at`), so the final run of a cut-over is a few
//! seconds, not the whole import again.
//!
//! Each service keeps its own marks in its own database
//! (`kit_import_watermarks`), written by [`advance`] in the transaction
//! of its last import writes: they only move when those writes committed.
//! A run starts from the oldest mark any service has ([`Watermark::oldest`]),
//! so a service whose share failed last time gets everything it missed
//! (the others find those rows unchanged). The legacy clock, not ours,
//! makes `read_at`, so skew between the machines does not matter; `>=`
//! because the monolith's timestamps have whole seconds (re-reading a row
//! is harmless).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, DatabaseTransaction, EntityTrait};
use sea_orm_migration::{prelude::*, schema::*};

use crate::Result;

/// Where one legacy table was read up to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Watermark {
    /// The legacy server's clock (UTC) just before the table was read.
    pub read_at: DateTime<Utc>,
    /// The largest id read.
    pub max_id: i64,
}

/// A service's marks, by legacy table name.
pub type Watermarks = BTreeMap<String, Watermark>;

impl Watermark {
    /// Whether a row was added or changed since this mark. A row without
    /// timestamps counts only by its id (`--full` for what else changed).
    pub fn passed_by(
        &self,
        id: i64,
        created_at: Option<DateTime<Utc>>,
        updated_at: Option<DateTime<Utc>>,
    ) -> bool {
        id > self.max_id || [created_at, updated_at].into_iter().flatten().any(|t| t >= self.read_at)
    }

    /// The earlier of two marks, field by field: what both have absorbed.
    pub fn oldest(self, other: Self) -> Self {
        Self { read_at: Ord::min(self.read_at, other.read_at), max_id: Ord::min(self.max_id, other.max_id) }
    }
}

mod record {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "kit_import_watermarks")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub source_table: String,
        pub read_at: DateTimeUtc,
        pub max_id: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The marks stored in `db`; none when its schema predates them (a dry
/// run does not migrate).
pub async fn watermarks(db: &DatabaseConnection) -> Result<Watermarks> {
    if !SchemaManager::new(db).has_table("kit_import_watermarks").await? {
        return Ok(Watermarks::new());
    }
    Ok(record::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.source_table, Watermark { read_at: r.read_at, max_id: r.max_id }))
        .collect())
}

/// Records `marks` in the transaction of the import writes they stand for.
pub async fn advance(txn: &DatabaseTransaction, marks: &Watermarks) -> Result<()> {
    let mut counts = super::Counts::default();
    for (table, mark) in marks {
        let stored = record::Entity::find_by_id(table.clone()).one(txn).await?;
        let wanted =
            record::Model { source_table: table.clone(), read_at: mark.read_at, max_id: mark.max_id };
        super::upsert(txn, stored.as_ref(), wanted, &mut counts).await?;
    }
    Ok(())
}

#[derive(DeriveIden)]
enum KitImportWatermarks {
    Table,
    SourceTable,
    ReadAt,
    MaxId,
}

/// The `kit_import_watermarks` table, which every service that imports
/// legacy rows lists last in its migrator.
pub fn migration() -> Box<dyn MigrationTrait> {
    Box::new(Migration)
}

struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000001_kit_import_watermarks"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> std::result::Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(KitImportWatermarks::Table)
                .if_not_exists()
                .col(string_len(KitImportWatermarks::SourceTable, 64).primary_key())
                .col(timestamp_with_time_zone(KitImportWatermarks::ReadAt))
                .col(big_integer(KitImportWatermarks::MaxId))
                .to_owned(),
        )
        .await
    }
    async fn down(&self, m: &SchemaManager) -> std::result::Result<(), DbErr> {
        m.drop_table(Table::drop().table(KitImportWatermarks::Table).to_owned()).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_counts_by_its_id_or_either_timestamp_from_the_same_second_on() {
        let at = |s| DateTime::from_timestamp(s, 0).unwrap_or_default();
        let mark = Watermark { read_at: at(1_000), max_id: 10 };
        assert!(!mark.passed_by(10, Some(at(999)), Some(at(999))));
        assert!(!mark.passed_by(3, None, None));
        assert!(mark.passed_by(11, None, None));
        assert!(mark.passed_by(3, None, Some(at(1_000))));
        assert!(mark.passed_by(3, Some(at(1_001)), None));
        let older = Watermark { read_at: at(900), max_id: 20 };
        assert_eq!(mark.oldest(older), Watermark { read_at: at(900), max_id: 10 });
    }
}
