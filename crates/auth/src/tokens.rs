//! Issuing token pairs and rotating refresh tokens.

use chrono::{TimeDelta, Utc};
use kit::identity::{ACCESS_TOKEN_TTL_SECS, AUDIENCE, Claims, ISSUER, Revocation, Scope};
use kit::ids::UserId;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, sea_query::Expr,
};
use serde::Serialize;

use utoipa::ToSchema;

use kit::Result;

use crate::{
    entity::{refresh_token, user},
    state::AppState,
};

pub const REFRESH_TTL: TimeDelta = TimeDelta::days(30);

/// `{id, name, email, role}` as in every token answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserSummary {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: String,
}

impl From<&user::Model> for UserSummary {
    fn from(u: &user::Model) -> Self {
        Self {
            id: u.id.0,
            name: u.name.clone(),
            email: u.email.clone(),
            role: u.user_type.as_str().to_owned(),
        }
    }
}

/// The answer of register, login and refresh.
#[derive(Debug, Serialize, ToSchema)]
pub struct Session {
    pub user: UserSummary,
    pub access_token: String,
    pub refresh_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
}

/// Refresh and reset tokens: random secrets, stored as their SHA-256.
pub use kit::crypto::{new_secret as random_secret, secret_digest as digest};

/// A new access token and a refresh token in `family` (a new family when `None`).
pub async fn issue<C: ConnectionTrait>(
    state: &AppState,
    conn: &C,
    u: &user::Model,
    family: Option<String>,
) -> Result<Session> {
    let family = family.unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
    let refresh = random_secret();
    let now = Utc::now();
    refresh_token::ActiveModel {
        user_id: Set(u.id),
        family_id: Set(family.clone()),
        token_hash: Set(digest(&refresh)),
        expires_at: Set(now + REFRESH_TTL),
        used_at: Set(None),
        revoked_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    let claims = Claims {
        sub: u.id.to_string(),
        role: u.user_type,
        iss: ISSUER.into(),
        aud: AUDIENCE.into(),
        exp: now.timestamp() + ACCESS_TOKEN_TTL_SECS,
        iat: now.timestamp(),
        jti: uuid::Uuid::now_v7().to_string(),
        sid: Some(family),
    };
    let key = state.signing_key().await?;
    let access_token = key.sign(&claims).map_err(kit::Error::internal)?;
    Ok(Session {
        user: u.into(),
        access_token,
        refresh_token: refresh,
        token_type: "Bearer",
        expires_in: ACCESS_TOKEN_TTL_SECS,
    })
}

/// Stops the access tokens already issued to `user_id` in `scope`, in every
/// verifier of the platform within seconds. Called after the transaction
/// that revoked the matching refresh tokens committed.
pub async fn stop_access(state: &AppState, user_id: UserId, scope: Scope) {
    state.ctx.verifier.revocations().revoke(Revocation::now(user_id.0, scope)).await;
}

/// Revokes every live token of `family`.
pub async fn revoke_family<C: ConnectionTrait>(conn: &C, family: &str) -> Result<()> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(refresh_token::Column::FamilyId.eq(family))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}

/// Revokes every live token of `user_id`, except those of `keep` (the
/// caller's own session, when changing a password).
pub async fn revoke_user<C: ConnectionTrait>(conn: &C, user_id: UserId, keep: Option<&str>) -> Result<()> {
    let mut q = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(refresh_token::Column::UserId.eq(user_id))
        .filter(refresh_token::Column::RevokedAt.is_null());
    if let Some(family) = keep {
        q = q.filter(refresh_token::Column::FamilyId.ne(family));
    }
    q.exec(conn).await?;
    Ok(())
}
