//! An admin writes to one user, on the channels they choose; the user's
//! preferences still apply.

use kit::{ids::UserId, service::ServiceContext};
use sea_orm::EntityTrait;

use crate::{
    entity::{contact, notification},
    notify::{self, Allowed, Message},
};

/// The channels an admin may name.
const CHANNELS: [&str; 3] = ["in_app", "email", "sms"];

/// The channels an admin chose (all three when they named none); 422 on
/// `channels` for a name that is none of them.
pub fn chosen_channels(names: Option<&[String]>) -> kit::Result<Allowed> {
    let Some(names) = names else { return Ok(Allowed::ALL) };
    if let Some(bad) = names.iter().find(|c| !CHANNELS.contains(&c.as_str())) {
        return Err(kit::Error::invalid("channels", format!("{bad:?} is not in_app, email or sms")));
    }
    let has = |c: &str| names.iter().any(|x| x == c);
    Ok(Allowed { in_app: has("in_app"), email: has("email"), sms: has("sms"), mandatory: false })
}

/// Sends `title` / `message` to `user_id` (`NotFound` when auth has no such
/// account); the in-app notification when that channel was used.
pub async fn send(
    ctx: &ServiceContext,
    user_id: UserId,
    title: &str,
    message: &str,
    allowed: Allowed,
) -> kit::Result<Option<notification::Model>> {
    // An account made a moment ago is reachable at once.
    crate::learn::contact(ctx, user_id).await?.ok_or(kit::Error::NotFound)?;
    let txn = kit::db::begin_write(&ctx.db).await?;
    let to = contact::Entity::find_by_id(user_id).one(&txn).await?.ok_or(kit::Error::NotFound)?;
    let vars = serde_json::json!({"title": title, "message": message, "name": to.name});
    // A fresh time-ordered id keeps two messages apart.
    let source = format!("admin:{}", uuid::Uuid::now_v7());
    let message = Message { key: "admin_message", vars, invite: None, source, secrets: Vec::new() };
    let made = notify::notify(&txn, &to, message, allowed).await?;
    txn.commit().await?;
    Ok(made)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn no_list_means_every_channel() {
        let a = chosen_channels(None).unwrap();
        assert!(a.in_app && a.email && a.sms && !a.mandatory);
    }

    #[test]
    fn a_list_picks_its_channels() {
        let a = chosen_channels(Some(&names(&["email"]))).unwrap();
        assert!(!a.in_app && a.email && !a.sms && !a.mandatory);
    }

    #[test]
    fn an_unknown_channel_names_the_field() {
        let e = chosen_channels(Some(&names(&["email", "pigeon"]))).unwrap_err();
        assert_eq!(e.to_string(), "channels: \"pigeon\" is not in_app, email or sms");
    }
}
