//! Logging in with an email and a password.

use kit::{Result, http::ClientIp};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

use crate::{
    entity::user,
    password::{self, Verdict},
    state::AppState,
    throttle::LoginThrottle,
    tokens::{self, Session},
};

/// The one 401 for an unknown email and a wrong password alike.
pub fn wrong_credentials() -> kit::Error {
    kit::Error::unauthorized("email or password is wrong")
}

/// The 401 of a disabled account (said only after the right password).
pub fn disabled() -> kit::Error {
    kit::Error::unauthorized("this account is disabled")
}

/// A new session for `email` and `password` coming from `client`.
///
/// The attempt is counted against the throttles (see `crate::throttle`)
/// before anything else, so a throttled attempt answers 429 with
/// `Retry-After` without a database read or a hash — even with the right
/// password. Then it takes a place for its password check (see
/// `crate::password`), or answers 503 with `Retry-After`, still before the
/// database read. Unknown emails cost a dummy verification, so timing does
/// not reveal which accounts exist. A legacy bcrypt hash that verifies is
/// replaced by an argon2id one.
pub async fn log_in(state: &AppState, email: &str, password: &str, client: ClientIp) -> Result<Session> {
    let email = email.trim().to_lowercase();
    let throttle = LoginThrottle::new(&state.ctx, &email, client);
    throttle.admit().await?;
    let place = state.hasher.reserve(client.0)?;
    let found = user::Entity::find().filter(user::Column::Email.eq(&email)).one(&state.ctx.db).await?;
    let stored = found.as_ref().map(|u| u.password.as_str()).unwrap_or(password::dummy_hash());
    let verdict = place.verify(password, stored).await?;
    let (u, verdict) = match (found, verdict) {
        (Some(u), Verdict::Right | Verdict::RightButRehash) => (u, verdict),
        _ => return Err(wrong_credentials()),
    };
    if u.disabled_at.is_some() {
        return Err(disabled());
    }
    throttle.succeeded().await;
    let u = if verdict == Verdict::RightButRehash {
        let mut active = u.into_active_model();
        active.password = Set(state.hasher.hash(password).await?);
        active.update(&state.ctx.db).await?
    } else {
        u
    };
    tokens::issue(state, &state.ctx.db, &u, None).await
}
