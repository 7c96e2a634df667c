//! Medical history: read by those who may see the record; written by the
//! patient or a doctor who cares for them. Descriptions are sealed at rest.

use axum::{extract::State, http::StatusCode};
use chrono::{DateTime, Utc};
use kit::extract::{Path, Query};
use kit::{
    Result,
    authz::{Authorized, PatientsAndDoctors},
    http::ClientIp,
    identity::AuthUser,
    ids::PatientId,
    json::{Json, ValidJson},
    pagination::{Page, PageParams},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

use crate::{access, history, state::AppState};

#[derive(Debug, Serialize, ToSchema)]
pub struct Entry {
    pub id: i64,
    pub kind: String,
    pub description: String,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: i64,
}

impl From<history::Entry> for Entry {
    fn from(e: history::Entry) -> Self {
        Self {
            id: e.id,
            kind: e.kind,
            description: e.description,
            recorded_at: e.recorded_at,
            recorded_by: e.recorded_by,
        }
    }
}

fn validate_kind(k: &str) -> Result<(), ValidationError> {
    if history::KINDS.contains(&k) {
        Ok(())
    } else {
        Err(ValidationError::new("invalid")
            .with_message("must be condition, allergy, medication, procedure or note".into()))
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct NewEntry {
    #[validate(custom(function = "validate_kind"))]
    pub kind: String,
    #[validate(length(min = 1, max = 5000, message = "must be 1 to 5000 characters"))]
    pub description: String,
    pub recorded_at: Option<DateTime<Utc>>,
}

#[utoipa::path(get, path = "/api/v1/patients/{id}/medical-history", tag = "patients",
    params(("id" = i64, Path), PageParams), responses((status = 200, body = Page<Entry>), (status = 404)))]
pub async fn list(
    State(state): State<AppState>,
    caller: AuthUser,
    client: ClientIp,
    Path(id): Path<PatientId>,
    Query(page): Query<PageParams>,
) -> Result<Json<Page<Entry>>> {
    let p = access::readable(&state.ctx.db, &caller, id).await?;
    let page = page.check()?;
    let (entries, total) = history::page(&state.ctx, &caller, client, &p, page).await?;
    Ok(Json(Page::new(entries.into_iter().map(Entry::from).collect(), page, total)))
}

#[utoipa::path(post, path = "/api/v1/patients/{id}/medical-history", tag = "patients",
    params(("id" = i64, Path)), request_body = NewEntry,
    responses((status = 201, body = Entry), (status = 403), (status = 404), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Authorized<PatientsAndDoctors>,
    client: ClientIp,
    Path(id): Path<PatientId>,
    ValidJson(req): ValidJson<NewEntry>,
) -> Result<(StatusCode, Json<Entry>)> {
    let p = access::readable(&state.ctx.db, &caller, id).await?;
    let row =
        history::add(&state.ctx, &caller, client, &p, req.kind, &req.description, req.recorded_at).await?;
    Ok((
        StatusCode::CREATED,
        Json(Entry {
            id: row.id,
            kind: row.kind,
            description: req.description,
            recorded_at: row.recorded_at,
            recorded_by: row.recorded_by.0,
        }),
    ))
}
