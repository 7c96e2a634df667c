//! Medical history: read by those who may see the record; written by the
//! patient or a doctor who cares for them. Descriptions are sealed at rest.

use axum::{extract::State, http::StatusCode};
use chrono::{DateTime, Utc};
use kit::extract::{Path, Query};
use kit::{
    Result,
    authz::{Authorized, PatientsAndDoctors},
    http::ClientIp,
    identity::{AuthUser, Role},
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
    access::{self, Action, Resource},
    entity::history,
    state::AppState,
};

pub const KINDS: &[&str] = &["condition", "allergy", "medication", "procedure", "note"];

#[derive(Debug, Serialize, ToSchema)]
pub struct Entry {
    pub id: i64,
    pub kind: String,
    pub description: String,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: i64,
}

fn validate_kind(k: &str) -> Result<(), ValidationError> {
    if KINDS.contains(&k) {
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
    Path(id): Path<i64>,
    Query(page): Query<PageParams>,
) -> Result<Json<Page<Entry>>> {
    let p = access::readable(&state.ctx.db, &caller, id).await?;
    let page = page.check()?;
    let query = history::Entity::find().filter(history::Column::PatientId.eq(p.id));
    let total = query.clone().count(&state.ctx.db).await?;
    let rows = query
        .order_by_desc(history::Column::RecordedAt)
        .order_by_desc(history::Column::Id)
        .offset(page.offset())
        .limit(page.per_page())
        .all(&state.ctx.db)
        .await?;
    access::record(&state.ctx.db, p.id, &caller, client, Action::Read, Resource::MedicalHistory).await?;
    let mut data = Vec::with_capacity(rows.len());
    for r in rows {
        data.push(Entry {
            id: r.id,
            kind: r.kind,
            description: state.ctx.keyring.open_str(&r.description).map_err(kit::Error::internal)?,
            recorded_at: r.recorded_at,
            recorded_by: r.recorded_by,
        });
    }
    Ok(Json(Page::new(data, page, total)))
}

#[utoipa::path(post, path = "/api/v1/patients/{id}/medical-history", tag = "patients",
    params(("id" = i64, Path)), request_body = NewEntry,
    responses((status = 201, body = Entry), (status = 403), (status = 404), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Authorized<PatientsAndDoctors>,
    client: ClientIp,
    Path(id): Path<i64>,
    ValidJson(req): ValidJson<NewEntry>,
) -> Result<(StatusCode, Json<Entry>)> {
    let p = access::readable(&state.ctx.db, &caller, id).await?;
    // Admins can read records but do not write clinical history.
    if caller.is(Role::Admin) {
        return Err(kit::Error::forbidden("only the patient or their doctor records medical history"));
    }
    let now = Utc::now();
    let recorded_at = req.recorded_at.unwrap_or(now);
    if recorded_at > now + chrono::TimeDelta::minutes(5) {
        return Err(kit::Error::invalid("recorded_at", "cannot be in the future"));
    }
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    let row = history::ActiveModel {
        patient_id: Set(p.id),
        kind: Set(req.kind),
        description: Set(state.ctx.keyring.seal_str(&req.description)),
        recorded_at: Set(recorded_at),
        recorded_by: Set(caller.user_id),
        recorded_by_role: Set(caller.role.as_str().to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    access::record(&txn, p.id, &caller, client, Action::Create, Resource::MedicalHistory).await?;
    txn.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(Entry {
            id: row.id,
            kind: row.kind,
            description: req.description,
            recorded_at: row.recorded_at,
            recorded_by: row.recorded_by,
        }),
    ))
}
