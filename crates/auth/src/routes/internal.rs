//! What auth tells other services under `/internal/` (see `kit::internal`).

use axum::extract::State;
use kit::extract::Path;
use kit::{
    Result,
    events::{Event, catalog::EventType},
    internal::ServiceCaller,
    json::Json,
};
use sea_orm::EntityTrait;

use crate::{entity::user, state::AppState};

/// `GET /internal/users/{id}/registered`: the `user.registered` event of
/// an account that still exists, for a read model (patient records,
/// doctor profiles, notification contacts) it has not reached yet. The
/// event itself, from the outbox: it carries what auth does not keep (the
/// sealed national id, the profile seed), and applied as an event it
/// makes the later delivery a no-op.
pub async fn registered(
    State(state): State<AppState>,
    _caller: ServiceCaller,
    Path(id): Path<i64>,
) -> Result<Json<Event>> {
    let exists = user::Entity::find_by_id(id).one(&state.ctx.db).await;
    exists?.ok_or(kit::Error::NotFound)?;
    kit::internal::first_event(&state.ctx.db, EventType::UserRegistered, &format!("user/{id}")).await
}
