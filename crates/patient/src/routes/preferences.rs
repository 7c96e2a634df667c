//! Language and time zone (IANA, checked against the zone database), plus
//! any extra settings the apps keep.

use axum::extract::State;
use chrono::Utc;
use kit::{
    Result,
    authz::{Authorized, Patients},
    http::ClientIp,
    json::{Json, ValidJson},
};
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

use crate::{
    access::{self, Action, Resource},
    entity::preferences,
    state::AppState,
};

pub const DEFAULT_LANGUAGE: &str = "fr";
pub const DEFAULT_TIMEZONE: &str = "Africa/Casablanca";

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

#[utoipa::path(get, path = "/api/v1/patients/me/preferences", tag = "patients", responses((status = 403), (status = 200, body = Preferences)))]
pub async fn get(
    State(state): State<AppState>,
    caller: Authorized<Patients>,
    client: ClientIp,
) -> Result<Json<Preferences>> {
    let p = access::own(&state.ctx, &caller).await?;
    let row = preferences::Entity::find_by_id(p.id).one(&state.ctx.db).await?;
    access::record(&state.ctx.db, p.id, &caller, client, Action::Read, Resource::Preferences).await?;
    Ok(Json(match row {
        Some(r) => Preferences {
            language: r.language,
            timezone: r.timezone,
            extra: serde_json::from_str(&r.extra).unwrap_or_default(),
        },
        None => Preferences {
            language: DEFAULT_LANGUAGE.into(),
            timezone: DEFAULT_TIMEZONE.into(),
            extra: serde_json::Map::new(),
        },
    }))
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
    let extra = serde_json::to_string(&req.extra).unwrap_or_else(|_| "{}".into());
    if extra.len() > 4096 {
        return Err(kit::Error::invalid("extra", "at most 4 KB of extra settings"));
    }
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    match preferences::Entity::find_by_id(p.id).one(&txn).await? {
        Some(existing) => {
            let mut active = existing.into_active_model();
            active.language = Set(req.language.clone());
            active.timezone = Set(req.timezone.clone());
            active.extra = Set(extra);
            active.updated_at = Set(Utc::now());
            active.update(&txn).await?;
        }
        None => {
            preferences::Entity::insert(preferences::ActiveModel {
                patient_id: Set(p.id),
                language: Set(req.language.clone()),
                timezone: Set(req.timezone.clone()),
                extra: Set(extra),
                updated_at: Set(Utc::now()),
            })
            .exec(&txn)
            .await?;
        }
    }
    access::record(&txn, p.id, &caller, client, Action::Update, Resource::Preferences).await?;
    // Notifications are written in this language, on this clock.
    let changed = kit::events::catalog::PatientPreferencesChanged {
        user_id: p.user_id,
        patient_id: p.id,
        language: req.language.clone(),
        timezone: req.timezone.clone(),
    };
    let kind = kit::events::catalog::PATIENT_PREFERENCES_CHANGED;
    kit::events::publish(&txn, "patient", kind, Some(format!("patient/{}", p.id)), &changed).await?;
    txn.commit().await?;
    Ok(Json(req))
}
