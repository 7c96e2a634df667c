//! Who is calling: JWT access tokens (EdDSA, `kid`) verified locally
//! against a cached JWKS, never by calling auth per request.
//!
//! A token that verified once is remembered by its hash until it expires
//! ([`verified`]), and a token is refused, cached or not, once auth has
//! revoked it ([`revocation`]).
//!
//! The verifier is put into request extensions (`Extension(Arc<JwtVerifier>)`,
//! by [`crate::http::finish`] for every service), so the [`AuthUser`]
//! extractor works in any router whatever its state type.

use std::{sync::Arc, time::Duration};

use axum::{extract::FromRequestParts, http::request::Parts};
use jsonwebtoken::{Algorithm, DecodingKey, Validation, jwk::JwkSet};
use sea_orm::{DeriveActiveEnum, EnumIter, sea_query::StringLen};
use serde::{Deserialize, Serialize};
use tokio::sync::RwLock;

use crate::problem::Problem;

pub mod revocation;
mod verified;

pub use revocation::{Revocation, Revocations, Scope};
use verified::VerifiedTokens;

pub const ISSUER: &str = "quickcare";
pub const AUDIENCE: &str = "quickcare-api";
pub const ACCESS_TOKEN_TTL_SECS: i64 = 15 * 60;

/// What an account is: in tokens and events (serde), and stored as auth's
/// `users.user_type` (the same lower-case strings).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
    EnumIter,
    DeriveActiveEnum,
)]
#[serde(rename_all = "lowercase")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum Role {
    #[sea_orm(string_value = "patient")]
    Patient,
    #[sea_orm(string_value = "doctor")]
    Doctor,
    #[sea_orm(string_value = "admin")]
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Patient => "patient",
            Role::Doctor => "doctor",
            Role::Admin => "admin",
        }
    }
}

impl std::str::FromStr for Role {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "patient" => Ok(Role::Patient),
            "doctor" => Ok(Role::Doctor),
            "admin" => Ok(Role::Admin),
            _ => Err(()),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub role: Role,
    pub iss: String,
    pub aud: String,
    pub exp: i64,
    pub iat: i64,
    pub jti: String,
    /// Session id: the refresh-token family this access token was issued
    /// with, so "sign out other sessions" can spare the current one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
}

/// Where the verifier gets public keys: auth's JWKS over HTTP in
/// distributed mode, auth's key store directly when embedded.
#[async_trait::async_trait]
pub trait JwksSource: Send + Sync {
    async fn fetch(&self) -> anyhow::Result<JwkSet>;
}

/// Fetches `/.well-known/jwks.json` from a base URL.
pub struct HttpJwks {
    client: reqwest::Client,
    urls: Vec<String>,
}

impl HttpJwks {
    /// `bases` are the auth instances' base URLs; the first that answers wins.
    pub fn new(bases: Vec<String>, timeout: Duration) -> anyhow::Result<Self> {
        let client = reqwest::Client::builder().timeout(timeout).build()?;
        let urls =
            bases.into_iter().map(|b| format!("{}/.well-known/jwks.json", b.trim_end_matches('/'))).collect();
        Ok(Self { client, urls })
    }
}

#[async_trait::async_trait]
impl JwksSource for HttpJwks {
    async fn fetch(&self) -> anyhow::Result<JwkSet> {
        let mut last = anyhow::anyhow!("no auth instance configured");
        for url in &self.urls {
            match self.client.get(url).send().await.and_then(|r| r.error_for_status()) {
                Ok(res) => return Ok(res.json().await?),
                Err(e) => last = e.into(),
            }
        }
        Err(last)
    }
}

/// Minimum pause between two refreshes forced by an unknown `kid`, so a
/// flood of forged tokens cannot turn into a flood of JWKS fetches.
const REFRESH_COOLDOWN: Duration = Duration::from_secs(5);

/// Clock skew tolerated on `exp`, with and without the cache.
const LEEWAY_SECS: u64 = 5;

struct Cache {
    keys: Vec<(String, DecodingKey)>,
    fetched_at: Option<tokio::time::Instant>,
}

/// Verifies access tokens. Cheap to clone behind an `Arc`.
pub struct JwtVerifier {
    source: Arc<dyn JwksSource>,
    cache: RwLock<Cache>,
    validation: Validation,
    verified: VerifiedTokens,
    revocations: Arc<Revocations>,
}

#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("token is malformed or its signature is invalid")]
    Invalid,
    #[error("token has expired")]
    Expired,
    #[error("token is signed by an unknown key")]
    UnknownKey,
    #[error("token has been revoked")]
    Revoked,
}

impl JwtVerifier {
    pub fn new(source: Arc<dyn JwksSource>) -> Self {
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = LEEWAY_SECS;
        Self {
            source,
            cache: RwLock::new(Cache { keys: Vec::new(), fetched_at: None }),
            validation,
            verified: VerifiedTokens::default(),
            revocations: Revocations::local(),
        }
    }

    /// Honours (and publishes through) `revocations`, shared by every
    /// verifier of the process; without it, only revocations made through
    /// this verifier count.
    pub fn with_revocations(mut self, revocations: Arc<Revocations>) -> Self {
        self.revocations = revocations;
        self
    }

    /// Where auth announces revoked tokens.
    pub fn revocations(&self) -> &Arc<Revocations> {
        &self.revocations
    }

    /// The claims of a valid, unexpired, unrevoked token.
    pub async fn verify(&self, token: &str) -> Result<Claims, VerifyError> {
        let key = VerifiedTokens::key(token);
        let claims = match self.verified.get(&key) {
            Some(claims) => {
                if claims.exp < chrono::Utc::now().timestamp() - LEEWAY_SECS as i64 {
                    self.verified.forget(&key);
                    return Err(VerifyError::Expired);
                }
                Claims::clone(&claims)
            }
            None => {
                let claims = self.verify_signature(token).await?;
                self.verified.insert(key, claims.clone());
                claims
            }
        };
        if self.revocations.is_revoked(&claims) {
            return Err(VerifyError::Revoked);
        }
        Ok(claims)
    }

    async fn verify_signature(&self, token: &str) -> Result<Claims, VerifyError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| VerifyError::Invalid)?;
        // Only EdDSA is ever accepted: `alg: none` or HS256 tricks fail here.
        if header.alg != Algorithm::EdDSA {
            return Err(VerifyError::Invalid);
        }
        let kid = header.kid.ok_or(VerifyError::Invalid)?;
        let key = match self.key(&kid).await {
            Some(k) => k,
            None => {
                self.refresh(false).await;
                self.key(&kid).await.ok_or(VerifyError::UnknownKey)?
            }
        };
        jsonwebtoken::decode::<Claims>(token, &key, &self.validation).map(|d| d.claims).map_err(|e| {
            match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => VerifyError::Expired,
                _ => VerifyError::Invalid,
            }
        })
    }

    async fn key(&self, kid: &str) -> Option<DecodingKey> {
        let cache = self.cache.read().await;
        cache.keys.iter().find(|(k, _)| k == kid).map(|(_, key)| key.clone())
    }

    /// Re-reads the JWKS. `force` skips the cooldown (used at start-up and
    /// by the periodic refresher).
    pub async fn refresh(&self, force: bool) {
        let mut cache = self.cache.write().await;
        if !force && cache.fetched_at.is_some_and(|t| t.elapsed() < REFRESH_COOLDOWN) {
            return;
        }
        cache.fetched_at = Some(tokio::time::Instant::now());
        match self.source.fetch().await {
            Ok(set) => {
                let keys: Vec<(String, DecodingKey)> = set
                    .keys
                    .iter()
                    .filter_map(|jwk| {
                        let kid = jwk.common.key_id.clone()?;
                        DecodingKey::from_jwk(jwk).ok().map(|k| (kid, k))
                    })
                    .collect();
                // A key gone from the set takes its tokens along, cached or not.
                if cache.keys.iter().any(|(old, _)| !keys.iter().any(|(kid, _)| kid == old)) {
                    self.verified.clear();
                }
                cache.keys = keys;
            }
            Err(e) => tracing::warn!(error = %e, "could not refresh the JWKS"),
        }
    }
}

/// The authenticated caller. Extracting it answers 401 without a valid token.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub user_id: crate::ids::UserId,
    pub role: Role,
    pub jti: String,
    pub sid: Option<String>,
}

impl AuthUser {
    /// 403 unless the caller has one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<(), Problem> {
        if roles.contains(&self.role) { Ok(()) } else { Err(Problem::forbidden("your role may not do this")) }
    }
    pub fn is(&self, role: Role) -> bool {
        self.role == role
    }
}

/// The bearer token of a request: `Authorization: Bearer …`, or the
/// `access_token` query parameter (for EventSource, which cannot set headers).
pub fn bearer_token(parts: &Parts) -> Option<String> {
    if let Some(v) = parts.headers.get(http::header::AUTHORIZATION).and_then(|v| v.to_str().ok()) {
        let (scheme, token) = v.split_once(' ')?;
        return scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned());
    }
    parts
        .uri
        .query()
        .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("access_token=").map(str::to_owned)))
}

impl<S: Send + Sync> FromRequestParts<S> for AuthUser {
    type Rejection = crate::Error;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let verifier = parts.extensions.get::<Arc<JwtVerifier>>().cloned().ok_or_else(|| {
            crate::Error::internal(anyhow::anyhow!("JwtVerifier extension missing from the router"))
        })?;
        let token = bearer_token(parts).ok_or_else(|| Problem::unauthorized("a bearer token is required"))?;
        let claims = verifier.verify(&token).await.map_err(|e| Problem::unauthorized(e.to_string()))?;
        let user_id: i64 =
            claims.sub.parse().map_err(|_| Problem::unauthorized("token subject is not a user id"))?;
        // The request span declares `user_id` empty; the request log line carries it.
        tracing::Span::current().record("user_id", user_id);
        Ok(AuthUser {
            user_id: crate::ids::UserId(user_id),
            role: claims.role,
            jti: claims.jti,
            sid: claims.sid,
        })
    }
}

/// The caller if a token is present (and then it must be valid), else `None`.
#[derive(Debug, Clone)]
pub struct MaybeAuthUser(pub Option<AuthUser>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeAuthUser {
    type Rejection = crate::Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        if bearer_token(parts).is_none() {
            return Ok(MaybeAuthUser(None));
        }
        AuthUser::from_request_parts(parts, state).await.map(|u| MaybeAuthUser(Some(u)))
    }
}
