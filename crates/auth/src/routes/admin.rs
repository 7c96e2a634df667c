//! Admin: the user list, disabling and enabling accounts.

use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
};
use chrono::Utc;
use kit::{
    events::{self, catalog},
    identity::{AuthUser, Role},
    json::Json,
    pagination::{Page, PageParams},
};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::{
    entity::user,
    error::{AuthError, Result},
    routes::me::{Me, updated_event},
    state::AppState,
    tokens,
};

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    pub role: Option<String>,
    /// Matches name or email.
    pub q: Option<String>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

#[utoipa::path(get, path = "/api/v1/admin/users", tag = "admin", params(ListQuery),
    responses((status = 200, body = Page<Me>), (status = 403)))]
pub async fn list(
    State(state): State<AppState>,
    caller: AuthUser,
    Query(q): Query<ListQuery>,
) -> Result<Json<Page<Me>>> {
    caller.require(&[Role::Admin])?;
    // Not `#[serde(flatten)]`: query strings cannot carry numbers through it.
    let page = PageParams { page: q.page, per_page: q.per_page };
    let mut query = user::Entity::find();
    if let Some(role) = q.role.as_deref().filter(|r| !r.is_empty()) {
        query = query.filter(user::Column::UserType.eq(role));
    }
    if let Some(text) = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let pattern = kit::validate::like_contains(text);
        let like = || LikeExpr::new(pattern.clone()).escape('\\');
        query = query.filter(
            Condition::any()
                .add(Expr::expr(Func::lower(Expr::col(user::Column::Name))).like(like()))
                .add(Expr::col(user::Column::Email).like(like())),
        );
    }
    let total = query.clone().count(&state.ctx.db).await?;
    let rows = query
        .order_by_asc(user::Column::Id)
        .offset(page.offset())
        .limit(page.per_page())
        .all(&state.ctx.db)
        .await?;
    Ok(Json(Page::new(rows.into_iter().map(Me::from).collect(), page, total)))
}

async fn set_disabled(state: &AppState, caller: &AuthUser, id: i64, disabled: bool) -> Result<StatusCode> {
    caller.require(&[Role::Admin])?;
    if disabled && id == caller.user_id {
        return Err(AuthError::Conflict("admins cannot disable their own account"));
    }
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    let u = user::Entity::find_by_id(id).one(&txn).await?.ok_or(AuthError::NotFound)?;
    let mut active = u.into_active_model();
    active.disabled_at = Set(disabled.then(Utc::now));
    active.updated_at = Set(Utc::now());
    let u = active.update(&txn).await?;
    if disabled {
        tokens::revoke_user(&txn, id, None).await?;
    }
    events::publish(&txn, "auth", catalog::USER_UPDATED, Some(format!("user/{id}")), &updated_event(&u))
        .await?;
    txn.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/admin/users/{id}/disable", tag = "admin", params(("id" = i64, Path)),
    responses((status = 204), (status = 404), (status = 409)))]
pub async fn disable(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    set_disabled(&state, &caller, id, true).await
}

#[utoipa::path(post, path = "/api/v1/admin/users/{id}/enable", tag = "admin", params(("id" = i64, Path)),
    responses((status = 204), (status = 404)))]
pub async fn enable(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    set_disabled(&state, &caller, id, false).await
}
