//! Admins see every mail and SMS attempt: status, attempts, last error —
//! those to people without an account too (`user_id` 0, see
//! `delivery::NO_ACCOUNT`), and their figures for the dashboard. Nobody
//! else can list or count deliveries.

use axum::extract::State;
use chrono::{DateTime, Utc};
use kit::extract::Query;
use kit::ids::UserId;
use kit::{
    authz::{Admins, Authorized},
    json::Json,
    pagination::{Page, PageParams},
    stats::DayRange,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    deliveries::{self, Filter},
    delivery_stats::{self, DeliveryStats},
    entity::delivery,
    ids::DeliveryId,
    state::AppState,
};

#[derive(Debug, Serialize, ToSchema)]
pub struct Delivery {
    pub id: DeliveryId,
    pub user_id: UserId,
    pub channel: delivery::Channel,
    pub template: String,
    pub status: delivery::Status,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub provider_response: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<delivery::Model> for Delivery {
    fn from(d: delivery::Model) -> Self {
        Self {
            id: d.id,
            user_id: d.user_id,
            channel: d.channel,
            template: d.template,
            status: d.status,
            attempts: d.attempts,
            last_error: d.last_error,
            provider_response: d.provider_response,
            sent_at: d.sent_at,
            created_at: d.created_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    /// `queued`, `sending`, `sent` or `failed`.
    pub status: Option<String>,
    pub user_id: Option<UserId>,
    /// 1-based; `page × per_page` at most 10,000,000, else 422.
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

#[utoipa::path(get, path = "/api/v1/notification-deliveries", tag = "notifications", params(ListQuery),
    responses((status = 200, body = inline(Page<Delivery>)), (status = 403)))]
pub async fn list(
    State(state): State<AppState>,
    _: Authorized<Admins>,
    Query(q): Query<ListQuery>,
) -> kit::Result<Json<Page<Delivery>>> {
    let paging = PageParams { page: q.page, per_page: q.per_page }.check()?;
    let filter = Filter { status: q.status.as_deref(), user_id: q.user_id };
    let (rows, total) = deliveries::page(&state.ctx.db, filter, paging).await?;
    Ok(Json(Page::new(rows.into_iter().map(Delivery::from).collect(), paging, total)))
}

#[utoipa::path(get, path = "/api/v1/notification-deliveries/stats", tag = "notifications", params(DayRange),
    responses((status = 200, body = DeliveryStats), (status = 401), (status = 403),
        (status = 422, description = "to before from")))]
pub async fn stats(
    State(state): State<AppState>,
    _: Authorized<Admins>,
    Query(range): Query<DayRange>,
) -> kit::Result<Json<DeliveryStats>> {
    Ok(Json(delivery_stats::compute(&state.ctx.db, range.check()?).await?))
}
