//! The patient's insurance; policy number and member name are sealed.

use axum::extract::State;
use chrono::{NaiveDate, Utc};
use kit::{
    Result,
    authz::{Authorized, Patients},
    http::ClientIp,
    json::{Json, ValidJson},
};
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::{
    access::{self, Action, Resource},
    entity::insurance,
    state::AppState,
};

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
pub struct Insurance {
    #[validate(length(min = 1, max = 255, message = "is required (at most 255 characters)"))]
    pub provider: String,
    #[validate(length(min = 1, max = 64, message = "is required (at most 64 characters)"))]
    pub policy_number: String,
    #[validate(length(max = 255))]
    pub member_name: Option<String>,
    pub valid_until: Option<NaiveDate>,
}

#[utoipa::path(get, path = "/api/v1/patients/me/insurance", tag = "patients",
    responses((status = 403), (status = 200, body = Insurance), (status = 404, description = "none recorded yet")))]
pub async fn get(
    State(state): State<AppState>,
    caller: Authorized<Patients>,
    client: ClientIp,
) -> Result<Json<Insurance>> {
    let p = access::own(&state.ctx, &caller).await?;
    let row = insurance::Entity::find_by_id(p.id).one(&state.ctx.db).await?.ok_or(kit::Error::NotFound)?;
    access::record(&state.ctx.db, p.id, &caller, client, Action::Read, Resource::Insurance).await?;
    let keyring = &state.ctx.keyring;
    Ok(Json(Insurance {
        provider: row.provider,
        policy_number: keyring.open_str(&row.policy_number).map_err(kit::Error::internal)?,
        member_name: row
            .member_name
            .as_deref()
            .map(|m| keyring.open_str(m))
            .transpose()
            .map_err(kit::Error::internal)?,
        valid_until: row.valid_until,
    }))
}

#[utoipa::path(put, path = "/api/v1/patients/me/insurance", tag = "patients", request_body = Insurance,
    responses((status = 403), (status = 200, body = Insurance), (status = 422)))]
pub async fn put(
    State(state): State<AppState>,
    caller: Authorized<Patients>,
    client: ClientIp,
    ValidJson(req): ValidJson<Insurance>,
) -> Result<Json<Insurance>> {
    let p = access::own(&state.ctx, &caller).await?;
    let keyring = &state.ctx.keyring;
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    let values = insurance::ActiveModel {
        patient_id: Set(p.id),
        provider: Set(req.provider.trim().to_owned()),
        policy_number: Set(keyring.seal_str(req.policy_number.trim())),
        member_name: Set(req.member_name.as_deref().map(|m| keyring.seal_str(m.trim()))),
        valid_until: Set(req.valid_until),
        updated_at: Set(Utc::now()),
    };
    match insurance::Entity::find_by_id(p.id).one(&txn).await? {
        Some(existing) => {
            let mut active = existing.into_active_model();
            active.provider = values.provider;
            active.policy_number = values.policy_number;
            active.member_name = values.member_name;
            active.valid_until = values.valid_until;
            active.updated_at = values.updated_at;
            active.update(&txn).await?;
        }
        None => {
            insurance::Entity::insert(values).exec(&txn).await?;
        }
    }
    access::record(&txn, p.id, &caller, client, Action::Update, Resource::Insurance).await?;
    txn.commit().await?;
    Ok(Json(req))
}
