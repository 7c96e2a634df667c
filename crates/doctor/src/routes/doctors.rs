//! The public directory of doctors, and the admin's changes to a profile.

use axum::{extract::State, http::StatusCode};
use kit::extract::{Path, Query};
use kit::{Error, Result, ids::UserId};
use kit::{
    authz::{Admins, Authorized},
    identity::{MaybeAuthUser, Role},
    json::{Json, ValidJson},
    pagination::{Page, PageParams},
};
use sea_orm::{
    ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait, Func, LikeExpr},
};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::{
    entity::doctor,
    profiles::{
        patch::{self, ProfilePatch},
        view::{self, DoctorDetail, DoctorSummary},
    },
    state::AppState,
};

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    pub specialty_id: Option<i64>,
    /// Part of the city, any case.
    pub city: Option<String>,
    /// Part of the doctor's name, any case.
    pub name: Option<String>,
    /// Average rating at least this (0 to 5).
    pub min_rating: Option<f64>,
    /// `rating` (default: best rated first) or `name`.
    pub sort: Option<String>,
    /// 1-based; `page × per_page` at most 10,000,000, else 422.
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// `lower(column) LIKE '%text%'`, with `%` and `_` in the text matching literally.
fn contains(column: doctor::Column, text: &str) -> sea_orm::sea_query::SimpleExpr {
    let pattern = LikeExpr::new(kit::validate::like_contains(text)).escape('\\');
    Expr::expr(Func::lower(Expr::col(column))).like(pattern)
}

fn given(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

#[utoipa::path(get, path = "/api/v1/doctors", tag = "doctors", params(ListQuery),
    responses((status = 200, body = Page<DoctorSummary>), (status = 422)))]
pub async fn list(
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Result<Json<Page<DoctorSummary>>> {
    let params = PageParams { page: q.page, per_page: q.per_page }.check()?;
    let mut query = doctor::Entity::find().filter(doctor::Column::Status.eq(doctor::Status::Active));
    if let Some(id) = q.specialty_id {
        query = query.filter(doctor::Column::SpecialtyId.eq(id));
    }
    if let Some(city) = given(q.city.as_deref()) {
        query = query.filter(contains(doctor::Column::City, city));
    }
    if let Some(name) = given(q.name.as_deref()) {
        query = query.filter(contains(doctor::Column::Name, name));
    }
    if let Some(min) = q.min_rating {
        if !(0.0..=5.0).contains(&min) {
            return Err(Error::invalid("min_rating", "must be between 0 and 5"));
        }
        query = query.filter(doctor::Column::AvgRating.gte(min));
    }
    query = match q.sort.as_deref() {
        None | Some("rating") => query.order_by_desc(doctor::Column::AvgRating),
        Some("name") => query.order_by_asc(doctor::Column::Name),
        Some(_) => return Err(Error::invalid("sort", "must be rating or name")),
    }
    // Ties keep a stable order, so pages never repeat or skip a doctor.
    .order_by_asc(doctor::Column::Id);
    let total = query.clone().count(&state.ctx.db).await?;
    let rows = query.offset(params.offset()).limit(params.per_page()).all(&state.ctx.db).await?;
    Ok(Json(Page::new(view::summaries(&state.ctx.db, rows).await?, params, total)))
}

/// Inactive profiles are shown only to admins and their own doctor;
/// everyone else gets the same 404 as for an unknown id.
#[utoipa::path(get, path = "/api/v1/doctors/{id}", tag = "doctors", params(("id" = i64, Path)),
    responses((status = 200, body = DoctorDetail), (status = 404)))]
pub async fn get(
    State(state): State<AppState>,
    MaybeAuthUser(caller): MaybeAuthUser,
    Path(id): Path<i64>,
) -> Result<Json<DoctorDetail>> {
    let profile = doctor::Entity::find_by_id(id).one(&state.ctx.db).await?.ok_or(Error::NotFound)?;
    let visible = profile.status == doctor::Status::Active
        || caller.is_some_and(|c| {
            c.is(Role::Admin) || (c.is(Role::Doctor) && UserId(c.user_id) == profile.user_id)
        });
    if !visible {
        return Err(Error::NotFound);
    }
    Ok(Json(view::detail(&state.ctx.db, profile).await?))
}

#[utoipa::path(patch, path = "/api/v1/doctors/{id}", tag = "doctors", params(("id" = i64, Path)),
    request_body = ProfilePatch,
    responses((status = 200, body = DoctorDetail), (status = 403), (status = 404), (status = 422)))]
pub async fn update(
    State(state): State<AppState>,
    _: Authorized<Admins>,
    Path(id): Path<i64>,
    ValidJson(req): ValidJson<ProfilePatch>,
) -> Result<Json<DoctorDetail>> {
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    let profile = doctor::Entity::find_by_id(id).one(&txn).await?.ok_or(Error::NotFound)?;
    let profile = patch::apply(&txn, profile, req).await?;
    let shown = view::detail(&txn, profile).await?;
    txn.commit().await?;
    Ok(Json(shown))
}

/// Removes the profile (and its credentials), not the account: auth owns
/// that, and deleting the account removes the profile anyway.
#[utoipa::path(delete, path = "/api/v1/doctors/{id}", tag = "doctors", params(("id" = i64, Path)),
    responses((status = 204), (status = 403), (status = 404)))]
pub async fn delete(
    State(state): State<AppState>,
    _: Authorized<Admins>,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    let profile = doctor::Entity::find_by_id(id).one(&txn).await?.ok_or(Error::NotFound)?;
    crate::events::remove(&txn, &profile).await?;
    txn.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
