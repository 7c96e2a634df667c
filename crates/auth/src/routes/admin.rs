//! Admin: the user list and its figures, creating staff accounts,
//! disabling and enabling.

use axum::{extract::State, http::StatusCode};
use kit::extract::{Path, Query};
use kit::{
    Result,
    accounts::{AddressInput, CreateUser},
    authz::{Admins, Authorized},
    identity::Role,
    ids::UserId,
    json::Json,
    pagination::{Page, PageParams},
    stats::DayRange,
};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    accounts::{self, NewUser, ProfileSeed, create_user},
    entity::user,
    routes::me::Me,
    state::AppState,
    stats::{self, UserStats},
};

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    pub role: Option<String>,
    /// Matches name or email.
    pub q: Option<String>,
    /// 1-based; `page × per_page` at most 10,000,000, else 422.
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// A row of the admin list: the account as its owner sees it, and
/// whether it is disabled.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserRow {
    #[serde(flatten)]
    pub user: Me,
    pub disabled: bool,
}

impl From<user::Model> for UserRow {
    fn from(u: user::Model) -> Self {
        let disabled = u.disabled_at.is_some();
        Self { user: Me::from(u), disabled }
    }
}

#[utoipa::path(get, path = "/api/v1/admin/users", tag = "admin", params(ListQuery),
    responses((status = 200, body = Page<UserRow>), (status = 403)))]
pub async fn list(
    State(state): State<AppState>,
    _: Authorized<Admins>,
    Query(q): Query<ListQuery>,
) -> Result<Json<Page<UserRow>>> {
    // Not `#[serde(flatten)]`: query strings cannot carry numbers through it.
    let page = PageParams { page: q.page, per_page: q.per_page }.check()?;
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
    Ok(Json(Page::new(rows.into_iter().map(UserRow::from).collect(), page, total)))
}

#[utoipa::path(get, path = "/api/v1/admin/users/stats", tag = "admin", params(DayRange),
    responses((status = 200, body = UserStats), (status = 401), (status = 403),
        (status = 422, description = "to before from")))]
pub async fn stats(
    State(state): State<AppState>,
    _: Authorized<Admins>,
    Query(range): Query<DayRange>,
) -> Result<Json<UserStats>> {
    Ok(Json(stats::compute(&state.ctx.db, range.check()?).await?))
}

#[utoipa::path(post, path = "/api/v1/admin/users/{id}/disable", tag = "admin", params(("id" = i64, Path)),
    responses((status = 403), (status = 204), (status = 404), (status = 409)))]
pub async fn disable(
    State(state): State<AppState>,
    caller: Authorized<Admins>,
    Path(id): Path<UserId>,
) -> Result<StatusCode> {
    caller.require(&[Role::Admin])?;
    accounts::set_disabled(&state, caller.user_id, id, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/admin/users/{id}/enable", tag = "admin", params(("id" = i64, Path)),
    responses((status = 403), (status = 204), (status = 404)))]
pub async fn enable(
    State(state): State<AppState>,
    caller: Authorized<Admins>,
    Path(id): Path<UserId>,
) -> Result<StatusCode> {
    caller.require(&[Role::Admin])?;
    accounts::set_disabled(&state, caller.user_id, id, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/admin/users", tag = "admin", request_body = CreateUser,
    responses((status = 201, body = Me), (status = 403), (status = 409, description = "email taken"), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    _: Authorized<Admins>,
    kit::json::ValidJson(req): kit::json::ValidJson<CreateUser>,
) -> Result<(StatusCode, Json<Me>)> {
    let doctor = match (req.role, req.doctor) {
        (Role::Patient, _) => {
            return Err(kit::Error::invalid(
                "role",
                "patients register themselves; create doctors or admins",
            ));
        }
        (Role::Doctor, None) => return Err(kit::Error::invalid("doctor", "is required for a doctor")),
        (Role::Doctor, Some(d)) => Some(d.to_event()),
        (Role::Admin, _) => None,
    };
    let new = NewUser {
        name: &req.person.name,
        email: &req.person.email,
        password: &req.person.password,
        gender: &req.person.gender,
        phone: &req.person.phone,
        role: req.role,
    };
    let address = req.address.as_ref().map(AddressInput::to_event);
    let seed = ProfileSeed { birth_date: req.birth_date, address, doctor, cin: None };
    let (u, _) = create_user(&state, new, seed).await?;
    Ok((StatusCode::CREATED, Json(Me::from(u))))
}
