//! A user's in-app notifications: list, read one, read all.

use axum::{extract::State, http::StatusCode};
use chrono::{DateTime, Utc};
use kit::extract::{Path, Query};
use kit::{
    identity::AuthUser,
    json::Json,
    pagination::{Page, PageParams},
};
use sea_orm::{
    ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, sea_query::Expr,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    entity::notification,
    error::{NotificationError, Result},
    state::AppState,
};

#[derive(Debug, Serialize, ToSchema)]
pub struct Notification {
    pub id: i64,
    pub title: String,
    pub message: String,
    pub is_read: bool,
    pub created_at: DateTime<Utc>,
}

impl From<notification::Model> for Notification {
    fn from(n: notification::Model) -> Self {
        Self { id: n.id, title: n.title, message: n.message, is_read: n.is_read, created_at: n.created_at }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    pub unread: Option<bool>,
    /// 1-based; `page × per_page` at most 10,000,000, else 422.
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications", params(ListQuery),
    responses((status = 200, body = inline(Page<Notification>)), (status = 401)))]
pub async fn list(
    State(state): State<AppState>,
    caller: AuthUser,
    Query(q): Query<ListQuery>,
) -> Result<Json<Page<Notification>>> {
    let paging = PageParams { page: q.page, per_page: q.per_page }.check()?;
    let mut query = notification::Entity::find().filter(notification::Column::UserId.eq(caller.user_id));
    if q.unread == Some(true) {
        query = query.filter(notification::Column::IsRead.eq(false));
    }
    let total = query.clone().count(&state.ctx.db).await?;
    let rows = query
        .order_by_desc(notification::Column::Id)
        .offset(paging.offset())
        .limit(paging.per_page())
        .all(&state.ctx.db)
        .await?;
    Ok(Json(Page::new(rows.into_iter().map(Notification::from).collect(), paging, total)))
}

#[utoipa::path(put, path = "/api/v1/notifications/{id}/read", tag = "notifications",
    responses((status = 204), (status = 404)))]
pub async fn read(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    // The owner's only: someone else's id is as unknown as a missing one.
    let done = notification::Entity::update_many()
        .col_expr(notification::Column::IsRead, Expr::value(true))
        .col_expr(notification::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(notification::Column::Id.eq(id))
        .filter(notification::Column::UserId.eq(caller.user_id))
        .exec(&state.ctx.db)
        .await?;
    if done.rows_affected == 0
        && notification::Entity::find_by_id(id)
            .one(&state.ctx.db)
            .await?
            .is_none_or(|n| n.user_id != caller.user_id)
    {
        return Err(NotificationError::NotFound);
    }
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/notifications/read-all", tag = "notifications", responses((status = 204)))]
pub async fn read_all(State(state): State<AppState>, caller: AuthUser) -> Result<StatusCode> {
    notification::Entity::update_many()
        .col_expr(notification::Column::IsRead, Expr::value(true))
        .col_expr(notification::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(notification::Column::UserId.eq(caller.user_id))
        .filter(notification::Column::IsRead.eq(false))
        .exec(&state.ctx.db)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
