//! The booking rules a client explains before the user acts (the web app
//! shows the cancellation cut-off next to the cancel and reschedule buttons).

use axum::extract::State;
use kit::json::Json;
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct Policy {
    /// Patients may cancel or reschedule until this many minutes before the start.
    pub cancellation_deadline_minutes: i64,
}

#[utoipa::path(get, path = "/api/v1/appointments/policy", tag = "appointments",
    responses((status = 200, body = Policy)))]
pub async fn get(State(state): State<AppState>) -> Json<Policy> {
    Json(Policy { cancellation_deadline_minutes: state.ctx.settings.cancellation_deadline_minutes })
}
