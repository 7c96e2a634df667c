//! Read your own writes: contacts are filled by auth's `user.registered`,
//! which may still be on its way when an admin writes to an account made
//! a moment ago. Then auth is asked for that event once and it is handled
//! here as the bus would (`kit::internal::learn`) — welcome message
//! included; its delivery later is a no-op.

use kit::{events::catalog, service::ServiceContext};
use sea_orm::EntityTrait;

use crate::{entity::contact, error::Result, events::NotificationEvents};

/// The contact of account `user_id`, if auth has such an account.
pub async fn contact(ctx: &ServiceContext, user_id: i64) -> Result<Option<contact::Model>> {
    if let Some(c) = contact::Entity::find_by_id(user_id).one(&ctx.db).await? {
        return Ok(Some(c));
    }
    let handler =
        NotificationEvents { keyring: ctx.keyring.clone(), public_url: ctx.settings.public_url.clone() };
    let (path, subject) = (format!("/internal/users/{user_id}/registered"), format!("user/{user_id}"));
    let kind = catalog::USER_REGISTERED;
    if !kit::internal::learn(ctx, &handler, "auth", &path, kit::internal::about(kind, &subject)).await? {
        return Ok(None);
    }
    Ok(contact::Entity::find_by_id(user_id).one(&ctx.db).await?)
}
