//! Profile pictures: PNG, JPEG or WebP up to 5 MB, decoded within limits
//! and stored re-encoded ([`crate::picture`]) in the platform's object
//! store (`kit::objects`), so every auth replica serves every avatar and a
//! restart keeps them.

use axum::{
    body::Body,
    extract::State,
    http::{HeaderMap, header},
    response::{IntoResponse, Response},
};
use chrono::Utc;
use kit::extract::Path;
use kit::{Result, identity::AuthUser, json::Json, objects::ObjectsError};
use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    accounts::load,
    avatars::{self, key, valid_name},
    picture::{self, Rejected},
    state::AppState,
};

pub const MAX_BYTES: usize = 5 * 1024 * 1024;

#[derive(Debug, Serialize, ToSchema)]
pub struct AvatarUrl {
    pub img_url: String,
}

#[utoipa::path(put, path = "/api/v1/auth/me/avatar", tag = "auth",
    request_body(content = Vec<u8>, content_type = "image/png"),
    responses((status = 200, body = AvatarUrl), (status = 401), (status = 413), (status = 415)))]
pub async fn put(
    State(state): State<AppState>,
    caller: AuthUser,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<AvatarUrl>> {
    let declared = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if !matches!(declared, "image/png" | "image/jpeg" | "image/webp") {
        return Err(kit::Error::UnsupportedMedia("send image/png, image/jpeg or image/webp".into()));
    }
    let bytes = axum::body::to_bytes(body, MAX_BYTES)
        .await
        .map_err(|_| kit::Error::TooLarge("images are limited to 5 MB".into()))?;
    let Some(kind) = picture::sniff(&bytes) else {
        return Err(kit::Error::UnsupportedMedia("the body is not a PNG, JPEG or WebP image".into()));
    };
    if kind.media_type() != declared {
        return Err(kit::Error::UnsupportedMedia("the body does not match its Content-Type".into()));
    }
    let cleaned = tokio::task::spawn_blocking(move || picture::clean(&bytes, kind))
        .await
        .map_err(kit::Error::internal)?
        .map_err(|rejected| match rejected {
            Rejected::TooManyPixels => {
                kit::Error::TooLarge("images are limited to 4096 × 4096 pixels".into())
            }
            Rejected::NotAnImage => {
                kit::Error::UnsupportedMedia("the body is not a PNG, JPEG or WebP image".into())
            }
            Rejected::Markup => kit::Error::UnsupportedMedia("the image carries markup".into()),
        })?;
    let u = load(&state, &caller).await?;
    let file = format!("{}-{}.{}", u.id, uuid::Uuid::new_v4().simple(), kind.extension());
    state.ctx.objects.put(&key(&file), cleaned.into()).await.map_err(anyhow::Error::from)?;
    let previous = u.img.clone();
    let mut active = u.into_active_model();
    active.img = Set(Some(file.clone()));
    active.updated_at = Set(Utc::now());
    if let Err(e) = active.update(&state.ctx.db).await {
        avatars::remove(&state, &file).await;
        return Err(e.into());
    }
    if let Some(old) = previous {
        avatars::remove(&state, &old).await;
    }
    Ok(Json(AvatarUrl { img_url: format!("/api/v1/auth/avatars/{file}") }))
}

/// Served from the object store with the type it was stored as. Names are
/// random and never reused, so the answer may be cached for good.
#[utoipa::path(get, path = "/api/v1/auth/avatars/{file}", tag = "auth",
    params(("file" = String, Path)), responses(
        (status = 200, description = "the picture",
            content((Vec<u8> = "image/png"), (Vec<u8> = "image/jpeg"), (Vec<u8> = "image/webp"))),
        (status = 404)))]
pub async fn get(State(state): State<AppState>, Path(file): Path<String>) -> Result<Response> {
    let kind = valid_name(&file).ok_or(kit::Error::NotFound)?;
    let bytes = match state.ctx.objects.get(&key(&file)).await {
        Ok(b) => b,
        Err(ObjectsError::NotFound) => return Err(kit::Error::NotFound),
        Err(e) => return Err(anyhow::Error::from(e).into()),
    };
    Ok((
        [
            (header::CONTENT_TYPE, kind.media_type()),
            (header::CACHE_CONTROL, "public, max-age=86400, immutable"),
        ],
        bytes,
    )
        .into_response())
}
