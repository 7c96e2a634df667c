//! Patient profiles: own, by id, and the admin/doctor listing.

use axum::extract::State;
use chrono::{NaiveDate, Utc};
use kit::extract::{Path, Query};
use kit::{
    Result,
    authz::{Authorized, DoctorsAndAdmins, Patients},
    http::ClientIp,
    identity::{AuthUser, Role},
    json::{Json, ValidJson},
    pagination::{Page, PageParams},
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
    sea_query::{Expr, ExprTrait, Func, LikeExpr},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::{
    access::{self, Action, Resource},
    entity::{address, care, directory, patient},
    state::AppState,
};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, Validate)]
pub struct AddressDto {
    #[validate(length(min = 1, max = 255, message = "is required (at most 255 characters)"))]
    pub street: String,
    #[validate(length(min = 1, max = 255, message = "is required (at most 255 characters)"))]
    pub city: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Profile {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub cin: String,
    pub birth_date: NaiveDate,
    pub gender: String,
    pub phone: String,
    pub address: Option<AddressDto>,
}

/// The profile as shown to an authorized caller: cin opened, contact data
/// from the directory.
pub async fn render<C: ConnectionTrait>(state: &AppState, conn: &C, p: &patient::Model) -> Result<Profile> {
    let user = directory::Entity::find_by_id(p.user_id).one(conn).await?;
    let addr = match p.address_id {
        Some(id) => address::Entity::find_by_id(id).one(conn).await?,
        None => None,
    };
    Ok(Profile {
        id: p.id,
        user_id: p.user_id,
        name: user.as_ref().map(|u| u.name.clone()).unwrap_or_default(),
        email: user.as_ref().map(|u| u.email.clone()).unwrap_or_default(),
        cin: state.ctx.keyring.open_str(&p.cin).map_err(kit::Error::internal)?,
        birth_date: p.birth_date,
        gender: user.as_ref().map(|u| u.gender.clone()).unwrap_or_default(),
        phone: user.as_ref().map(|u| u.phone.clone()).unwrap_or_default(),
        address: addr.map(|a| AddressDto { street: a.rue, city: a.ville }),
    })
}

#[utoipa::path(get, path = "/api/v1/patients/me", tag = "patients", responses((status = 200, body = Profile), (status = 403), (status = 404)))]
pub async fn me(
    State(state): State<AppState>,
    caller: Authorized<Patients>,
    client: ClientIp,
) -> Result<Json<Profile>> {
    let p = access::own(&state.ctx, &caller).await?;
    access::record(&state.ctx.db, p.id, &caller, client, Action::Read, Resource::Profile).await?;
    Ok(Json(render(&state, &state.ctx.db, &p).await?))
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
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    let now = Utc::now();
    let mut active = p.clone().into_active_model();
    if let Some(a) = req.address {
        let existing = match p.address_id {
            Some(id) => address::Entity::find_by_id(id).one(&txn).await?,
            None => None,
        };
        match existing {
            Some(row) => {
                let mut row = row.into_active_model();
                row.rue = Set(a.street.trim().into());
                row.ville = Set(a.city.trim().into());
                row.updated_at = Set(now);
                row.update(&txn).await?;
            }
            None => {
                let row = address::ActiveModel {
                    rue: Set(a.street.trim().into()),
                    ville: Set(a.city.trim().into()),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
                active.address_id = Set(Some(row.id));
            }
        }
    }
    if let Some(d) = req.birth_date {
        active.birth_date = Set(d);
    }
    active.updated_at = Set(now);
    let p = active.update(&txn).await?;
    if let Some(phone) = req.phone
        && let Some(u) = directory::Entity::find_by_id(p.user_id).one(&txn).await?
    {
        let mut u = u.into_active_model();
        u.phone = Set(phone);
        u.update(&txn).await?;
    }
    access::record(&txn, p.id, &caller, client, Action::Update, Resource::Profile).await?;
    let profile = render(&state, &txn, &p).await?;
    txn.commit().await?;
    Ok(Json(profile))
}

#[utoipa::path(get, path = "/api/v1/patients/{id}", tag = "patients", params(("id" = i64, Path)),
    responses((status = 200, body = Profile), (status = 404, description = "unknown or not yours to see")))]
pub async fn get(
    State(state): State<AppState>,
    caller: AuthUser,
    client: ClientIp,
    Path(id): Path<i64>,
) -> Result<Json<Profile>> {
    let p = access::readable(&state.ctx.db, &caller, id).await?;
    access::record(&state.ctx.db, p.id, &caller, client, Action::Read, Resource::Profile).await?;
    Ok(Json(render(&state, &state.ctx.db, &p).await?))
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
    let mut query = patient::Entity::find();
    if caller.is(Role::Doctor) {
        let mine: Vec<i64> = care::Entity::find()
            .filter(care::Column::DoctorUserId.eq(caller.user_id))
            .all(&state.ctx.db)
            .await?
            .into_iter()
            .map(|c| c.patient_id)
            .collect();
        query = query.filter(patient::Column::Id.is_in(mine));
    }
    if let Some(text) = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let pattern = kit::validate::like_contains(text);
        let like = || LikeExpr::new(pattern.clone()).escape('\\');
        let users: Vec<i64> = directory::Entity::find()
            .filter(
                Condition::any()
                    .add(Expr::expr(Func::lower(Expr::col(directory::Column::Name))).like(like()))
                    .add(Expr::col(directory::Column::Email).like(like())),
            )
            .all(&state.ctx.db)
            .await?
            .into_iter()
            .map(|u| u.user_id)
            .collect();
        query = query.filter(patient::Column::UserId.is_in(users));
    }
    let total = query.clone().count(&state.ctx.db).await?;
    let rows = query
        .order_by_asc(patient::Column::Id)
        .offset(params.offset())
        .limit(params.per_page())
        .all(&state.ctx.db)
        .await?;
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    let mut data = Vec::with_capacity(rows.len());
    for p in &rows {
        access::record(&txn, p.id, &caller, client, Action::List, Resource::Profile).await?;
        data.push(render(&state, &txn, p).await?);
    }
    txn.commit().await?;
    Ok(Json(Page::new(data, params, total)))
}
