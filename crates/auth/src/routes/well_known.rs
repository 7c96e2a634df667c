//! Key discovery: the JWKS every service verifies against, and OIDC metadata.

use axum::{
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};
use kit::json::Json;
use serde_json::json;

use kit::Result;

use crate::{keys, state::AppState};

#[utoipa::path(get, path = "/.well-known/jwks.json", tag = "auth", responses((status = 200, description = "JWKS")))]
pub async fn jwks(State(state): State<AppState>) -> Result<Response> {
    let set = keys::jwks(&state.ctx.db, &state.ctx.keyring).await?;
    Ok(([(header::CACHE_CONTROL, "public, max-age=300")], Json(set)).into_response())
}

#[utoipa::path(get, path = "/.well-known/openid-configuration", tag = "auth", responses((status = 200)))]
pub async fn openid_configuration(State(state): State<AppState>) -> Json<serde_json::Value> {
    let base = state.ctx.settings.public_url.trim_end_matches('/');
    Json(json!({
        "issuer": kit::identity::ISSUER,
        "jwks_uri": format!("{base}/.well-known/jwks.json"),
        "token_endpoint": format!("{base}/api/v1/auth/login"),
        "userinfo_endpoint": format!("{base}/api/v1/auth/me"),
        "response_types_supported": ["token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["EdDSA"],
        "token_endpoint_auth_methods_supported": ["none"],
        "claims_supported": ["sub", "role", "iss", "aud", "exp", "iat", "jti", "sid"],
    }))
}
