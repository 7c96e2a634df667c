//! The rating service's schema, written once for MySQL and SQLite.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        let mut all = kit::db::kit_migrations();
        all.push(Box::new(CreateRatingTables));
        all.push(Box::new(crate::migration_summary_version::AddSummaryVersion));
        all.push(kit::import::migration());
        all
    }
}

#[derive(DeriveIden)]
enum Ratings {
    Table,
    Id,
    PatientId,
    DoctorId,
    Rating,
    Comment,
    CreatedAt,
    UpdatedAt,
    Status,
    HoldReason,
    ReportCount,
    ModeratedAt,
}

#[derive(DeriveIden)]
enum RatingReports {
    Table,
    Id,
    RatingId,
    ReporterUserId,
    Reason,
    CreatedAt,
}

#[derive(DeriveIden)]
enum DoctorSummaries {
    Table,
    DoctorId,
    Average,
    Count,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PatientDirectory {
    Table,
    PatientId,
    UserId,
}

#[derive(DeriveIden)]
enum Visits {
    Table,
    AppointmentId,
    PatientId,
    DoctorId,
    Status,
    StartAt,
    ChangedAt,
}

struct CreateRatingTables;

impl MigrationName for CreateRatingTables {
    fn name(&self) -> &str {
        "m20260301_000001_rating_tables"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for CreateRatingTables {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        ratings(m).await?;
        m.create_table(
            Table::create()
                .table(RatingReports::Table)
                .if_not_exists()
                .col(big_pk_auto(RatingReports::Id))
                .col(big_integer(RatingReports::RatingId))
                .col(big_integer(RatingReports::ReporterUserId))
                .col(text(RatingReports::Reason))
                .col(timestamp_with_time_zone(RatingReports::CreatedAt))
                .to_owned(),
        )
        .await?;
        // One report per reporter and rating: reporting is idempotent.
        m.create_index(
            Index::create()
                .name("uq_rating_reports_reporter")
                .table(RatingReports::Table)
                .col(RatingReports::RatingId)
                .col(RatingReports::ReporterUserId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_rating_reports_reporter")
                .table(RatingReports::Table)
                .col(RatingReports::ReporterUserId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(DoctorSummaries::Table)
                .if_not_exists()
                .col(big_integer(DoctorSummaries::DoctorId).primary_key())
                .col(double(DoctorSummaries::Average))
                .col(big_integer(DoctorSummaries::Count))
                .col(timestamp_with_time_zone(DoctorSummaries::UpdatedAt))
                .to_owned(),
        )
        .await?;
        read_models(m).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            Ratings::Table.into_iden(),
            RatingReports::Table.into_iden(),
            DoctorSummaries::Table.into_iden(),
            PatientDirectory::Table.into_iden(),
            Visits::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}

async fn ratings(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    m.create_table(
        Table::create()
            .table(Ratings::Table)
            .if_not_exists()
            .col(big_pk_auto(Ratings::Id))
            .col(big_integer(Ratings::PatientId))
            .col(big_integer(Ratings::DoctorId))
            .col(integer(Ratings::Rating))
            .col(text_null(Ratings::Comment))
            .col(timestamp_with_time_zone(Ratings::CreatedAt))
            .col(timestamp_with_time_zone(Ratings::UpdatedAt))
            .col(string_len(Ratings::Status, 16))
            .col(string_len_null(Ratings::HoldReason, 255))
            .col(integer(Ratings::ReportCount).default(0))
            .col(timestamp_with_time_zone_null(Ratings::ModeratedAt))
            .to_owned(),
    )
    .await?;
    // One rating per (patient, doctor), enforced by the database.
    m.create_index(
        Index::create()
            .name("uq_ratings_patient_doctor")
            .table(Ratings::Table)
            .col(Ratings::PatientId)
            .col(Ratings::DoctorId)
            .unique()
            .to_owned(),
    )
    .await?;
    for (name, cols) in [
        ("idx_ratings_doctor_status", [Ratings::DoctorId, Ratings::Status, Ratings::CreatedAt]),
        ("idx_ratings_status_reports", [Ratings::Status, Ratings::ReportCount, Ratings::UpdatedAt]),
    ] {
        let mut index = Index::create();
        index.name(name).table(Ratings::Table);
        for c in cols {
            index.col(c);
        }
        m.create_index(index.to_owned()).await?;
    }
    Ok(())
}

async fn read_models(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    m.create_table(
        Table::create()
            .table(PatientDirectory::Table)
            .if_not_exists()
            .col(big_integer(PatientDirectory::PatientId).primary_key())
            .col(big_integer_uniq(PatientDirectory::UserId))
            .to_owned(),
    )
    .await?;
    m.create_table(
        Table::create()
            .table(Visits::Table)
            .if_not_exists()
            .col(big_integer(Visits::AppointmentId).primary_key())
            .col(big_integer(Visits::PatientId))
            .col(big_integer(Visits::DoctorId))
            .col(string_len(Visits::Status, 16))
            .col(timestamp_with_time_zone(Visits::StartAt))
            .col(timestamp_with_time_zone(Visits::ChangedAt))
            .to_owned(),
    )
    .await?;
    m.create_index(
        Index::create()
            .name("idx_visits_patient_doctor")
            .table(Visits::Table)
            .col(Visits::PatientId)
            .col(Visits::DoctorId)
            .to_owned(),
    )
    .await
}
