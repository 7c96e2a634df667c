//! `doctor_summaries.version`: counts a doctor's announced summaries, so
//! consumers can tell a late event from the latest one.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveIden)]
enum DoctorSummaries {
    Table,
    Version,
}

pub struct AddSummaryVersion;

impl MigrationName for AddSummaryVersion {
    fn name(&self) -> &str {
        "m20261201_000001_rating_summary_version"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for AddSummaryVersion {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(DoctorSummaries::Table)
                .add_column(big_integer(DoctorSummaries::Version).default(0))
                .to_owned(),
        )
        .await
    }
}
