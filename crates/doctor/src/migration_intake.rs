//! The second part of the doctor service's schema: applications, the admin
//! contacts mailed about them, and the appointment facts behind metrics.
//!
//! `admin_contacts` is no longer written or read: application mails moved
//! to the notification service, which has its own contacts. The table is
//! left in place (an applied migration is never rewritten, and dropping it
//! would take a migration of its own for no gain); it holds names and
//! emails of admins as they were when the mails moved.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveIden)]
enum Applications {
    Table,
    Id,
    Name,
    Email,
    Details,
    Cv,
    CvContentType,
    Status,
    RegistrationToken,
    TokenExpiry,
    TokenUsedAt,
    ClaimHash,
    RejectReason,
    CreatedAt,
    UpdatedAt,
}

/// Unused since application mails moved to the notification service (see above).
#[derive(DeriveIden)]
enum AdminContacts {
    Table,
    UserId,
    Name,
    Email,
    Disabled,
}

#[derive(DeriveIden)]
enum AppointmentFacts {
    Table,
    AppointmentId,
    DoctorId,
    Status,
    TravelTimeMinutes,
}

pub struct CreateIntakeTables;

impl MigrationName for CreateIntakeTables {
    fn name(&self) -> &str {
        "m20260301_000001_doctor_intake"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for CreateIntakeTables {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Applications::Table)
                .if_not_exists()
                .col(big_pk_auto(Applications::Id))
                .col(string_len(Applications::Name, 255))
                .col(string_len(Applications::Email, 255))
                .col(text(Applications::Details))
                .col(string_len(Applications::Cv, 255))
                .col(string_len(Applications::CvContentType, 128))
                .col(string_len(Applications::Status, 16))
                .col(string_len_null(Applications::RegistrationToken, 64).unique_key())
                .col(timestamp_with_time_zone_null(Applications::TokenExpiry))
                .col(timestamp_with_time_zone_null(Applications::TokenUsedAt))
                .col(string_len_null(Applications::ClaimHash, 64))
                .col(string_len_null(Applications::RejectReason, 1000))
                .col(timestamp_with_time_zone(Applications::CreatedAt))
                .col(timestamp_with_time_zone(Applications::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_applications_status")
                .table(Applications::Table)
                .col(Applications::Status)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(AdminContacts::Table)
                .if_not_exists()
                .col(big_integer(AdminContacts::UserId).primary_key())
                .col(string_len(AdminContacts::Name, 255))
                .col(string_len(AdminContacts::Email, 255))
                .col(boolean(AdminContacts::Disabled))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(AppointmentFacts::Table)
                .if_not_exists()
                .col(big_integer(AppointmentFacts::AppointmentId).primary_key())
                .col(big_integer(AppointmentFacts::DoctorId))
                .col(string_len(AppointmentFacts::Status, 16))
                .col(integer_null(AppointmentFacts::TravelTimeMinutes))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_appointment_facts_doctor")
                .table(AppointmentFacts::Table)
                .col(AppointmentFacts::DoctorId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            Applications::Table.into_iden(),
            AdminContacts::Table.into_iden(),
            AppointmentFacts::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
