//! Patient profiles: own, by id, and the admin/doctor listing.

use axum::extract::State;
use chrono::NaiveDate;
use kit::extract::{Path, Query};
use kit::{
    Result,
    authz::{Authorized, DoctorsAndAdmins, Patients},
    http::ClientIp,
    identity::AuthUser,
    ids::PatientId,
    json::{Json, ValidJson},
    pagination::{Page, PageParams},
};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::{
    access::{self, Action, Resource},
    profiles::{self, AddressDto, Changes, Profile},
    state::AppState,
};

#[utoipa::path(get, path = "/api/v1/patients/me", tag = "patients", responses((status = 200, body = Profile), (status = 403), (status = 404)))]
pub async fn me(
    State(state): State<AppState>,
    caller: Authorized<Patients>,
    client: ClientIp,
) -> Result<Json<Profile>> {
    let p = access::own(&state.ctx, &caller).await?;
    access::record(&state.ctx.db, p.id, &caller, client, Action::Read, Resource::Profile).await?;
    Ok(Json(profiles::render(&state.ctx, &state.ctx.db, &p).await?))
}

/// `phone` is the account's (auth owns it): set here it shows at once, and
/// the next `user.updated` from auth wins. Address and birth date are ours.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(as = PatchPatient)]
pub struct PatchMe {
    #[validate(custom(function = "kit::validate::phone"))]
    pub phone: Option<String>,
    #[validate(nested)]
    pub address: Option<AddressDto>,
    #[validate(custom(function = "kit::validate::birth_date"))]
    pub birth_date: Option<NaiveDate>,
}

#[utoipa::path(patch, path = "/api/v1/patients/me", tag = "patients", request_body = PatchMe, responses((status = 403), (status = 200, body = Profile)))]
pub async fn patch_me(
    State(state): State<AppState>,
    caller: Authorized<Patients>,
    client: ClientIp,
    ValidJson(req): ValidJson<PatchMe>,
) -> Result<Json<Profile>> {
    let p = access::own(&state.ctx, &caller).await?;
    let changes = Changes { phone: req.phone, address: req.address, birth_date: req.birth_date };
    Ok(Json(profiles::update(&state.ctx, &caller, client, p, changes).await?))
}

#[utoipa::path(get, path = "/api/v1/patients/{id}", tag = "patients", params(("id" = i64, Path)),
    responses((status = 200, body = Profile), (status = 404, description = "unknown or not yours to see")))]
pub async fn get(
    State(state): State<AppState>,
    caller: AuthUser,
    client: ClientIp,
    Path(id): Path<PatientId>,
) -> Result<Json<Profile>> {
    let p = access::readable(&state.ctx.db, &caller, id).await?;
    access::record(&state.ctx.db, p.id, &caller, client, Action::Read, Resource::Profile).await?;
    Ok(Json(profiles::render(&state.ctx, &state.ctx.db, &p).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    /// Matches the patient's name or email.
    pub q: Option<String>,
    /// 1-based; `page × per_page` at most 10,000,000, else 422.
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

#[utoipa::path(get, path = "/api/v1/patients", tag = "patients", params(ListQuery),
    responses((status = 200, body = Page<Profile>), (status = 403)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Authorized<DoctorsAndAdmins>,
    client: ClientIp,
    Query(q): Query<ListQuery>,
) -> Result<Json<Page<Profile>>> {
    let params = PageParams { page: q.page, per_page: q.per_page }.check()?;
    let (data, total) = profiles::search(&state.ctx, &caller, client, q.q.as_deref(), params).await?;
    Ok(Json(Page::new(data, params, total)))
}
