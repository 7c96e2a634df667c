//! One profile change, shared by `PATCH /doctors/me` (the doctor) and
//! `PATCH /doctors/{id}` (an admin, who may also change the status).
//!
//! PATCH semantics: an absent field stays as it is; `null` clears the
//! fields that may be empty (`city`, `bio`, `img_url`).

use chrono::Utc;
use kit::{Error, Result, ids::SpecialtyId};
use sea_orm::{ActiveModelTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, QuerySelect};
use serde::{Deserialize, Deserializer};
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

use crate::{
    announce,
    entity::{doctor, specialty},
};

pub const MAX_LANGUAGES: usize = 20;

/// Tells "absent" (`None`) from "null" (`Some(None)`).
fn nullable<'de, D, T>(d: D) -> std::result::Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

fn fail(message: &'static str) -> ValidationError {
    ValidationError::new("invalid").with_message(message.into())
}

fn valid_status(s: &str) -> std::result::Result<(), ValidationError> {
    if doctor::Status::parse(s).is_some() { Ok(()) } else { Err(fail("must be active or inactive")) }
}

fn valid_degree(d: &str) -> std::result::Result<(), ValidationError> {
    if (1..=255).contains(&d.trim().chars().count()) {
        Ok(())
    } else {
        Err(fail("must be 1 to 255 characters"))
    }
}

fn valid_languages(langs: &[String]) -> std::result::Result<(), ValidationError> {
    if langs.len() > MAX_LANGUAGES {
        return Err(fail("at most 20 languages"));
    }
    if langs.iter().any(|l| l.trim().is_empty() || l.chars().count() > 32) {
        return Err(fail("each language must be 1 to 32 characters"));
    }
    Ok(())
}

/// A picture is a web address or a path on this platform (legacy uploads).
fn valid_img_url(url: &str) -> std::result::Result<(), ValidationError> {
    let ok = url.starts_with("https://") || url.starts_with("http://") || url.starts_with('/');
    if ok && !url.chars().any(char::is_whitespace) {
        Ok(())
    } else {
        Err(fail("must be an http(s) URL or a path starting with /"))
    }
}

#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
pub struct ProfilePatch {
    #[validate(custom(function = "valid_degree"))]
    pub degree: Option<String>,
    /// Must name an existing specialty.
    pub specialty_id: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    #[validate(length(max = 255, message = "must be at most 255 characters"))]
    pub city: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    #[validate(length(max = 5000, message = "must be at most 5000 characters"))]
    pub bio: Option<Option<String>>,
    #[validate(custom(function = "valid_languages"))]
    pub languages: Option<Vec<String>>,
    /// An IANA time zone, like `Africa/Casablanca`.
    #[validate(custom(function = "kit::validate::time_zone"))]
    pub timezone: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    #[validate(
        length(max = 1024, message = "must be at most 1024 characters"),
        custom(function = "valid_img_url")
    )]
    pub img_url: Option<Option<String>>,
    /// `active` or `inactive`; admins only.
    #[validate(custom(function = "valid_status"))]
    pub status: Option<String>,
}

/// Trimmed; blank means none.
fn cleaned(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// Applies `patch` to `profile` in `txn` and announces the result. A patch
/// that changes nothing writes and announces nothing.
pub async fn apply(
    txn: &DatabaseTransaction,
    profile: doctor::Model,
    patch: ProfilePatch,
) -> Result<doctor::Model> {
    if let Some(id) = patch.specialty_id {
        // Shared lock: a concurrent DELETE of this specialty waits for us,
        // then sees our doctor and answers 409 (see `specialties::delete`).
        let exists = specialty::Entity::find_by_id(SpecialtyId(id)).lock_shared().one(txn).await?.is_some();
        if !exists {
            return Err(Error::invalid("specialty_id", "no such specialty"));
        }
    }
    let mut active = profile.clone().into_active_model();
    if let Some(degree) = patch.degree {
        active.degree.set_if_not_equals(degree.trim().to_owned());
    }
    if let Some(id) = patch.specialty_id {
        active.specialty_id.set_if_not_equals(SpecialtyId(id));
    }
    if let Some(city) = patch.city {
        active.city.set_if_not_equals(cleaned(city));
    }
    if let Some(bio) = patch.bio {
        active.bio.set_if_not_equals(cleaned(bio));
    }
    if let Some(langs) = patch.languages {
        let mut list: Vec<String> = Vec::with_capacity(langs.len());
        for l in langs.iter().map(|l| l.trim()) {
            if !list.iter().any(|seen| seen.eq_ignore_ascii_case(l)) {
                list.push(l.to_owned());
            }
        }
        let json = serde_json::to_string(&list).map_err(anyhow::Error::from)?;
        active.languages.set_if_not_equals(json);
    }
    if let Some(tz) = patch.timezone {
        active.timezone.set_if_not_equals(tz);
    }
    if let Some(url) = patch.img_url {
        active.img_url.set_if_not_equals(cleaned(url));
    }
    if let Some(status) = patch.status.as_deref().and_then(doctor::Status::parse) {
        active.status.set_if_not_equals(status);
    }
    if !active.is_changed() {
        return Ok(profile);
    }
    active.updated_at = sea_orm::Set(Utc::now());
    let updated = active.update(txn).await?;
    announce::changed(txn, &updated).await?;
    Ok(updated)
}
