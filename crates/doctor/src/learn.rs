//! Read your own writes: a doctor registered by token gets their profile
//! from auth's `user.registered`, which may still be on its way at their
//! first call (here, or at the appointment service, which asks us). Then
//! auth is asked for that event once and it is handled here as the bus
//! would (`kit::internal::learn`); its delivery later is a no-op.

use axum::extract::State;
use kit::extract::Path;
use kit::{Error, Result};
use kit::{
    events::{Event, catalog::EventType},
    internal::ServiceCaller,
    json::Json,
    service::ServiceContext,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::{entity::doctor, events::DoctorEvents, state::AppState};

/// The profile of account `user_id`, if it is a doctor with one.
pub async fn profile_of_user(
    ctx: &ServiceContext,
    user_id: kit::ids::UserId,
) -> Result<Option<doctor::Model>> {
    let find = || doctor::Entity::find().filter(doctor::Column::UserId.eq(user_id)).one(&ctx.db);
    if let Some(d) = find().await? {
        return Ok(Some(d));
    }
    let (path, subject) = (format!("/internal/users/{user_id}/registered"), format!("user/{user_id}"));
    let kind = EventType::UserRegistered;
    if !kit::internal::learn(ctx, &DoctorEvents, "auth", &path, kit::internal::about(kind, &subject)).await? {
        return Ok(None);
    }
    Ok(find().await?)
}

/// `GET /internal/doctors/by-user/{user_id}`: the first `doctor.changed`
/// of this account's profile (made first if need be).
pub async fn by_user(
    State(state): State<AppState>,
    _caller: ServiceCaller,
    Path(user_id): Path<i64>,
) -> Result<Json<Event>> {
    let d = profile_of_user(&state.ctx, kit::ids::UserId(user_id)).await?.ok_or(Error::NotFound)?;
    kit::internal::first_event(&state.ctx.db, EventType::DoctorChanged, &format!("doctor/{}", d.id)).await
}

/// `GET /internal/doctors/{id}/changed`: the first `doctor.changed` of
/// profile `id`, while it exists.
pub async fn changed(
    State(state): State<AppState>,
    _caller: ServiceCaller,
    Path(id): Path<i64>,
) -> Result<Json<Event>> {
    doctor::Entity::find_by_id(id).one(&state.ctx.db).await?.ok_or(Error::NotFound)?;
    kit::internal::first_event(&state.ctx.db, EventType::DoctorChanged, &format!("doctor/{id}")).await
}
