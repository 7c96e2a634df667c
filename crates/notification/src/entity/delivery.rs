use kit::ids::UserId;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::ids::DeliveryId;

/// `user_id` of a delivery addressed by the email in its payload, not to an
/// account: doctor applicants, who have none yet. Account ids start at 1,
/// so no user ever sees these among their own; admins see them all.
pub const NO_ACCOUNT: UserId = UserId(0);

/// One message on one channel (email, sms) to one user (or to someone
/// without an account: [`NO_ACCOUNT`]), and its fate.
///
/// The unique `dedupe_key` (event id, user, channel) makes a redelivered
/// event a no-op. A sender claims a row by moving it to `sending` with a
/// lease; a sender that dies mid-send leaves the lease to expire, and the
/// row is tried again.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "notification_deliveries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: DeliveryId,
    #[sea_orm(unique)]
    pub dedupe_key: String,
    pub user_id: UserId,
    pub channel: Channel,
    pub template: String,
    pub status: Status,
    pub attempts: i32,
    pub last_error: Option<String>,
    /// What the provider answered (SMS), for the record.
    pub provider_response: Option<String>,
    /// The rendered message (JSON): sent as it was when the event happened.
    /// One-time secrets in it are blanked out once the delivery is over.
    #[sea_orm(column_type = "Text")]
    pub payload: String,
    pub next_attempt_at: DateTimeUtc,
    pub lease_until: Option<DateTimeUtc>,
    pub sent_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

/// The way a delivery travels (in-app notifications are rows of their own,
/// not deliveries). Stored and answered as `email` / `sms`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
#[schema(as = DeliveryChannel)]
pub enum Channel {
    #[sea_orm(string_value = "email")]
    Email,
    #[sea_orm(string_value = "sms")]
    Sms,
}

/// Where a delivery is in its life (see `sender`): `queued` until due,
/// `sending` while a sender holds its lease, then `sent`, or `failed` for
/// good. Stored and answered as those words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "snake_case")]
#[schema(as = DeliveryStatus)]
pub enum Status {
    #[sea_orm(string_value = "queued")]
    Queued,
    #[sea_orm(string_value = "sending")]
    Sending,
    #[sea_orm(string_value = "sent")]
    Sent,
    #[sea_orm(string_value = "failed")]
    Failed,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Entity {
    pub async fn find_by_dedupe<C: ConnectionTrait>(conn: &C, key: &str) -> Result<Option<Model>, DbErr> {
        Self::find().filter(Column::DedupeKey.eq(key)).one(conn).await
    }
}
