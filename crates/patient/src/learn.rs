//! Read your own writes: a patient's record is made from auth's
//! `user.registered`, which may still be on its way when the new patient's
//! first call arrives (here, or at the appointment and rating services,
//! which ask us). Then auth is asked for that event once and it is handled
//! here as the bus would have it (`kit::internal::learn`); its delivery
//! later is a no-op.

use axum::extract::State;
use kit::extract::Path;
use kit::{
    Result,
    events::{Event, catalog::EventType},
    ids::{PatientId, UserId},
    internal::ServiceCaller,
    json::Json,
    service::ServiceContext,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::{entity::patient, events::PatientEvents, state::AppState};

async fn find(ctx: &ServiceContext, user_id: UserId) -> Result<Option<patient::Model>> {
    Ok(patient::Entity::find().filter(patient::Column::UserId.eq(user_id)).one(&ctx.db).await?)
}

/// The patient record of account `user_id`, if it is a patient account.
pub async fn record_of(ctx: &ServiceContext, user_id: UserId) -> Result<Option<patient::Model>> {
    if let Some(p) = find(ctx, user_id).await? {
        return Ok(Some(p));
    }
    let (path, subject) = (format!("/internal/users/{user_id}/registered"), format!("user/{user_id}"));
    let kind = EventType::UserRegistered;
    if !kit::internal::learn(ctx, &PatientEvents, "auth", &path, kit::internal::about(kind, &subject)).await?
    {
        return Ok(None);
    }
    find(ctx, user_id).await
}

/// `GET /internal/patients/{id}/registered`: the `patient.registered`
/// event of record `id`, while the record exists.
pub async fn registered(
    State(state): State<AppState>,
    _caller: ServiceCaller,
    Path(id): Path<i64>,
) -> Result<Json<Event>> {
    patient::Entity::find_by_id(PatientId(id)).one(&state.ctx.db).await?.ok_or(kit::Error::NotFound)?;
    kit::internal::first_event(&state.ctx.db, EventType::PatientRegistered, &format!("patient/{id}")).await
}

/// `GET /internal/patients/by-user/{user_id}`: the `patient.registered`
/// event of this account's record (made first if need be), for a read
/// model elsewhere that has not had it yet.
pub async fn by_user(
    State(state): State<AppState>,
    _caller: ServiceCaller,
    Path(user_id): Path<i64>,
) -> Result<Json<Event>> {
    let p = record_of(&state.ctx, UserId(user_id)).await?.ok_or(kit::Error::NotFound)?;
    let subject = format!("patient/{}", p.id);
    kit::internal::first_event(&state.ctx.db, EventType::PatientRegistered, &subject).await
}
