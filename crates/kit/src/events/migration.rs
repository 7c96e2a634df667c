//! The outbox, inbox and dead-letter tables, written once with the schema
//! builder so they render for MySQL and SQLite alike. Every service's
//! migrator lists these first.

use sea_orm_migration::{prelude::*, schema::*};

pub fn migrations() -> Vec<Box<dyn MigrationTrait>> {
    vec![Box::new(Outbox), Box::new(Inbox), Box::new(DeadLetters)]
}

/// Migrations added after the first kit tables (listed after them all).
pub fn later_migrations() -> Vec<Box<dyn MigrationTrait>> {
    vec![Box::new(OutboxSubject)]
}

#[derive(DeriveIden)]
enum KitOutbox {
    Table,
    Id,
    EventId,
    Kind,
    Payload,
    CreatedAt,
    PublishedAt,
    Subject,
}

#[derive(DeriveIden)]
enum KitInbox {
    Table,
    EventId,
    Kind,
    HandledAt,
}

#[derive(DeriveIden)]
enum KitDeadLetters {
    Table,
    Id,
    EventId,
    ConsumerGroup,
    Kind,
    Payload,
    Error,
    Attempts,
    CreatedAt,
}

struct Outbox;
impl MigrationName for Outbox {
    fn name(&self) -> &str {
        "m20260101_000001_kit_outbox"
    }
}
#[async_trait::async_trait]
impl MigrationTrait for Outbox {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(KitOutbox::Table)
                .if_not_exists()
                .col(big_pk_auto(KitOutbox::Id))
                .col(string_len_uniq(KitOutbox::EventId, 36))
                .col(string_len(KitOutbox::Kind, 128))
                .col(text(KitOutbox::Payload))
                .col(timestamp_with_time_zone(KitOutbox::CreatedAt))
                .col(timestamp_with_time_zone_null(KitOutbox::PublishedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_kit_outbox_unpublished")
                .table(KitOutbox::Table)
                .col(KitOutbox::PublishedAt)
                .col(KitOutbox::Id)
                .to_owned(),
        )
        .await
    }
    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(KitOutbox::Table).to_owned()).await
    }
}

struct Inbox;
impl MigrationName for Inbox {
    fn name(&self) -> &str {
        "m20260101_000002_kit_inbox"
    }
}
#[async_trait::async_trait]
impl MigrationTrait for Inbox {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(KitInbox::Table)
                .if_not_exists()
                .col(string_len(KitInbox::EventId, 36).primary_key())
                .col(string_len(KitInbox::Kind, 128))
                .col(timestamp_with_time_zone(KitInbox::HandledAt))
                .to_owned(),
        )
        .await
    }
    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(KitInbox::Table).to_owned()).await
    }
}

struct DeadLetters;
impl MigrationName for DeadLetters {
    fn name(&self) -> &str {
        "m20260101_000003_kit_dead_letters"
    }
}
#[async_trait::async_trait]
impl MigrationTrait for DeadLetters {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(KitDeadLetters::Table)
                .if_not_exists()
                .col(big_pk_auto(KitDeadLetters::Id))
                .col(string_len(KitDeadLetters::EventId, 64))
                .col(string_len(KitDeadLetters::ConsumerGroup, 64))
                .col(string_len(KitDeadLetters::Kind, 128))
                .col(text(KitDeadLetters::Payload))
                .col(text(KitDeadLetters::Error))
                .col(integer(KitDeadLetters::Attempts))
                .col(timestamp_with_time_zone(KitDeadLetters::CreatedAt))
                .to_owned(),
        )
        .await
    }
    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(KitDeadLetters::Table).to_owned()).await
    }
}

/// The outbox keeps each event's subject, so an owner can answer "what
/// did you announce about `user/7`?" to a read model that missed it.
struct OutboxSubject;
impl MigrationName for OutboxSubject {
    fn name(&self) -> &str {
        "m20261201_000001_kit_outbox_subject"
    }
}
#[async_trait::async_trait]
impl MigrationTrait for OutboxSubject {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(KitOutbox::Table)
                .add_column(string_len_null(KitOutbox::Subject, 255))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_kit_outbox_subject")
                .table(KitOutbox::Table)
                .col(KitOutbox::Subject)
                .col(KitOutbox::Kind)
                .to_owned(),
        )
        .await
    }
    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("idx_kit_outbox_subject").table(KitOutbox::Table).to_owned()).await?;
        m.alter_table(Table::alter().table(KitOutbox::Table).drop_column(KitOutbox::Subject).to_owned()).await
    }
}
