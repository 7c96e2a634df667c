//! The access log records the client's address (added after the first schema).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveIden)]
enum AccessLog {
    Table,
    ClientIp,
}

pub struct AccessLogClientIp;

impl MigrationName for AccessLogClientIp {
    fn name(&self) -> &str {
        "m20261201_000001_access_log_client_ip"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for AccessLogClientIp {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // 45 characters: the longest textual IPv6 address.
        m.alter_table(
            Table::alter()
                .table(AccessLog::Table)
                .add_column(string_len_null(AccessLog::ClientIp, 45))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(AccessLog::Table).drop_column(AccessLog::ClientIp).to_owned())
            .await
    }
}
