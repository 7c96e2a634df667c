//! The patient service's schema, written once for MySQL and SQLite.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        let mut all = kit::db::kit_migrations();
        all.push(Box::new(CreatePatientTables));
        all.push(Box::new(crate::migration_client_ip::AccessLogClientIp));
        all.push(kit::import::migration());
        all
    }
}

#[derive(DeriveIden)]
enum Patients {
    Table,
    Id,
    Cin,
    BirthDate,
    UserId,
    AddressId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Addresses {
    Table,
    Id,
    Rue,
    Ville,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum UserDirectory {
    Table,
    UserId,
    Name,
    Email,
    Role,
    Gender,
    Phone,
    Disabled,
}

#[derive(DeriveIden)]
enum MedicalHistory {
    Table,
    Id,
    PatientId,
    Kind,
    Description,
    RecordedAt,
    RecordedBy,
    RecordedByRole,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Insurance {
    Table,
    PatientId,
    Provider,
    PolicyNumber,
    MemberName,
    ValidUntil,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Preferences {
    Table,
    PatientId,
    Language,
    Timezone,
    Extra,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AccessLog {
    Table,
    Id,
    PatientId,
    At,
    ActorUserId,
    ActorRole,
    Action,
    Resource,
}

#[derive(DeriveIden)]
enum CareRelationships {
    Table,
    DoctorUserId,
    PatientId,
    ActiveAppointments,
    FirstSeenAt,
    LastSeenAt,
}

struct CreatePatientTables;

impl MigrationName for CreatePatientTables {
    fn name(&self) -> &str {
        "m20260102_000001_patient_tables"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for CreatePatientTables {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Addresses::Table)
                .if_not_exists()
                .col(big_pk_auto(Addresses::Id))
                .col(string_len(Addresses::Rue, 255))
                .col(string_len(Addresses::Ville, 255))
                .col(timestamp_with_time_zone(Addresses::CreatedAt))
                .col(timestamp_with_time_zone(Addresses::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Patients::Table)
                .if_not_exists()
                .col(big_pk_auto(Patients::Id))
                .col(text(Patients::Cin))
                .col(date(Patients::BirthDate))
                .col(big_integer_uniq(Patients::UserId))
                .col(big_integer_null(Patients::AddressId))
                .col(timestamp_with_time_zone(Patients::CreatedAt))
                .col(timestamp_with_time_zone(Patients::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(UserDirectory::Table)
                .if_not_exists()
                .col(big_integer(UserDirectory::UserId).primary_key())
                .col(string_len(UserDirectory::Name, 255))
                .col(string_len(UserDirectory::Email, 255))
                .col(string_len(UserDirectory::Role, 16))
                .col(string_len(UserDirectory::Gender, 32))
                .col(string_len(UserDirectory::Phone, 32))
                .col(boolean(UserDirectory::Disabled))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(MedicalHistory::Table)
                .if_not_exists()
                .col(big_pk_auto(MedicalHistory::Id))
                .col(big_integer(MedicalHistory::PatientId))
                .col(string_len(MedicalHistory::Kind, 16))
                .col(text(MedicalHistory::Description))
                .col(timestamp_with_time_zone(MedicalHistory::RecordedAt))
                .col(big_integer(MedicalHistory::RecordedBy))
                .col(string_len(MedicalHistory::RecordedByRole, 16))
                .col(timestamp_with_time_zone(MedicalHistory::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_history_patient")
                .table(MedicalHistory::Table)
                .col(MedicalHistory::PatientId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Insurance::Table)
                .if_not_exists()
                .col(big_integer(Insurance::PatientId).primary_key())
                .col(string_len(Insurance::Provider, 255))
                .col(text(Insurance::PolicyNumber))
                .col(text_null(Insurance::MemberName))
                .col(date_null(Insurance::ValidUntil))
                .col(timestamp_with_time_zone(Insurance::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Preferences::Table)
                .if_not_exists()
                .col(big_integer(Preferences::PatientId).primary_key())
                .col(string_len(Preferences::Language, 8))
                .col(string_len(Preferences::Timezone, 64))
                .col(text(Preferences::Extra))
                .col(timestamp_with_time_zone(Preferences::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(AccessLog::Table)
                .if_not_exists()
                .col(big_pk_auto(AccessLog::Id))
                .col(big_integer(AccessLog::PatientId))
                .col(timestamp_with_time_zone(AccessLog::At))
                .col(big_integer(AccessLog::ActorUserId))
                .col(string_len(AccessLog::ActorRole, 16))
                .col(string_len(AccessLog::Action, 16))
                .col(string_len(AccessLog::Resource, 32))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_access_log_patient")
                .table(AccessLog::Table)
                .col(AccessLog::PatientId)
                .col(AccessLog::Id)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CareRelationships::Table)
                .if_not_exists()
                .col(big_integer(CareRelationships::DoctorUserId))
                .col(big_integer(CareRelationships::PatientId))
                .col(integer(CareRelationships::ActiveAppointments))
                .col(timestamp_with_time_zone(CareRelationships::FirstSeenAt))
                .col(timestamp_with_time_zone(CareRelationships::LastSeenAt))
                .primary_key(
                    Index::create().col(CareRelationships::DoctorUserId).col(CareRelationships::PatientId),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            Patients::Table.into_iden(),
            Addresses::Table.into_iden(),
            UserDirectory::Table.into_iden(),
            MedicalHistory::Table.into_iden(),
            Insurance::Table.into_iden(),
            Preferences::Table.into_iden(),
            AccessLog::Table.into_iden(),
            CareRelationships::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
