//! A rotated refresh token keeps its sealed successor, so presenting it
//! again within the replay window answers the same pair (added after the
//! first schema; see `rotation`).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveIden)]
enum RefreshTokens {
    Table,
    SuccessorSealed,
}

pub struct RefreshSuccessor;

impl MigrationName for RefreshSuccessor {
    fn name(&self) -> &str {
        "m20261201_000002_refresh_successor"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for RefreshSuccessor {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(RefreshTokens::Table)
                .add_column(text_null(RefreshTokens::SuccessorSealed))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter().table(RefreshTokens::Table).drop_column(RefreshTokens::SuccessorSealed).to_owned(),
        )
        .await
    }
}
