//! A doctor's own profile, found from their token.

use kit::{
    Error, Result,
    identity::{AuthUser, Role},
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::{entity::doctor, state::AppState};

/// Makes sure the calling doctor's profile is here, from their first call
/// on (see `learn`); call it before [`own`], outside any transaction.
pub async fn known(state: &AppState, caller: &AuthUser) -> Result<()> {
    caller.require(&[Role::Doctor])?;
    crate::learn::profile_of_user(&state.ctx, caller.user_id).await?;
    Ok(())
}

/// The caller's own profile (role doctor only; 404 when there is none).
pub async fn own<C: ConnectionTrait>(conn: &C, caller: &AuthUser) -> Result<doctor::Model> {
    caller.require(&[Role::Doctor])?;
    doctor::Entity::find()
        .filter(doctor::Column::UserId.eq(caller.user_id))
        .one(conn)
        .await?
        .ok_or(Error::NotFound)
}
