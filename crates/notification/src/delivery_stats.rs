//! The admin dashboard's delivery figures: mail and SMS deliveries per
//! status and channel. Counted in SQL, never by reading rows.

use kit::{
    Result,
    stats::{self, DayRange},
};
use sea_orm::{ConnectionTrait, EntityTrait};
use serde::Serialize;
use utoipa::ToSchema;

use crate::entity::delivery::{self, Channel, Status};

/// Deliveries per status.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = DeliveriesByStatus)]
pub struct ByStatus {
    pub queued: i64,
    pub sending: i64,
    pub sent: i64,
    pub failed: i64,
}

/// Deliveries per channel.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ByChannel {
    pub email: i64,
    pub sms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct DeliveryStats {
    /// Deliveries created in the range.
    pub total: i64,
    pub by_status: ByStatus,
    pub by_channel: ByChannel,
    /// Failed for good (the same as `by_status.failed`, for the dashboard's figure).
    pub failed: i64,
}

pub async fn compute(db: &impl ConnectionTrait, range: DayRange) -> Result<DeliveryStats> {
    let in_range = range.filter_timestamps(delivery::Entity::find(), delivery::Column::CreatedAt);
    let mut by_status = ByStatus::default();
    for (status, count) in stats::count_by(db, in_range.clone(), delivery::Column::Status).await? {
        let slot = match status {
            Status::Queued => &mut by_status.queued,
            Status::Sending => &mut by_status.sending,
            Status::Sent => &mut by_status.sent,
            Status::Failed => &mut by_status.failed,
        };
        *slot += count;
    }
    let mut by_channel = ByChannel::default();
    for (channel, count) in stats::count_by(db, in_range, delivery::Column::Channel).await? {
        match channel {
            Channel::Email => by_channel.email += count,
            Channel::Sms => by_channel.sms += count,
        }
    }
    Ok(DeliveryStats {
        total: by_channel.email + by_channel.sms,
        failed: by_status.failed,
        by_status,
        by_channel,
    })
}
