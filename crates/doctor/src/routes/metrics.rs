//! A doctor's numbers, counted from the appointment facts read model.

use axum::extract::State;
use kit::extract::Path;
use kit::{Error, Result};
use kit::{
    identity::{AuthUser, Role},
    json::Json,
};
use sea_orm::EntityTrait;

use crate::{
    entity::doctor,
    metrics::{self, Metrics},
    state::AppState,
};

#[utoipa::path(get, path = "/api/v1/doctors/{id}/metrics", tag = "doctors", params(("id" = i64, Path)),
    responses((status = 200, body = Metrics), (status = 403), (status = 404)))]
pub async fn get(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<Metrics>> {
    let profile = doctor::Entity::find_by_id(id).one(&state.ctx.db).await?.ok_or(Error::NotFound)?;
    let own = caller.is(Role::Doctor) && caller.user_id == profile.user_id;
    if !(own || caller.is(Role::Admin)) {
        return Err(Error::forbidden("only the doctor and admins see these numbers"));
    }
    Ok(Json(metrics::of(&state.ctx.db, &profile).await?))
}
