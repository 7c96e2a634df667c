//! Admins' moderation: the queue of held and reported ratings, and the
//! decisions on them.

use kit::{Error, Result};
use std::collections::HashMap;

use axum::extract::State;
use chrono::Utc;
use kit::extract::{Path, Query};
use kit::{
    authz::{Admins, Authorized},
    identity::{AuthUser, Role},
    json::Json,
    pagination::{Page, PageParams},
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::{
    entity::{rating, report},
    routes::view::ModeratedRating,
    state::AppState,
    summaries,
};

#[derive(Debug, Deserialize, IntoParams)]
pub struct QueueQuery {
    /// 1-based; `page × per_page` at most 10,000,000, else 422.
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// The reports on each of `ids`, oldest first.
async fn reports_of<C: ConnectionTrait>(conn: &C, ids: &[i64]) -> Result<HashMap<i64, Vec<report::Model>>> {
    let mut by_rating: HashMap<i64, Vec<report::Model>> = HashMap::new();
    if ids.is_empty() {
        return Ok(by_rating);
    }
    let rows = report::Entity::find()
        .filter(report::Column::RatingId.is_in(ids.iter().copied()))
        .order_by_asc(report::Column::CreatedAt)
        .order_by_asc(report::Column::Id)
        .all(conn)
        .await?;
    for r in rows {
        by_rating.entry(r.rating_id).or_default().push(r);
    }
    Ok(by_rating)
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
    let db = &state.ctx.db;
    let paging = PageParams { page: q.page, per_page: q.per_page }.check()?;
    let waiting = Condition::any().add(rating::Column::Status.eq(rating::HELD)).add(
        Condition::all()
            .add(rating::Column::Status.eq(rating::PUBLISHED))
            .add(rating::Column::ReportCount.gt(0)),
    );
    let query = rating::Entity::find().filter(waiting);
    let total = query.clone().count(db).await?;
    let rows = query
        .order_by_asc(rating::Column::UpdatedAt)
        .order_by_asc(rating::Column::Id)
        .offset(paging.offset())
        .limit(paging.per_page())
        .all(db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut reports = reports_of(db, &ids).await?;
    let data = rows
        .into_iter()
        .map(|r| {
            let of_it = reports.remove(&r.id).unwrap_or_default();
            ModeratedRating::new(r, of_it)
        })
        .collect();
    Ok(Json(Page::new(data, paging, total)))
}

/// Sets a moderation decision on rating `id` and announces the summary
/// when the published set changed.
async fn decide(state: &AppState, caller: &AuthUser, id: i64, status: &str) -> Result<ModeratedRating> {
    caller.require(&[Role::Admin])?;
    let db = &state.ctx.db;
    let doctor_id = rating::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?.doctor_id;
    let txn = kit::db::begin_write(db).await?;
    summaries::lock(&txn, doctor_id).await?;
    let r = rating::Entity::find_by_id(id).one(&txn).await?.ok_or(Error::NotFound)?;
    let was_published = r.status == rating::PUBLISHED;
    let mut active = r.into_active_model();
    active.status = Set(status.to_owned());
    active.moderated_at = Set(Some(Utc::now()));
    if status == rating::PUBLISHED {
        // Approved as it stands: earlier reports are answered, and only
        // new ones (from other users) count towards holding it again.
        active.hold_reason = Set(None);
        active.report_count = Set(0);
    }
    let row = active.update(&txn).await?;
    summaries::announce_if(&txn, doctor_id, was_published, status == rating::PUBLISHED).await?;
    let mut reports = reports_of(&txn, &[id]).await?;
    txn.commit().await?;
    Ok(ModeratedRating::new(row, reports.remove(&id).unwrap_or_default()))
}

#[utoipa::path(post, path = "/api/v1/ratings/{id}/approve", tag = "ratings",
    responses((status = 200, body = ModeratedRating, description = "published"), (status = 403), (status = 404)))]
pub async fn approve(
    State(state): State<AppState>,
    caller: Authorized<Admins>,
    Path(id): Path<i64>,
) -> Result<Json<ModeratedRating>> {
    Ok(Json(decide(&state, &caller, id, rating::PUBLISHED).await?))
}

#[utoipa::path(post, path = "/api/v1/ratings/{id}/reject", tag = "ratings",
    responses((status = 200, body = ModeratedRating, description = "rejected: shown to its author only"),
        (status = 403), (status = 404)))]
pub async fn reject(
    State(state): State<AppState>,
    caller: Authorized<Admins>,
    Path(id): Path<i64>,
) -> Result<Json<ModeratedRating>> {
    Ok(Json(decide(&state, &caller, id, rating::REJECTED).await?))
}
