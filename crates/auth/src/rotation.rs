//! Rotating a refresh token: each is single-use, and using one hands out
//! the next of its family (see `entity::refresh_token`).
//!
//! Presenting a token that was already used normally means it was copied
//! (stolen, or a broken client), so the whole family is revoked and every
//! device of that login signs in again. One exception keeps honest
//! browsers signed in: a reload during an in-flight refresh, or two tabs
//! refreshing at once, present the same token twice within moments. For
//! [`REPLAY_WINDOW`] after a rotation, the rotated token answers again with
//! the *same* successor pair (kept sealed under the old token, see
//! [`replay`]) instead of revoking — as long as that successor has not
//! been used in turn; after the window, or once the successor was used,
//! reuse revokes as before.

pub mod replay;

use chrono::{TimeDelta, Utc};
use kit::{
    Result,
    identity::{ACCESS_TOKEN_TTL_SECS, Scope},
    ids::UserId,
};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, sea_query::Expr};

use crate::{
    entity::{
        refresh_token::{self, RefreshTokenId},
        user,
    },
    state::AppState,
    tokens::{self, Session},
};

use self::replay::Successor;

/// How long a rotated refresh token may be presented again and get the
/// same answer. Long enough for a reload or a second tab racing a refresh
/// over a slow mobile link; short enough that a token copied from a
/// device is, in practice, only usable by revoking its family. (The
/// README and the OpenAPI descriptions of refresh say "20 s".)
pub const REPLAY_WINDOW: TimeDelta = TimeDelta::seconds(20);

/// The 401 of a refresh token that is unknown, expired, revoked or reused.
pub fn invalid_refresh() -> kit::Error {
    kit::Error::unauthorized("refresh token is invalid, expired or revoked")
}

/// The next token pair of `presented`'s family, or 401. See the module
/// comment for reuse and the replay window.
pub async fn rotate(state: &AppState, presented: &str) -> Result<Session> {
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    let row = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(tokens::digest(presented)))
        .one(&txn)
        .await?
        .ok_or_else(invalid_refresh)?;
    if row.revoked_at.is_some() || row.expires_at < Utc::now() {
        return Err(invalid_refresh());
    }
    // Mark used only if still unused: of two racing refreshes, one wins;
    // the other waits for the winner's commit and finds the token used.
    let claimed = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(Utc::now()))
        .filter(refresh_token::Column::Id.eq(row.id))
        .filter(refresh_token::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if claimed.rows_affected == 0 {
        return replay_or_revoke(state, txn, row.id, presented).await;
    }
    let u = active_user(&txn, row.user_id).await?;
    let session = tokens::issue(state, &txn, &u, Some(row.family_id)).await?;
    let successor = Successor {
        access_token: session.access_token.clone(),
        refresh_token: session.refresh_token.clone(),
        issued_at: Utc::now().timestamp(),
    };
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::SuccessorSealed, Expr::value(replay::seal(presented, &successor)))
        .filter(refresh_token::Column::Id.eq(row.id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(session)
}

/// `presented` was already used: the same successor again within the
/// window, else the family is revoked.
async fn replay_or_revoke(
    state: &AppState,
    txn: DatabaseTransaction,
    id: RefreshTokenId,
    presented: &str,
) -> Result<Session> {
    // Read again: the winner has committed by now, and this statement sees
    // it (READ COMMITTED on MySQL; SQLite's write lock serialized us).
    let row = refresh_token::Entity::find_by_id(id).one(&txn).await?.ok_or_else(invalid_refresh)?;
    if row.revoked_at.is_some() {
        return Err(invalid_refresh());
    }
    let recent = row.used_at.is_some_and(|at| Utc::now() - at <= REPLAY_WINDOW);
    let successor = row.successor_sealed.as_deref().and_then(|sealed| replay::open(presented, sealed));
    if let (true, Some(successor)) = (recent, successor)
        && still_unused(&txn, &successor).await?
    {
        let u = active_user(&txn, row.user_id).await?;
        txn.commit().await?;
        return Ok(again(&u, successor));
    }
    // Reuse of a rotated token: the family is compromised.
    tokens::revoke_family(&txn, &row.family_id).await?;
    txn.commit().await?;
    tokens::stop_access(state, row.user_id, Scope::Session(row.family_id)).await;
    tracing::warn!(user_id = row.user_id.0, "refresh token reuse: family revoked");
    Err(invalid_refresh())
}

/// A replay is a race only while the successor has not been used in turn:
/// once it has been rotated, whoever presents the old token again is not
/// a tab that lost a race but the holder of a copy.
async fn still_unused<C: ConnectionTrait>(conn: &C, successor: &Successor) -> Result<bool> {
    let row = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(tokens::digest(&successor.refresh_token)))
        .one(conn)
        .await?;
    Ok(row.is_some_and(|r| r.used_at.is_none() && r.revoked_at.is_none()))
}

/// The token's owner, unless deleted or disabled since.
async fn active_user<C: ConnectionTrait>(conn: &C, id: UserId) -> Result<user::Model> {
    match user::Entity::find_by_id(id).one(conn).await? {
        Some(u) if u.disabled_at.is_none() => Ok(u),
        _ => Err(invalid_refresh()),
    }
}

/// The session answer of a replayed rotation: the same pair, with the
/// access token's remaining lifetime.
fn again(u: &user::Model, successor: Successor) -> Session {
    let elapsed = Utc::now().timestamp() - successor.issued_at;
    Session {
        user: u.into(),
        access_token: successor.access_token,
        refresh_token: successor.refresh_token,
        token_type: "Bearer",
        expires_in: (ACCESS_TOKEN_TTL_SECS - elapsed).max(0),
    }
}
