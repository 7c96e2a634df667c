//! Writing ratings: a patient's submission (first, or replacing their
//! earlier one), their edits, and deletion by the author or an admin.
//!
//! Every write takes the doctor's lock first (see `summaries`), then
//! changes the row and announces the new summary in the same transaction.

use axum::{extract::State, http::StatusCode};
use chrono::{DateTime, Utc};
use kit::extract::Path;
use kit::{Error, Result};
use kit::{
    authz::{Authorized, Patients},
    identity::{AuthUser, Role},
    json::{Json, ValidJson},
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, IntoActiveModel,
    QueryFilter, Set,
};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::{
    eligibility,
    entity::{rating, report},
    moderation::BlockList,
    routes::view::OwnRating,
    state::AppState,
    summaries,
};

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct SubmitBody {
    #[validate(range(min = 1, message = "must be a doctor id"))]
    pub doctor_id: i64,
    #[validate(range(min = 1, max = 5, message = "must be a whole number from 1 to 5"))]
    pub rating: i32,
    #[validate(length(max = 2000, message = "must be at most 2000 characters"))]
    pub comment: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct EditBody {
    #[validate(range(min = 1, max = 5, message = "must be a whole number from 1 to 5"))]
    pub rating: i32,
    #[validate(length(max = 2000, message = "must be at most 2000 characters"))]
    pub comment: Option<String>,
}

/// A score and comment, with the moderation verdict on the comment.
struct Content {
    rating: i32,
    comment: Option<String>,
    status: &'static str,
    hold_reason: Option<String>,
}

impl Content {
    /// A blank comment is no comment; a blocked word holds the rating.
    fn judge(blocked: &BlockList, rating: i32, comment: Option<String>) -> Self {
        let comment = comment.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty());
        let found = comment.as_deref().and_then(|c| blocked.find(c));
        let (status, hold_reason) = match found {
            Some(word) => (rating::HELD, Some(format!("comment contains the blocked word \"{word}\""))),
            None => (rating::PUBLISHED, None),
        };
        Self { rating, comment, status, hold_reason }
    }
}

/// Puts new content into an existing rating. Moderation judges the
/// comment: a new comment starts moderation over (earlier reports were
/// about the old one, so they go), while an unchanged comment keeps its
/// state, so re-sending a held or rejected comment cannot republish it.
async fn rewrite(
    txn: &DatabaseTransaction,
    existing: rating::Model,
    content: Content,
    now: DateTime<Utc>,
) -> Result<rating::Model> {
    let same_comment = existing.comment == content.comment;
    let id = existing.id;
    let mut active = existing.into_active_model();
    active.rating = Set(content.rating);
    active.updated_at = Set(now);
    if !same_comment {
        report::Entity::delete_many().filter(report::Column::RatingId.eq(id)).exec(txn).await?;
        active.comment = Set(content.comment);
        active.status = Set(content.status.to_owned());
        active.hold_reason = Set(content.hold_reason);
        active.report_count = Set(0);
        active.moderated_at = Set(None);
    }
    Ok(active.update(txn).await?)
}

async fn by_patient_and_doctor<C: ConnectionTrait>(
    conn: &C,
    patient_id: i64,
    doctor_id: i64,
) -> Result<Option<rating::Model>> {
    Ok(rating::Entity::find()
        .filter(rating::Column::PatientId.eq(patient_id))
        .filter(rating::Column::DoctorId.eq(doctor_id))
        .one(conn)
        .await?)
}

#[utoipa::path(post, path = "/api/v1/ratings", tag = "ratings", request_body = SubmitBody,
    responses((status = 201, body = OwnRating, description = "first rating of this doctor"),
        (status = 200, body = OwnRating, description = "replaced the caller's earlier rating"),
        (status = 403, description = "no completed, or approved and past, appointment with the doctor"),
        (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Authorized<Patients>,
    ValidJson(req): ValidJson<SubmitBody>,
) -> Result<(StatusCode, Json<OwnRating>)> {
    let db = &state.ctx.db;
    let patient =
        crate::learn::patient_of(&state.ctx, &caller).await?.ok_or_else(eligibility::not_eligible)?;
    if !crate::learn::may_rate(&state.ctx, patient.patient_id, req.doctor_id).await? {
        return Err(eligibility::not_eligible());
    }
    let content = Content::judge(&state.blocked, req.rating, req.comment);
    let txn = kit::db::begin_write(db).await?;
    summaries::lock(&txn, req.doctor_id).await?;
    let now = Utc::now();
    // Insert first; the unique index, not a prior read, decides whether
    // this is a first rating or a replacement.
    let inserted = rating::ActiveModel {
        patient_id: Set(patient.patient_id),
        doctor_id: Set(req.doctor_id),
        rating: Set(content.rating),
        comment: Set(content.comment.clone()),
        created_at: Set(now),
        updated_at: Set(now),
        status: Set(content.status.to_owned()),
        hold_reason: Set(content.hold_reason.clone()),
        report_count: Set(0),
        moderated_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let (code, row, was_published) = match inserted {
        Ok(row) => (StatusCode::CREATED, row, false),
        Err(e) if kit::db::is_unique_violation(&e) => {
            let existing = by_patient_and_doctor(&txn, patient.patient_id, req.doctor_id)
                .await?
                .ok_or_else(|| anyhow::anyhow!("the unique index refused a rating that cannot be found"))?;
            let was_published = existing.status == rating::PUBLISHED;
            (StatusCode::OK, rewrite(&txn, existing, content, now).await?, was_published)
        }
        Err(e) => return Err(e.into()),
    };
    summaries::announce_if(&txn, row.doctor_id, was_published, row.status == rating::PUBLISHED).await?;
    txn.commit().await?;
    Ok((code, Json(row.into())))
}

/// The caller's own rating `id`, read through `conn`; 404 for anyone else.
async fn own<C: ConnectionTrait>(conn: &C, caller: &AuthUser, id: i64) -> Result<rating::Model> {
    let patient = match caller.role {
        Role::Patient => eligibility::patient_of(conn, caller).await?,
        _ => None,
    };
    let patient_id = patient.map(|p| p.patient_id).ok_or(Error::NotFound)?;
    rating::Entity::find_by_id(id)
        .one(conn)
        .await?
        .filter(|r| r.patient_id == patient_id)
        .ok_or(Error::NotFound)
}

#[utoipa::path(put, path = "/api/v1/ratings/{id}", tag = "ratings", request_body = EditBody,
    responses((status = 200, body = OwnRating), (status = 404, description = "unknown or not the caller's"),
        (status = 422)))]
pub async fn update(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<i64>,
    ValidJson(req): ValidJson<EditBody>,
) -> Result<Json<OwnRating>> {
    let db = &state.ctx.db;
    let doctor_id = own(db, &caller, id).await?.doctor_id;
    let content = Content::judge(&state.blocked, req.rating, req.comment);
    let txn = kit::db::begin_write(db).await?;
    summaries::lock(&txn, doctor_id).await?;
    // Read again under the lock: it may have been deleted meanwhile.
    let existing = own(&txn, &caller, id).await?;
    let was_published = existing.status == rating::PUBLISHED;
    let row = rewrite(&txn, existing, content, Utc::now()).await?;
    summaries::announce_if(&txn, doctor_id, was_published, row.status == rating::PUBLISHED).await?;
    txn.commit().await?;
    Ok(Json(row.into()))
}

/// The rating `id` if the caller may delete it: its author, or an admin.
async fn deletable<C: ConnectionTrait>(conn: &C, caller: &AuthUser, id: i64) -> Result<rating::Model> {
    if caller.is(Role::Admin) {
        return rating::Entity::find_by_id(id).one(conn).await?.ok_or(Error::NotFound);
    }
    own(conn, caller, id).await
}

#[utoipa::path(delete, path = "/api/v1/ratings/{id}", tag = "ratings",
    responses((status = 204), (status = 404, description = "unknown, or neither the caller's nor an admin's")))]
pub async fn delete(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    let db = &state.ctx.db;
    let doctor_id = deletable(db, &caller, id).await?.doctor_id;
    let txn = kit::db::begin_write(db).await?;
    summaries::lock(&txn, doctor_id).await?;
    let existing = deletable(&txn, &caller, id).await?;
    report::Entity::delete_many().filter(report::Column::RatingId.eq(id)).exec(&txn).await?;
    rating::Entity::delete_by_id(id).exec(&txn).await?;
    summaries::announce_if(&txn, doctor_id, existing.status == rating::PUBLISHED, false).await?;
    txn.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
