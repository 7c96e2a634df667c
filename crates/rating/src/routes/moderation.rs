//! Admins' moderation: the queue of held and reported ratings, and the
//! decisions on them (the rules are in [`crate::review`]).

use axum::extract::State;
use kit::Result;
use kit::extract::{Path, Query};
use kit::{
    authz::{Admins, Authorized},
    identity::Role,
    ids::RatingId,
    json::Json,
    pagination::{Page, PageParams},
};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::{entity::rating, review, routes::view::ModeratedRating, state::AppState};

#[derive(Debug, Deserialize, IntoParams)]
pub struct QueueQuery {
    /// 1-based; `page × per_page` at most 10,000,000, else 422.
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

#[utoipa::path(get, path = "/api/v1/ratings/moderation", tag = "ratings", params(QueueQuery),
    responses((status = 200, body = inline(Page<ModeratedRating>),
        description = "held ratings and published ones with reports, oldest change first"),
        (status = 403)))]
pub async fn queue(
    State(state): State<AppState>,
    _: Authorized<Admins>,
    Query(q): Query<QueueQuery>,
) -> Result<Json<Page<ModeratedRating>>> {
    let paging = PageParams { page: q.page, per_page: q.per_page }.check()?;
    let page = review::queue(&state.ctx.db, paging).await?;
    Ok(Json(page.map(|(r, reports)| ModeratedRating::new(r, reports))))
}

#[utoipa::path(post, path = "/api/v1/ratings/{id}/approve", tag = "ratings",
    responses((status = 200, body = ModeratedRating, description = "published"), (status = 403), (status = 404)))]
pub async fn approve(
    State(state): State<AppState>,
    caller: Authorized<Admins>,
    Path(id): Path<i64>,
) -> Result<Json<ModeratedRating>> {
    caller.require(&[Role::Admin])?;
    let (row, reports) = review::decide(&state.ctx.db, RatingId(id), rating::Status::Published).await?;
    Ok(Json(ModeratedRating::new(row, reports)))
}

#[utoipa::path(post, path = "/api/v1/ratings/{id}/reject", tag = "ratings",
    responses((status = 200, body = ModeratedRating, description = "rejected: shown to its author only"),
        (status = 403), (status = 404)))]
pub async fn reject(
    State(state): State<AppState>,
    caller: Authorized<Admins>,
    Path(id): Path<i64>,
) -> Result<Json<ModeratedRating>> {
    caller.require(&[Role::Admin])?;
    let (row, reports) = review::decide(&state.ctx.db, RatingId(id), rating::Status::Rejected).await?;
    Ok(Json(ModeratedRating::new(row, reports)))
}
