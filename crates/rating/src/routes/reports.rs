//! Reporting a published rating. Each user's report counts once; the
//! third since the last moderation decision holds the rating for review.

use axum::{extract::State, http::StatusCode};
use chrono::Utc;
use kit::extract::Path;
use kit::{Error, Result};
use kit::{identity::AuthUser, json::ValidJson};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::{
    entity::{rating, report},
    state::AppState,
    summaries,
};

/// Reports (from distinct users) that hold a published rating.
pub const HOLD_AFTER_REPORTS: i32 = 3;

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct ReportBody {
    #[validate(length(min = 1, max = 500, message = "is required (at most 500 characters)"))]
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
        return Err(Error::invalid("reason", "is required (at most 500 characters)"));
    }
    let db = &state.ctx.db;
    let doctor_id = rating::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?.doctor_id;
    let txn = kit::db::begin_write(db).await?;
    summaries::lock(&txn, doctor_id).await?;
    let r = rating::Entity::find_by_id(id).one(&txn).await?.ok_or(Error::NotFound)?;
    let mine = report::Entity::find()
        .filter(report::Column::RatingId.eq(id))
        .filter(report::Column::ReporterUserId.eq(caller.user_id))
        .one(&txn)
        .await?;
    if mine.is_some() {
        // Idempotent: the same answer as the first time, whatever became of it.
        return Ok(StatusCode::ACCEPTED);
    }
    // Only what the public sees can be reported; the rest does not exist to them.
    if r.status != rating::PUBLISHED {
        return Err(Error::NotFound);
    }
    let recorded = report::ActiveModel {
        rating_id: Set(id),
        reporter_user_id: Set(caller.user_id),
        reason: Set(reason.to_owned()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    match recorded {
        Ok(_) => {}
        Err(e) if kit::db::is_unique_violation(&e) => return Ok(StatusCode::ACCEPTED),
        Err(e) => return Err(e.into()),
    }
    let count = r.report_count.saturating_add(1);
    let mut active = r.into_active_model();
    active.report_count = Set(count);
    let held = count >= HOLD_AFTER_REPORTS;
    if held {
        active.status = Set(rating::HELD.to_owned());
        active.hold_reason = Set(Some(format!("reported by {count} users")));
    }
    active.update(&txn).await?;
    if held {
        // It left the published set.
        summaries::announce(&txn, doctor_id).await?;
    }
    txn.commit().await?;
    Ok(StatusCode::ACCEPTED)
}
