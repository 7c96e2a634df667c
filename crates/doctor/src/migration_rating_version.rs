//! `doctors.rating_version`: the version of the rating summary last applied,
//! so a `rating.summary_changed` relayed late (several rating instances
//! relay in parallel) cannot put an older average back.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveIden)]
enum Doctors {
    Table,
    RatingVersion,
}

pub struct AddRatingVersion;

impl MigrationName for AddRatingVersion {
    fn name(&self) -> &str {
        "m20261201_000001_doctor_rating_version"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for AddRatingVersion {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Doctors::Table)
                .add_column(big_integer(Doctors::RatingVersion).default(0))
                .to_owned(),
        )
        .await
    }
}
