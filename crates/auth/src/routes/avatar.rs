//! Profile pictures: PNG, JPEG or WebP, checked by their bytes (not the
//! client's Content-Type alone), at most 5 MB, stored under the data dir.

use axum::{
    body::Body,
    extract::State,
    http::{HeaderMap, header},
    response::{IntoResponse, Response},
};
use chrono::Utc;
use kit::extract::Path;
use kit::{identity::AuthUser, json::Json};
use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    error::{AuthError, Result},
    routes::me::load,
    state::AppState,
};

pub const MAX_BYTES: usize = 5 * 1024 * 1024;

#[derive(Debug, Serialize, ToSchema)]
pub struct AvatarUrl {
    pub img_url: String,
}

/// The image type by magic bytes.
fn sniff(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(("png", "image/png"))
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(("jpg", "image/jpeg"))
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(("webp", "image/webp"))
    } else {
        None
    }
}

fn dir(state: &AppState) -> std::path::PathBuf {
    state.ctx.settings.data_dir.join("avatars")
}

/// `<user id>-<32 hex>.<ext>` and nothing else: no path can escape the dir.
fn valid_name(file: &str) -> bool {
    let Some((stem, ext)) = file.rsplit_once('.') else { return false };
    let Some((id, rand)) = stem.split_once('-') else { return false };
    matches!(ext, "png" | "jpg" | "webp")
        && !id.is_empty()
        && id.chars().all(|c| c.is_ascii_digit())
        && rand.len() == 32
        && rand.chars().all(|c| c.is_ascii_hexdigit())
}

pub(crate) async fn remove(state: &AppState, file: &str) {
    if valid_name(file) {
        let _ = tokio::fs::remove_file(dir(state).join(file)).await;
    }
}

#[utoipa::path(put, path = "/api/v1/auth/me/avatar", tag = "auth",
    request_body(content = Vec<u8>, content_type = "image/png"),
    responses((status = 200, body = AvatarUrl), (status = 413), (status = 415)))]
pub async fn put(
    State(state): State<AppState>,
    caller: AuthUser,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<AvatarUrl>> {
    let declared = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if !matches!(declared, "image/png" | "image/jpeg" | "image/webp") {
        return Err(AuthError::UnsupportedMedia("send image/png, image/jpeg or image/webp"));
    }
    let bytes = axum::body::to_bytes(body, MAX_BYTES)
        .await
        .map_err(|_| AuthError::TooLarge("images are limited to 5 MB"))?;
    let Some((ext, actual)) = sniff(&bytes) else {
        return Err(AuthError::UnsupportedMedia("the body is not a PNG, JPEG or WebP image"));
    };
    if actual != declared {
        return Err(AuthError::UnsupportedMedia("the body does not match its Content-Type"));
    }
    let u = load(&state, &caller).await?;
    let file = format!("{}-{}.{ext}", u.id, uuid::Uuid::new_v4().simple());
    let dir = dir(&state);
    tokio::fs::create_dir_all(&dir).await.map_err(|e| AuthError::Internal(e.into()))?;
    tokio::fs::write(dir.join(&file), &bytes).await.map_err(|e| AuthError::Internal(e.into()))?;
    let previous = u.img.clone();
    let mut active = u.into_active_model();
    active.img = Set(Some(file.clone()));
    active.updated_at = Set(Utc::now());
    active.update(&state.ctx.db).await?;
    if let Some(old) = previous {
        remove(&state, &old).await;
    }
    Ok(Json(AvatarUrl { img_url: format!("/api/v1/auth/avatars/{file}") }))
}

#[utoipa::path(get, path = "/api/v1/auth/avatars/{file}", tag = "auth",
    params(("file" = String, Path)), responses((status = 200, content_type = "image/png"), (status = 404)))]
pub async fn get(State(state): State<AppState>, Path(file): Path<String>) -> Result<Response> {
    if !valid_name(&file) {
        return Err(AuthError::NotFound);
    }
    let bytes = tokio::fs::read(dir(&state).join(&file)).await.map_err(|_| AuthError::NotFound)?;
    let content_type = sniff(&bytes).map(|(_, ct)| ct).unwrap_or("application/octet-stream");
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::CACHE_CONTROL, "public, max-age=86400, immutable"),
        ],
        bytes,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cannot_escape() {
        assert!(valid_name("12-0123456789abcdef0123456789abcdef.png"));
        assert!(!valid_name("../12-0123456789abcdef0123456789abcdef.png"));
        assert!(!valid_name("12-0123456789abcdef0123456789abcdef.svg"));
        assert!(!valid_name("x-0123456789abcdef0123456789abcdef.png"));
    }

    #[test]
    fn sniffs_by_content() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest").map(|s| s.0), Some("png"));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 ").map(|s| s.0), Some("webp"));
        assert_eq!(sniff(b"<svg>"), None);
    }
}
