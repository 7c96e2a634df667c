//! Read your own writes: contacts are filled by auth's `user.registered`,
//! which may still be on its way when an admin writes to an account made
//! a moment ago — or when the appointment a patient booked right after
//! registering is announced before it. Then auth is asked for that event
//! once and it is handled here as the bus would (`kit::internal::learn`) —
//! welcome message included; its delivery later is a no-op.

use kit::{
    events::{HandlerError, catalog::EventType},
    service::ServiceContext,
};
use sea_orm::{DatabaseTransaction, EntityTrait};

use kit::ids::UserId;

use crate::{entity::contact, events::NotificationEvents};

fn registration(user_id: UserId) -> (String, String) {
    (format!("/internal/users/{user_id}/registered"), format!("user/{user_id}"))
}

/// The contact of account `user_id`, if auth has such an account.
pub async fn contact(ctx: &ServiceContext, user_id: UserId) -> kit::Result<Option<contact::Model>> {
    if let Some(c) = contact::Entity::find_by_id(user_id).one(&ctx.db).await? {
        return Ok(Some(c));
    }
    let handler = NotificationEvents {
        keyring: ctx.keyring.clone(),
        public_url: ctx.settings.public_url.clone(),
        ctx: ctx.clone(),
    };
    let (path, subject) = registration(user_id);
    let kind = EventType::UserRegistered;
    if !kit::internal::learn(ctx, &handler, "auth", &path, kit::internal::about(kind, &subject)).await? {
        return Ok(None);
    }
    Ok(contact::Entity::find_by_id(user_id).one(&ctx.db).await?)
}

/// The contact of `user_id` for a message being written in `txn`, learned
/// in that transaction when it has not arrived; `None` for an account
/// auth does not have (any more), or imported history's 0.
pub async fn contact_within(
    handler: &NotificationEvents,
    txn: &DatabaseTransaction,
    user_id: UserId,
) -> Result<Option<contact::Model>, HandlerError> {
    if let Some(c) = contact::Entity::find_by_id(user_id).one(txn).await? {
        return Ok(Some(c));
    }
    if user_id.0 <= 0 {
        return Ok(None);
    }
    let (path, subject) = registration(user_id);
    let expects = kit::internal::about(EventType::UserRegistered, &subject);
    if !kit::internal::learn_within(&handler.ctx, txn, handler, "auth", &path, expects).await? {
        return Ok(None);
    }
    Ok(contact::Entity::find_by_id(user_id).one(txn).await?)
}
