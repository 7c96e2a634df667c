//! Language and time zone (IANA, checked against the zone database), plus
//! any extra settings the apps keep.

use axum::extract::State;
use kit::{
    Result,
    authz::{Authorized, Patients},
    http::ClientIp,
    json::{Json, ValidJson},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

use crate::{
    access,
    preferences::{self, Choice},
    state::AppState,
};

fn validate_timezone(tz: &str) -> Result<(), ValidationError> {
    tz.parse::<chrono_tz::Tz>()
        .map(|_| ())
        .map_err(|_| ValidationError::new("invalid").with_message("is not an IANA time zone".into()))
}

fn validate_language(l: &str) -> Result<(), ValidationError> {
    if matches!(l, "en" | "fr" | "ar") {
        Ok(())
    } else {
        Err(ValidationError::new("invalid").with_message("must be en, fr or ar".into()))
    }
}

#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
pub struct Preferences {
    #[validate(custom(function = "validate_language"))]
    pub language: String,
    #[validate(custom(function = "validate_timezone"))]
    pub timezone: String,
    /// Anything else the apps store (kept as given, at most 4 KB).
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl From<Choice> for Preferences {
    fn from(c: Choice) -> Self {
        Self { language: c.language, timezone: c.timezone, extra: c.extra }
    }
}

impl From<Preferences> for Choice {
    fn from(p: Preferences) -> Self {
        Self { language: p.language, timezone: p.timezone, extra: p.extra }
    }
}

#[utoipa::path(get, path = "/api/v1/patients/me/preferences", tag = "patients", responses((status = 403), (status = 200, body = Preferences)))]
pub async fn get(
    State(state): State<AppState>,
    caller: Authorized<Patients>,
    client: ClientIp,
) -> Result<Json<Preferences>> {
    let p = access::own(&state.ctx, &caller).await?;
    Ok(Json(preferences::of(&state.ctx, &caller, client, &p).await?.into()))
}

#[utoipa::path(put, path = "/api/v1/patients/me/preferences", tag = "patients", request_body = Preferences,
    responses((status = 403), (status = 200, body = Preferences), (status = 422)))]
pub async fn put(
    State(state): State<AppState>,
    caller: Authorized<Patients>,
    client: ClientIp,
    ValidJson(req): ValidJson<Preferences>,
) -> Result<Json<Preferences>> {
    let p = access::own(&state.ctx, &caller).await?;
    let choice = Choice::from(req);
    preferences::save(&state.ctx, &caller, client, &p, &choice).await?;
    Ok(Json(choice.into()))
}
