//! What auth tells other services under `/internal/` (see `kit::internal`).

use axum::extract::State;
use kit::extract::Path;
use kit::{
    Problem,
    events::{Event, catalog},
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
) -> Result<Json<Event>, Problem> {
    let exists = user::Entity::find_by_id(id).one(&state.ctx.db).await;
    exists.map_err(|e| Problem::unexpected(&e.into()))?.ok_or_else(Problem::not_found)?;
    kit::internal::first_event(&state.ctx.db, catalog::USER_REGISTERED, &format!("user/{id}")).await
}
