//! A patient's language, time zone and the extra settings the apps keep;
//! notifications follow the language and the clock.

use chrono::Utc;
use kit::{
    Result,
    events::{self, catalog},
    http::ClientIp,
    identity::AuthUser,
    service::ServiceContext,
};
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};

use crate::{
    access::{self, Action, Resource},
    entity::{patient, preferences},
};

/// Until the patient chooses: the legacy platform's language and zone.
pub const DEFAULT_LANGUAGE: &str = "fr";
pub const DEFAULT_TIMEZONE: &str = "Africa/Casablanca";

/// Extra settings are stored as given, but not without bound.
const MAX_EXTRA_BYTES: usize = 4096;

/// What a patient prefers; `extra` is the apps' JSON object, as given.
pub struct Choice {
    pub language: String,
    pub timezone: String,
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl Default for Choice {
    fn default() -> Self {
        Self {
            language: DEFAULT_LANGUAGE.into(),
            timezone: DEFAULT_TIMEZONE.into(),
            extra: Default::default(),
        }
    }
}

/// The stored form of `extra` (JSON text), or 422 when it is too large.
pub fn stored_extra(extra: &serde_json::Map<String, serde_json::Value>) -> Result<String> {
    let text = serde_json::to_string(extra).unwrap_or_else(|_| "{}".into());
    if text.len() > MAX_EXTRA_BYTES {
        return Err(kit::Error::invalid("extra", "at most 4 KB of extra settings"));
    }
    Ok(text)
}

/// `p`'s preferences (the defaults until set); the read is logged.
pub async fn of(
    ctx: &ServiceContext,
    caller: &AuthUser,
    client: ClientIp,
    p: &patient::Model,
) -> Result<Choice> {
    let row = preferences::Entity::find_by_id(p.id).one(&ctx.db).await?;
    access::record(&ctx.db, p.id, caller, client, Action::Read, Resource::Preferences).await?;
    Ok(match row {
        Some(r) => Choice {
            language: r.language,
            timezone: r.timezone,
            extra: serde_json::from_str(&r.extra).unwrap_or_default(),
        },
        None => Choice::default(),
    })
}

/// Stores `choice` as `p`'s preferences, logs the change and announces it
/// (`patient.preferences_changed`) in the same transaction.
pub async fn save(
    ctx: &ServiceContext,
    caller: &AuthUser,
    client: ClientIp,
    p: &patient::Model,
    choice: &Choice,
) -> Result<()> {
    let extra = stored_extra(&choice.extra)?;
    let txn = kit::db::begin_write(&ctx.db).await?;
    match preferences::Entity::find_by_id(p.id).one(&txn).await? {
        Some(existing) => {
            let mut active = existing.into_active_model();
            active.language = Set(choice.language.clone());
            active.timezone = Set(choice.timezone.clone());
            active.extra = Set(extra);
            active.updated_at = Set(Utc::now());
            active.update(&txn).await?;
        }
        None => {
            preferences::Entity::insert(preferences::ActiveModel {
                patient_id: Set(p.id),
                language: Set(choice.language.clone()),
                timezone: Set(choice.timezone.clone()),
                extra: Set(extra),
                updated_at: Set(Utc::now()),
            })
            .exec(&txn)
            .await?;
        }
    }
    access::record(&txn, p.id, caller, client, Action::Update, Resource::Preferences).await?;
    // Notifications are written in this language, on this clock.
    let changed = catalog::PatientPreferencesChanged {
        user_id: p.user_id,
        patient_id: p.id,
        language: choice.language.clone(),
        timezone: choice.timezone.clone(),
    };
    let kind = catalog::EventType::PatientPreferencesChanged;
    events::publish(&txn, "patient", kind, Some(format!("patient/{}", p.id)), &changed).await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn extra(value: Value) -> serde_json::Map<String, Value> {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn small_extras_are_stored_as_json_text() {
        assert_eq!(
            stored_extra(&extra(json!({"theme": "dark"}))).ok().as_deref(),
            Some(r#"{"theme":"dark"}"#)
        );
        assert_eq!(stored_extra(&Default::default()).ok().as_deref(), Some("{}"));
    }

    #[test]
    fn extras_over_4_kb_are_refused() {
        let big = extra(json!({"notes": "x".repeat(MAX_EXTRA_BYTES)}));
        assert!(matches!(stored_extra(&big), Err(kit::Error::Invalid { ref field, .. }) if field == "extra"));
    }
}
