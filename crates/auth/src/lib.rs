//! The auth service: accounts, passwords, sessions (access + refresh
//! tokens) and the signing keys every other service verifies against.

pub mod accounts;
mod avatars;
mod entity;
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
mod throttle;
mod tokens;

use kit::{
    crypto::Keyring,
    identity::Role,
    service::{ServiceContext, ServiceHandle},
};
use sea_orm::DatabaseConnection;
use utoipa::OpenApi;

pub use keys::LocalJwks;

use crate::{accounts::NewUser, routes::cookie_session::Docs as CookieSessionDocs, state::AppState};

#[derive(OpenApi)]
#[openapi(
    paths(
        routes::doctor_registration::register_doctor,
        routes::session::register, routes::session::login, routes::session::refresh, routes::session::logout,
        routes::me::get, routes::me::patch, routes::me::delete, routes::me::change_password,
        routes::avatar::put, routes::avatar::get, routes::reset::forgot, routes::reset::reset,
        routes::well_known::jwks, routes::well_known::openid_configuration,
        routes::admin::list, routes::admin::create, routes::admin::disable, routes::admin::enable,
    ),
    tags((name = "auth", description = "Accounts, sessions and keys"), (name = "admin", description = "User administration")),
    modifiers(&CookieSessionDocs)
)]
struct ApiDoc;

pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

pub async fn migrate(db: &DatabaseConnection) -> Result<(), sea_orm::DbErr> {
    kit::db::migrate::<migration::Migrator>(db).await
}

/// Migrates, makes sure a signing key exists, starts the outbox relay and
/// returns the finished router.
pub async fn start(ctx: ServiceContext) -> anyhow::Result<ServiceHandle> {
    migrate(&ctx.db).await?;
    keys::current(&ctx.db, &ctx.keyring).await?;
    let router = routes::router(AppState::new(ctx.clone())?);
    Ok(ctx.launch(router, openapi(), None, Vec::new()).await)
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
