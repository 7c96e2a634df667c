//! The auth service: accounts, passwords, sessions (access + refresh
//! tokens) and the signing keys every other service verifies against.

pub mod accounts;
mod avatars;
mod entity;
pub mod import;
mod keys;
pub mod login;
mod migration;
mod migration_refresh_successor;
mod password;
pub mod password_reset;
mod picture;
pub mod rotation;
mod routes;
pub mod seed;
mod state;
mod stats;
mod throttle;
mod tokens;

use kit::{
    crypto::Keyring,
    identity::Role,
    service::{ServiceContext, ServiceHandle},
};
use sea_orm::DatabaseConnection;

pub use keys::LocalJwks;

use crate::{accounts::NewUser, state::AppState};

/// The service's OpenAPI document: its routes' own `utoipa::path`s (see
/// `routes`).
pub fn openapi() -> utoipa::openapi::OpenApi {
    routes::openapi()
}

pub async fn migrate(db: &DatabaseConnection) -> Result<(), sea_orm::DbErr> {
    kit::db::migrate::<migration::Migrator>(db).await
}

/// Migrates, makes sure a signing key exists, starts the outbox relay and
/// returns the finished router.
pub async fn start(ctx: ServiceContext) -> anyhow::Result<ServiceHandle> {
    migrate(&ctx.db).await?;
    keys::current(&ctx.db, &ctx.keyring).await?;
    let (router, openapi) = routes::router(AppState::new(ctx.clone())?);
    Ok(ctx.launch(router, openapi, None, Vec::new()).await)
}

/// Creates an admin account (the `admin create` command).
pub async fn create_admin(
    ctx: &ServiceContext,
    name: &str,
    email: &str,
    password: &str,
) -> anyhow::Result<i64> {
    if !(8..=128).contains(&password.chars().count()) {
        anyhow::bail!("the password must be 8 to 128 characters");
    }
    let state = AppState::new(ctx.clone())?;
    let new = NewUser { name, email, password, gender: "female", phone: "0000000", role: Role::Admin };
    let (u, _) =
        accounts::create_user(&state, new, Default::default()).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(u.id.0)
}

/// Makes a new signing key current (the `keys rotate` command).
pub async fn rotate_signing_key(db: &DatabaseConnection, keyring: &Keyring) -> anyhow::Result<String> {
    Ok(keys::rotate(db, keyring).await?)
}
