//! A doctor's own credentials (licence, board certification, …). Only the
//! doctor sees and edits them; another doctor's id answers 404.

use crate::entity::credential::CredentialId;
use axum::{extract::State, http::StatusCode};
use chrono::{NaiveDate, Utc};
use kit::extract::{Path, Query};
use kit::{Error, Result};
use kit::{
    authz::{Authorized, Doctors},
    json::{Json, ValidJson},
    pagination::{Page, PageParams},
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

use crate::{
    entity::credential,
    profiles::own::{known, own},
    state::AppState,
};

pub const KINDS: &[&str] = &["license", "board_certification", "diploma", "malpractice_insurance", "other"];

fn valid_kind(k: &str) -> std::result::Result<(), ValidationError> {
    if KINDS.contains(&k) {
        Ok(())
    } else {
        Err(ValidationError::new("invalid").with_message(
            "must be license, board_certification, diploma, malpractice_insurance or other".into(),
        ))
    }
}

/// Present once trimmed, and at most `max` characters (the column's size).
fn required(v: &str, max: usize) -> std::result::Result<(), ValidationError> {
    if (1..=max).contains(&v.trim().chars().count()) {
        Ok(())
    } else {
        Err(ValidationError::new("length").with_message(format!("must be 1 to {max} characters").into()))
    }
}

fn valid_issuer(v: &str) -> std::result::Result<(), ValidationError> {
    required(v, 255)
}

fn valid_number(v: &str) -> std::result::Result<(), ValidationError> {
    required(v, 128)
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct NewCredential {
    /// license, board_certification, diploma, malpractice_insurance or other.
    #[validate(custom(function = "valid_kind"))]
    pub kind: String,
    /// Who issued it (a medical council, a university, …).
    #[validate(custom(function = "valid_issuer"))]
    pub issuer: String,
    #[validate(custom(function = "valid_number"))]
    pub number: String,
    /// Last day it is valid; none for credentials that do not expire.
    pub valid_until: Option<NaiveDate>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Credential {
    pub id: CredentialId,
    pub kind: String,
    pub issuer: String,
    pub number: String,
    pub valid_until: Option<NaiveDate>,
    /// True once `valid_until` has passed (valid through that whole day, UTC).
    pub expired: bool,
}

impl From<credential::Model> for Credential {
    fn from(c: credential::Model) -> Self {
        let today = Utc::now().date_naive();
        Self {
            expired: c.valid_until.is_some_and(|d| d < today),
            id: c.id,
            kind: c.kind,
            issuer: c.issuer,
            number: c.number,
            valid_until: c.valid_until,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/doctors/me/credentials", tag = "doctors", params(PageParams),
    responses((status = 200, body = Page<Credential>), (status = 403), (status = 404)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Authorized<Doctors>,
    Query(page): Query<PageParams>,
) -> Result<Json<Page<Credential>>> {
    known(&state, &caller).await?;
    let profile = own(&state.ctx.db, &caller).await?;
    let page = page.check()?;
    let query = credential::Entity::find().filter(credential::Column::DoctorId.eq(profile.id));
    let total = query.clone().count(&state.ctx.db).await?;
    let rows = query
        .order_by_asc(credential::Column::Id)
        .offset(page.offset())
        .limit(page.per_page())
        .all(&state.ctx.db)
        .await?;
    Ok(Json(Page::new(rows.into_iter().map(Credential::from).collect(), page, total)))
}

#[utoipa::path(post, path = "/api/v1/doctors/me/credentials", tag = "doctors", request_body = NewCredential,
    responses((status = 201, body = Credential), (status = 403), (status = 404), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Authorized<Doctors>,
    ValidJson(req): ValidJson<NewCredential>,
) -> Result<(StatusCode, Json<Credential>)> {
    known(&state, &caller).await?;
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    let profile = own(&txn, &caller).await?;
    let row = credential::ActiveModel {
        doctor_id: Set(profile.id),
        kind: Set(req.kind),
        issuer: Set(req.issuer.trim().to_owned()),
        number: Set(req.number.trim().to_owned()),
        valid_until: Set(req.valid_until),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

#[utoipa::path(delete, path = "/api/v1/doctors/me/credentials/{cid}", tag = "doctors", params(("cid" = i64, Path)),
    responses((status = 204), (status = 403), (status = 404, description = "unknown or not yours")))]
pub async fn delete(
    State(state): State<AppState>,
    caller: Authorized<Doctors>,
    Path(cid): Path<i64>,
) -> Result<StatusCode> {
    known(&state, &caller).await?;
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    let profile = own(&txn, &caller).await?;
    let removed = credential::Entity::delete_many()
        .filter(credential::Column::Id.eq(CredentialId(cid)))
        .filter(credential::Column::DoctorId.eq(profile.id))
        .exec(&txn)
        .await?;
    if removed.rows_affected == 0 {
        return Err(Error::NotFound);
    }
    txn.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
