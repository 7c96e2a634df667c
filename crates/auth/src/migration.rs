//! Auth's schema, written once for MySQL and SQLite.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        let mut all = kit::db::kit_migrations();
        all.push(Box::new(CreateAuthTables));
        all.push(Box::new(crate::migration_refresh_successor::RefreshSuccessor));
        all.push(kit::import::migration());
        all
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Name,
    Email,
    Password,
    Gender,
    Phone,
    UserType,
    EmailVerifiedAt,
    Img,
    RememberToken,
    DisabledAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RefreshTokens {
    Table,
    Id,
    UserId,
    FamilyId,
    TokenHash,
    ExpiresAt,
    UsedAt,
    RevokedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PasswordResetTokens {
    Table,
    Email,
    Token,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SigningKeys {
    Table,
    Id,
    Kid,
    PrivateKey,
    CreatedAt,
    RetiredAt,
}

struct CreateAuthTables;

impl MigrationName for CreateAuthTables {
    fn name(&self) -> &str {
        "m20260102_000001_auth_tables"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for CreateAuthTables {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Users::Table)
                .if_not_exists()
                .col(big_pk_auto(Users::Id))
                .col(string_len(Users::Name, 255))
                .col(string_len_uniq(Users::Email, 255))
                .col(string_len(Users::Password, 255))
                .col(string_len(Users::Gender, 32))
                .col(string_len(Users::Phone, 32))
                .col(string_len(Users::UserType, 16))
                .col(timestamp_with_time_zone_null(Users::EmailVerifiedAt))
                .col(string_len_null(Users::Img, 255))
                .col(string_len_null(Users::RememberToken, 100))
                .col(timestamp_with_time_zone_null(Users::DisabledAt))
                .col(timestamp_with_time_zone(Users::CreatedAt))
                .col(timestamp_with_time_zone(Users::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("idx_users_type").table(Users::Table).col(Users::UserType).to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(RefreshTokens::Table)
                .if_not_exists()
                .col(big_pk_auto(RefreshTokens::Id))
                .col(big_integer(RefreshTokens::UserId))
                .col(string_len(RefreshTokens::FamilyId, 36))
                .col(string_len_uniq(RefreshTokens::TokenHash, 64))
                .col(timestamp_with_time_zone(RefreshTokens::ExpiresAt))
                .col(timestamp_with_time_zone_null(RefreshTokens::UsedAt))
                .col(timestamp_with_time_zone_null(RefreshTokens::RevokedAt))
                .col(timestamp_with_time_zone(RefreshTokens::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_refresh_family")
                .table(RefreshTokens::Table)
                .col(RefreshTokens::FamilyId)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_refresh_user")
                .table(RefreshTokens::Table)
                .col(RefreshTokens::UserId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PasswordResetTokens::Table)
                .if_not_exists()
                .col(string_len(PasswordResetTokens::Email, 255).primary_key())
                .col(string_len(PasswordResetTokens::Token, 64))
                .col(timestamp_with_time_zone(PasswordResetTokens::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(SigningKeys::Table)
                .if_not_exists()
                .col(big_pk_auto(SigningKeys::Id))
                .col(string_len_uniq(SigningKeys::Kid, 64))
                .col(text(SigningKeys::PrivateKey))
                .col(timestamp_with_time_zone(SigningKeys::CreatedAt))
                .col(timestamp_with_time_zone_null(SigningKeys::RetiredAt))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            Users::Table.into_iden(),
            RefreshTokens::Table.into_iden(),
            PasswordResetTokens::Table.into_iden(),
            SigningKeys::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
