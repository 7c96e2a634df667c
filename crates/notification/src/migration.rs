//! The notification service's schema, written once for MySQL and SQLite.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        let mut all = kit::db::kit_migrations();
        all.push(Box::new(CreateNotificationTables));
        all.push(kit::import::migration());
        all
    }
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    UserId,
    Title,
    Message,
    IsRead,
    SourceKey,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Contacts {
    Table,
    UserId,
    Name,
    Email,
    Phone,
    Role,
    Locale,
    Timezone,
    Disabled,
}

#[derive(DeriveIden)]
enum DoctorNames {
    Table,
    DoctorId,
    UserId,
    Name,
    Timezone,
}

#[derive(DeriveIden)]
enum NotificationPreferences {
    Table,
    UserId,
    Email,
    Sms,
    InApp,
    ReminderHoursBefore,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum NotificationTemplates {
    Table,
    Key,
    Locale,
    Subject,
    Body,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum NotificationDeliveries {
    Table,
    Id,
    DedupeKey,
    UserId,
    Channel,
    Template,
    Status,
    Attempts,
    LastError,
    ProviderResponse,
    Payload,
    NextAttemptAt,
    LeaseUntil,
    SentAt,
    CreatedAt,
}

struct CreateNotificationTables;

impl MigrationName for CreateNotificationTables {
    fn name(&self) -> &str {
        "m20261124_000001_notification_tables"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for CreateNotificationTables {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Notifications::Table)
                .if_not_exists()
                .col(big_pk_auto(Notifications::Id))
                .col(big_integer(Notifications::UserId))
                .col(string_len(Notifications::Title, 255))
                .col(text(Notifications::Message))
                .col(boolean(Notifications::IsRead))
                .col(string_len_null(Notifications::SourceKey, 128).unique_key())
                .col(timestamp_with_time_zone(Notifications::CreatedAt))
                .col(timestamp_with_time_zone(Notifications::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_notifications_user")
                .table(Notifications::Table)
                .col(Notifications::UserId)
                .col(Notifications::Id)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Contacts::Table)
                .if_not_exists()
                .col(big_integer(Contacts::UserId).primary_key())
                .col(string_len(Contacts::Name, 255))
                .col(string_len(Contacts::Email, 255))
                .col(string_len(Contacts::Phone, 32))
                .col(string_len(Contacts::Role, 16))
                .col(string_len(Contacts::Locale, 8))
                .col(string_len(Contacts::Timezone, 64))
                .col(boolean(Contacts::Disabled))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(DoctorNames::Table)
                .if_not_exists()
                .col(big_integer(DoctorNames::DoctorId).primary_key())
                .col(big_integer(DoctorNames::UserId))
                .col(string_len(DoctorNames::Name, 255))
                .col(string_len(DoctorNames::Timezone, 64))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(NotificationPreferences::Table)
                .if_not_exists()
                .col(big_integer(NotificationPreferences::UserId).primary_key())
                .col(boolean(NotificationPreferences::Email))
                .col(boolean(NotificationPreferences::Sms))
                .col(boolean(NotificationPreferences::InApp))
                .col(integer(NotificationPreferences::ReminderHoursBefore))
                .col(timestamp_with_time_zone(NotificationPreferences::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(NotificationTemplates::Table)
                .if_not_exists()
                .col(string_len(NotificationTemplates::Key, 64))
                .col(string_len(NotificationTemplates::Locale, 8))
                .col(string_len(NotificationTemplates::Subject, 255))
                .col(text(NotificationTemplates::Body))
                .col(timestamp_with_time_zone(NotificationTemplates::UpdatedAt))
                .primary_key(
                    Index::create().col(NotificationTemplates::Key).col(NotificationTemplates::Locale),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(NotificationDeliveries::Table)
                .if_not_exists()
                .col(big_pk_auto(NotificationDeliveries::Id))
                .col(string_len(NotificationDeliveries::DedupeKey, 128).unique_key())
                .col(big_integer(NotificationDeliveries::UserId))
                .col(string_len(NotificationDeliveries::Channel, 16))
                .col(string_len(NotificationDeliveries::Template, 64))
                .col(string_len(NotificationDeliveries::Status, 16))
                .col(integer(NotificationDeliveries::Attempts))
                .col(text_null(NotificationDeliveries::LastError))
                .col(text_null(NotificationDeliveries::ProviderResponse))
                .col(text(NotificationDeliveries::Payload))
                .col(timestamp_with_time_zone(NotificationDeliveries::NextAttemptAt))
                .col(timestamp_with_time_zone_null(NotificationDeliveries::LeaseUntil))
                .col(timestamp_with_time_zone_null(NotificationDeliveries::SentAt))
                .col(timestamp_with_time_zone(NotificationDeliveries::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_deliveries_due")
                .table(NotificationDeliveries::Table)
                .col(NotificationDeliveries::Status)
                .col(NotificationDeliveries::NextAttemptAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            Notifications::Table.into_iden(),
            Contacts::Table.into_iden(),
            DoctorNames::Table.into_iden(),
            NotificationPreferences::Table.into_iden(),
            NotificationTemplates::Table.into_iden(),
            NotificationDeliveries::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
