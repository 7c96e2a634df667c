//! A doctor's own profile.

use axum::extract::State;
use kit::{Error, Result};
use kit::{
    authz::{Authorized, Doctors},
    json::{Json, ValidJson},
};

use crate::{
    profiles::{
        own::{known, own},
        patch::{self, ProfilePatch},
        view::{self, DoctorDetail},
    },
    state::AppState,
};

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
