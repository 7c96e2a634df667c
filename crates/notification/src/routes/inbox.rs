//! A user's in-app notifications: list, read one, read all.

use axum::{extract::State, http::StatusCode};
use chrono::{DateTime, Utc};
use kit::extract::{Path, Query};
use kit::{
    identity::AuthUser,
    json::Json,
    pagination::{Page, PageParams},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{entity::notification, ids::NotificationId, inbox, state::AppState};

#[derive(Debug, Serialize, ToSchema)]
pub struct Notification {
    pub id: NotificationId,
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
) -> kit::Result<Json<Page<Notification>>> {
    let paging = PageParams { page: q.page, per_page: q.per_page }.check()?;
    let unread_only = q.unread == Some(true);
    let (rows, total) = inbox::page(&state.ctx.db, caller.user_id, unread_only, paging).await?;
    Ok(Json(Page::new(rows.into_iter().map(Notification::from).collect(), paging, total)))
}

#[utoipa::path(put, path = "/api/v1/notifications/{id}/read", tag = "notifications",
    params(("id" = i64, Path, description = "the notification")),
    responses((status = 204), (status = 404)))]
pub async fn read(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<NotificationId>,
) -> kit::Result<StatusCode> {
    inbox::mark_read(&state.ctx.db, caller.user_id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/notifications/read-all", tag = "notifications", responses((status = 204)))]
pub async fn read_all(State(state): State<AppState>, caller: AuthUser) -> kit::Result<StatusCode> {
    inbox::mark_all_read(&state.ctx.db, caller.user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
