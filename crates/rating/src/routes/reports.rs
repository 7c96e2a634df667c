//! Reporting a published rating (the rule is [`crate::reports`]).

use axum::{extract::State, http::StatusCode};
use kit::extract::Path;
use kit::{Error, Result};
use kit::{identity::AuthUser, ids::RatingId, json::ValidJson};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::state::AppState;

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct ReportBody {
    #[validate(custom(function = "kit::validate::required_up_to::<500>"))]
    pub reason: String,
}

#[utoipa::path(post, path = "/api/v1/ratings/{id}/report", tag = "ratings", request_body = ReportBody,
    responses((status = 202, description = "recorded (a repeat by the same user changes nothing)"),
        (status = 404, description = "unknown, or not published"), (status = 422)))]
pub async fn report(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<i64>,
    ValidJson(req): ValidJson<ReportBody>,
) -> Result<StatusCode> {
    let reason = req.reason.trim();
    if reason.is_empty() {
        return Err(Error::invalid("reason", kit::validate::required_message(500)));
    }
    crate::reports::report(&state.ctx.db, caller.user_id, RatingId(id), reason).await?;
    Ok(StatusCode::ACCEPTED)
}
