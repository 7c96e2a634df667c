//! Specialties: listed publicly with how many active doctors practise
//! each; created, renamed and deleted by admins.

use kit::{Error, OnConstraint, Result};
use std::collections::HashMap;

use axum::{extract::State, http::StatusCode};
use chrono::Utc;
use kit::extract::Path;
use kit::{
    authz::{Admins, Authorized},
    json::{Json, ValidJson},
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::{
    entity::{doctor, specialty},
    state::AppState,
};

#[derive(Debug, Serialize, ToSchema)]
pub struct Specialty {
    pub id: i64,
    pub name: String,
    /// Active doctors practising it.
    pub doctor_count: i64,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct SpecialtyBody {
    #[validate(custom(function = "valid_name"))]
    pub name: String,
}

fn valid_name(name: &str) -> std::result::Result<(), validator::ValidationError> {
    let len = name.trim().chars().count();
    if (1..=100).contains(&len) {
        Ok(())
    } else {
        Err(validator::ValidationError::new("length").with_message("must be 1 to 100 characters".into()))
    }
}

/// The answer to a second specialty of the same name (any case).
pub fn name_taken() -> Error {
    Error::conflict("a specialty with this name already exists")
}

/// The unique index is the judge of duplicates (no check-then-insert
/// race). Its name differs by backend's message (SQLite names
/// `specialities.name`, MySQL `uniq_specialities_name`); the table name is
/// in both, and its only other key is the generated id.
const NAME_KEY: &str = "specialities";

#[utoipa::path(get, path = "/api/v1/specialties", tag = "doctors",
    responses((status = 200, body = Vec<Specialty>)))]
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<Specialty>>> {
    let db = &state.ctx.db;
    let counts: HashMap<i64, i64> = doctor::Entity::find()
        .select_only()
        .column(doctor::Column::SpecialtyId)
        .column_as(doctor::Column::Id.count(), "n")
        .filter(doctor::Column::Status.eq(doctor::ACTIVE))
        .group_by(doctor::Column::SpecialtyId)
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let rows = specialty::Entity::find()
        .order_by_asc(specialty::Column::Name)
        .order_by_asc(specialty::Column::Id)
        .all(db)
        .await?;
    Ok(Json(
        rows.into_iter()
            .map(|s| Specialty {
                doctor_count: counts.get(&s.id).copied().unwrap_or(0),
                id: s.id,
                name: s.name,
            })
            .collect(),
    ))
}

#[utoipa::path(post, path = "/api/v1/specialties", tag = "doctors", request_body = SpecialtyBody,
    responses((status = 201, body = Specialty), (status = 403), (status = 409, description = "duplicate name"), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    _: Authorized<Admins>,
    ValidJson(req): ValidJson<SpecialtyBody>,
) -> Result<(StatusCode, Json<Specialty>)> {
    let now = Utc::now();
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    let row = specialty::ActiveModel {
        name: Set(req.name.trim().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .on_constraint(NAME_KEY, name_taken)?;
    txn.commit().await.on_constraint(NAME_KEY, name_taken)?;
    Ok((StatusCode::CREATED, Json(Specialty { id: row.id, name: row.name, doctor_count: 0 })))
}

#[utoipa::path(patch, path = "/api/v1/specialties/{id}", tag = "doctors", params(("id" = i64, Path)),
    request_body = SpecialtyBody,
    responses((status = 200, body = Specialty), (status = 403), (status = 404), (status = 409, description = "duplicate name"), (status = 422)))]
pub async fn update(
    State(state): State<AppState>,
    _: Authorized<Admins>,
    Path(id): Path<i64>,
    ValidJson(req): ValidJson<SpecialtyBody>,
) -> Result<Json<Specialty>> {
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    let row = specialty::Entity::find_by_id(id).one(&txn).await?.ok_or(Error::NotFound)?;
    let mut active = row.into_active_model();
    active.name = Set(req.name.trim().to_owned());
    active.updated_at = Set(Utc::now());
    let row = active.update(&txn).await.on_constraint(NAME_KEY, name_taken)?;
    let doctor_count = doctor::Entity::find()
        .filter(doctor::Column::SpecialtyId.eq(id))
        .filter(doctor::Column::Status.eq(doctor::ACTIVE))
        .count(&txn)
        .await?;
    txn.commit().await.on_constraint(NAME_KEY, name_taken)?;
    Ok(Json(Specialty {
        id: row.id,
        name: row.name,
        doctor_count: i64::try_from(doctor_count).unwrap_or(i64::MAX),
    }))
}

#[utoipa::path(delete, path = "/api/v1/specialties/{id}", tag = "doctors", params(("id" = i64, Path)),
    responses((status = 204), (status = 403), (status = 404), (status = 409, description = "doctors still practise it")))]
pub async fn delete(
    State(state): State<AppState>,
    _: Authorized<Admins>,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    // The row lock (MySQL; SQLite's write transaction already serialises)
    // makes a concurrent profile change to this specialty wait, so none can
    // slip in between the count and the delete (see `patch::apply`).
    specialty::Entity::find_by_id(id).lock_exclusive().one(&txn).await?.ok_or(Error::NotFound)?;
    // Inactive doctors count too: their profiles still point at it.
    let users = doctor::Entity::find().filter(doctor::Column::SpecialtyId.eq(id)).count(&txn).await?;
    if users > 0 {
        return Err(Error::conflict(format!(
            "{users} doctor profile(s) still use this specialty; move them to another one first"
        )));
    }
    specialty::Entity::delete_by_id(id).exec(&txn).await?;
    txn.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
