//! A doctor's own profile.

use axum::extract::State;
use kit::{Error, Result};
use kit::{
    authz::{Authorized, Doctors},
    identity::{AuthUser, Role},
    json::{Json, ValidJson},
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::{
    entity::doctor,
    routes::{
        patch::{self, ProfilePatch},
        view::{self, DoctorDetail},
    },
    state::AppState,
};

/// Makes sure the calling doctor's profile is here, from their first call
/// on (see `learn`); call it before `own`, outside any transaction.
pub async fn known(state: &AppState, caller: &AuthUser) -> Result<()> {
    caller.require(&[Role::Doctor])?;
    crate::learn::profile_of_user(&state.ctx, caller.user_id).await?;
    Ok(())
}

/// The caller's own profile (role doctor only; 404 when there is none).
pub async fn own<C: ConnectionTrait>(conn: &C, caller: &AuthUser) -> Result<doctor::Model> {
    caller.require(&[Role::Doctor])?;
    doctor::Entity::find()
        .filter(doctor::Column::UserId.eq(caller.user_id))
        .one(conn)
        .await?
        .ok_or(Error::NotFound)
}

#[utoipa::path(get, path = "/api/v1/doctors/me", tag = "doctors",
    responses((status = 200, body = DoctorDetail), (status = 403), (status = 404)))]
pub async fn get(State(state): State<AppState>, caller: Authorized<Doctors>) -> Result<Json<DoctorDetail>> {
    known(&state, &caller).await?;
    let profile = own(&state.ctx.db, &caller).await?;
    Ok(Json(view::detail(&state.ctx.db, profile).await?))
}

#[utoipa::path(patch, path = "/api/v1/doctors/me", tag = "doctors", request_body = ProfilePatch,
    responses((status = 200, body = DoctorDetail), (status = 403, description = "not a doctor, or a status change"), (status = 404), (status = 422)))]
pub async fn patch(
    State(state): State<AppState>,
    caller: Authorized<Doctors>,
    ValidJson(req): ValidJson<ProfilePatch>,
) -> Result<Json<DoctorDetail>> {
    if req.status.is_some() {
        return Err(Error::forbidden("only an admin changes a doctor's status"));
    }
    known(&state, &caller).await?;
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    let profile = own(&txn, &caller).await?;
    let profile = patch::apply(&txn, profile, req).await?;
    let shown = view::detail(&txn, profile).await?;
    txn.commit().await?;
    Ok(Json(shown))
}
