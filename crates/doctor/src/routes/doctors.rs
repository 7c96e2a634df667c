//! The public directory of doctors (the search is [`crate::directory`]),
//! and the admin's changes to a profile.

use axum::{extract::State, http::StatusCode};
use kit::extract::{Path, Query};
use kit::{Error, Result, ids::SpecialtyId};
use kit::{
    authz::{Admins, Authorized},
    identity::{MaybeAuthUser, Role},
    json::{Json, ValidJson},
    pagination::{Page, PageParams},
};
use sea_orm::EntityTrait;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::{
    directory::{self, Search},
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

#[utoipa::path(get, path = "/api/v1/doctors", tag = "doctors", params(ListQuery),
    responses((status = 200, body = Page<DoctorSummary>), (status = 422)))]
pub async fn list(
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Result<Json<Page<DoctorSummary>>> {
    let params = PageParams { page: q.page, per_page: q.per_page }.check()?;
    let search = Search {
        specialty_id: q.specialty_id.map(SpecialtyId),
        city: q.city.as_deref(),
        name: q.name.as_deref(),
        min_rating: q.min_rating,
        sort: q.sort.as_deref(),
    };
    let page = directory::search(&state.ctx.db, search, params).await?;
    let (total, rows) = (page.total, page.data);
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
        || caller.is_some_and(|c| c.is(Role::Admin) || (c.is(Role::Doctor) && c.user_id == profile.user_id));
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
