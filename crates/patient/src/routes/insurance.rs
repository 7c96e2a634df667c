//! The patient's insurance; policy number and member name are sealed.

use axum::extract::State;
use chrono::NaiveDate;
use kit::{
    Result,
    authz::{Authorized, Patients},
    http::ClientIp,
    json::{Json, ValidJson},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::{
    access,
    insurance::{self, Policy},
    state::AppState,
};

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
pub struct Insurance {
    #[validate(custom(function = "kit::validate::required"))]
    pub provider: String,
    #[validate(custom(function = "kit::validate::required_up_to::<64>"))]
    pub policy_number: String,
    #[validate(length(max = 255))]
    pub member_name: Option<String>,
    pub valid_until: Option<NaiveDate>,
}

impl From<Policy> for Insurance {
    fn from(p: Policy) -> Self {
        Self {
            provider: p.provider,
            policy_number: p.policy_number,
            member_name: p.member_name,
            valid_until: p.valid_until,
        }
    }
}

impl From<Insurance> for Policy {
    fn from(i: Insurance) -> Self {
        Self {
            provider: i.provider,
            policy_number: i.policy_number,
            member_name: i.member_name,
            valid_until: i.valid_until,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/patients/me/insurance", tag = "patients",
    responses((status = 403), (status = 200, body = Insurance), (status = 404, description = "none recorded yet")))]
pub async fn get(
    State(state): State<AppState>,
    caller: Authorized<Patients>,
    client: ClientIp,
) -> Result<Json<Insurance>> {
    let p = access::own(&state.ctx, &caller).await?;
    Ok(Json(insurance::of(&state.ctx, &caller, client, &p).await?.into()))
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
    let policy = Policy::from(req);
    insurance::save(&state.ctx, &caller, client, &p, &policy).await?;
    Ok(Json(policy.into()))
}
