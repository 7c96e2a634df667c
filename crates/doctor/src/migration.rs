//! The doctor service's schema, written once for MySQL and SQLite.

use sea_orm::DbBackend;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        let mut all = kit::db::kit_migrations();
        all.push(Box::new(CreateDoctorTables));
        all.push(Box::new(crate::migration_intake::CreateIntakeTables));
        all.push(Box::new(crate::migration_rating_version::AddRatingVersion));
        all.push(kit::import::migration());
        all
    }
}

#[derive(DeriveIden)]
enum Specialities {
    Table,
    Id,
    Name,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Doctors {
    Table,
    Id,
    UserId,
    Name,
    BirthDate,
    Degree,
    Status,
    SpecialtyId,
    City,
    Bio,
    Languages,
    Timezone,
    ImgUrl,
    AvgRating,
    RatingCount,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum DoctorCredentials {
    Table,
    Id,
    DoctorId,
    Kind,
    Issuer,
    Number,
    ValidUntil,
    CreatedAt,
}

struct CreateDoctorTables;

impl MigrationName for CreateDoctorTables {
    fn name(&self) -> &str {
        "m20260103_000001_doctor_tables"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for CreateDoctorTables {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Specialities::Table)
                .if_not_exists()
                .col(big_pk_auto(Specialities::Id))
                .col(string_len(Specialities::Name, 255))
                .col(timestamp_with_time_zone(Specialities::CreatedAt))
                .col(timestamp_with_time_zone(Specialities::UpdatedAt))
                .to_owned(),
        )
        .await?;
        // Duplicate names are refused by the database, case-insensitively on
        // both backends: MySQL's `_ci` collation already compares that way;
        // SQLite compares bytes, so there the index uses `NOCASE` (which the
        // schema builder cannot express, hence the one hand-written line).
        if m.get_database_backend() == DbBackend::Sqlite {
            m.get_connection()
                .execute_unprepared(
                    "CREATE UNIQUE INDEX IF NOT EXISTS uniq_specialities_name ON specialities (name COLLATE NOCASE)",
                )
                .await?;
        } else {
            m.create_index(
                Index::create()
                    .name("uniq_specialities_name")
                    .table(Specialities::Table)
                    .col(Specialities::Name)
                    .unique()
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        }

        m.create_table(
            Table::create()
                .table(Doctors::Table)
                .if_not_exists()
                .col(big_pk_auto(Doctors::Id))
                .col(big_integer_uniq(Doctors::UserId))
                .col(string_len(Doctors::Name, 255))
                .col(date_null(Doctors::BirthDate))
                .col(string_len(Doctors::Degree, 255))
                .col(string_len(Doctors::Status, 16).default("active"))
                .col(big_integer(Doctors::SpecialtyId))
                .col(string_len_null(Doctors::City, 255))
                .col(text_null(Doctors::Bio))
                // VARCHAR rather than TEXT: only VARCHAR takes a default on every MySQL.
                .col(string_len(Doctors::Languages, 1024).default("[]"))
                .col(string_len(Doctors::Timezone, 64).default("Africa/Casablanca"))
                .col(string_len_null(Doctors::ImgUrl, 1024))
                .col(double(Doctors::AvgRating).default(0.0))
                .col(big_integer(Doctors::RatingCount).default(0))
                .col(timestamp_with_time_zone(Doctors::CreatedAt))
                .col(timestamp_with_time_zone(Doctors::UpdatedAt))
                .to_owned(),
        )
        .await?;
        // The listing filters by specialty (then city) and, by default,
        // shows the best rated active doctors first.
        m.create_index(
            Index::create()
                .name("idx_doctors_specialty_city")
                .table(Doctors::Table)
                .col(Doctors::SpecialtyId)
                .col(Doctors::City)
                .if_not_exists()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_doctors_status_rating")
                .table(Doctors::Table)
                .col(Doctors::Status)
                .col(Doctors::AvgRating)
                .if_not_exists()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(DoctorCredentials::Table)
                .if_not_exists()
                .col(big_pk_auto(DoctorCredentials::Id))
                .col(big_integer(DoctorCredentials::DoctorId))
                .col(string_len(DoctorCredentials::Kind, 32))
                .col(string_len(DoctorCredentials::Issuer, 255))
                .col(string_len(DoctorCredentials::Number, 128))
                .col(date_null(DoctorCredentials::ValidUntil))
                .col(timestamp_with_time_zone(DoctorCredentials::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_credentials_doctor")
                .table(DoctorCredentials::Table)
                .col(DoctorCredentials::DoctorId)
                .if_not_exists()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            DoctorCredentials::Table.into_iden(),
            Doctors::Table.into_iden(),
            Specialities::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
