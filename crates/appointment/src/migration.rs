//! The appointment service's schema, written once for MySQL and SQLite.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        let mut all = kit::db::kit_migrations();
        all.push(Box::new(CreateAppointmentTables));
        all.push(Box::new(IndexDoctorDates));
        all.push(Box::new(ReminderLeadTimes));
        all.push(Box::new(crate::migration_patient_availability::AddPatientAvailability));
        all.push(kit::import::migration());
        all
    }
}

#[derive(DeriveIden)]
enum Schedules {
    Table,
    Id,
    DoctorId,
    Day,
    SpecificDate,
    Start,
    End,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Appointments {
    Table,
    Id,
    Reason,
    Status,
    AppointmentDate,
    DoctorComment,
    PatientId,
    DoctorId,
    ScheduleId,
    StartAt,
    EndAt,
    ActiveSlot,
    CancelReason,
    CheckInTime,
    CheckOutTime,
    TravelTimeMinutes,
    ReminderSentAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum DoctorDirectory {
    Table,
    DoctorId,
    UserId,
    Name,
    SpecialtyId,
    City,
    Timezone,
    Status,
}

#[derive(DeriveIden)]
enum PatientDirectory {
    Table,
    PatientId,
    UserId,
    Name,
}

struct CreateAppointmentTables;

impl MigrationName for CreateAppointmentTables {
    fn name(&self) -> &str {
        "m20260201_000001_appointment_tables"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for CreateAppointmentTables {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Schedules::Table)
                .if_not_exists()
                .col(big_pk_auto(Schedules::Id))
                .col(big_integer(Schedules::DoctorId))
                .col(string_len_null(Schedules::Day, 16))
                .col(date_null(Schedules::SpecificDate))
                .col(time(Schedules::Start))
                .col(time(Schedules::End))
                .col(timestamp_with_time_zone(Schedules::CreatedAt))
                .col(timestamp_with_time_zone(Schedules::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_schedules_doctor")
                .table(Schedules::Table)
                .col(Schedules::DoctorId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Appointments::Table)
                .if_not_exists()
                .col(big_pk_auto(Appointments::Id))
                .col(string_len(Appointments::Reason, 255))
                .col(string_len(Appointments::Status, 16))
                .col(date(Appointments::AppointmentDate))
                .col(text_null(Appointments::DoctorComment))
                .col(big_integer(Appointments::PatientId))
                .col(big_integer(Appointments::DoctorId))
                .col(big_integer(Appointments::ScheduleId))
                .col(timestamp_with_time_zone(Appointments::StartAt))
                .col(timestamp_with_time_zone(Appointments::EndAt))
                .col(boolean_null(Appointments::ActiveSlot))
                .col(string_len_null(Appointments::CancelReason, 255))
                .col(timestamp_with_time_zone_null(Appointments::CheckInTime))
                .col(timestamp_with_time_zone_null(Appointments::CheckOutTime))
                .col(integer_null(Appointments::TravelTimeMinutes))
                .col(timestamp_with_time_zone_null(Appointments::ReminderSentAt))
                .col(timestamp_with_time_zone(Appointments::CreatedAt))
                .col(timestamp_with_time_zone(Appointments::UpdatedAt))
                .to_owned(),
        )
        .await?;
        // The no-double-booking rule, enforced by the database.
        m.create_index(
            Index::create()
                .name("uq_appointments_active_slot")
                .table(Appointments::Table)
                .col(Appointments::ScheduleId)
                .col(Appointments::AppointmentDate)
                .col(Appointments::ActiveSlot)
                .unique()
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            ("idx_appointments_patient", [Appointments::PatientId, Appointments::StartAt]),
            ("idx_appointments_doctor", [Appointments::DoctorId, Appointments::StartAt]),
            ("idx_appointments_status", [Appointments::Status, Appointments::StartAt]),
        ] {
            let mut index = Index::create();
            index.name(name).table(Appointments::Table);
            for c in cols {
                index.col(c);
            }
            m.create_index(index.to_owned()).await?;
        }
        m.create_table(
            Table::create()
                .table(DoctorDirectory::Table)
                .if_not_exists()
                .col(big_integer(DoctorDirectory::DoctorId).primary_key())
                .col(big_integer_uniq(DoctorDirectory::UserId))
                .col(string_len(DoctorDirectory::Name, 255))
                .col(big_integer(DoctorDirectory::SpecialtyId))
                .col(string_len_null(DoctorDirectory::City, 255))
                .col(string_len(DoctorDirectory::Timezone, 64))
                .col(string_len(DoctorDirectory::Status, 16))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_doctor_directory_specialty")
                .table(DoctorDirectory::Table)
                .col(DoctorDirectory::SpecialtyId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PatientDirectory::Table)
                .if_not_exists()
                .col(big_integer(PatientDirectory::PatientId).primary_key())
                .col(big_integer_uniq(PatientDirectory::UserId))
                .col(string_len(PatientDirectory::Name, 255))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            Schedules::Table.into_iden(),
            Appointments::Table.into_iden(),
            DoctorDirectory::Table.into_iden(),
            PatientDirectory::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}

/// Availability asks for a doctor's active appointments between two
/// dates: without this index SQLite walked every appointment of the doctor.
struct IndexDoctorDates;

impl MigrationName for IndexDoctorDates {
    fn name(&self) -> &str {
        "m20261124_000001_appointments_doctor_date"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for IndexDoctorDates {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name("idx_appointments_doctor_date")
                .table(Appointments::Table)
                .col(Appointments::DoctorId)
                .col(Appointments::AppointmentDate)
                .col(Appointments::ActiveSlot)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("idx_appointments_doctor_date").table(Appointments::Table).to_owned())
            .await
    }
}

/// Reminders timed per patient (their notification preferences): each
/// appointment carries when its reminder is due, each patient their lead.
struct ReminderLeadTimes;

impl MigrationName for ReminderLeadTimes {
    fn name(&self) -> &str {
        "m20261124_000002_reminder_lead_times"
    }
}

#[derive(DeriveIden)]
enum Reminders {
    ReminderAt,
    ReminderMinutes,
}

#[async_trait::async_trait]
impl MigrationTrait for ReminderLeadTimes {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Appointments::Table)
                .add_column(timestamp_with_time_zone_null(Reminders::ReminderAt))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(PatientDirectory::Table)
                .add_column(integer_null(Reminders::ReminderMinutes))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_appointments_reminder_at")
                .table(Appointments::Table)
                .col(Reminders::ReminderAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop().name("idx_appointments_reminder_at").table(Appointments::Table).to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter().table(Appointments::Table).drop_column(Reminders::ReminderAt).to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter().table(PatientDirectory::Table).drop_column(Reminders::ReminderMinutes).to_owned(),
        )
        .await
    }
}
