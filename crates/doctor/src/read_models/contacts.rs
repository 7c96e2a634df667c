//! Admin accounts, so new applications can be mailed to someone.

use kit::{
    events::{HandlerError, catalog},
    identity::Role,
};
use sea_orm::{ActiveModelTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, Set};

use crate::entity::admin_contact;

pub async fn registered(txn: &DatabaseTransaction, u: &catalog::UserRegistered) -> Result<(), HandlerError> {
    if u.role != Role::Admin || admin_contact::Entity::find_by_id(u.user_id).one(txn).await?.is_some() {
        return Ok(());
    }
    admin_contact::ActiveModel {
        user_id: Set(u.user_id),
        name: Set(u.name.clone()),
        email: Set(u.email.clone()),
        disabled: Set(false),
    }
    .insert(txn)
    .await?;
    Ok(())
}

pub async fn updated(txn: &DatabaseTransaction, u: &catalog::UserUpdated) -> Result<(), HandlerError> {
    if let Some(c) = admin_contact::Entity::find_by_id(u.user_id).one(txn).await? {
        let mut active = c.into_active_model();
        active.name = Set(u.name.clone());
        active.email = Set(u.email.clone());
        active.disabled = Set(u.disabled);
        active.update(txn).await?;
    }
    Ok(())
}

pub async fn deleted(txn: &DatabaseTransaction, u: &catalog::UserDeleted) -> Result<(), HandlerError> {
    admin_contact::Entity::delete_by_id(u.user_id).exec(txn).await?;
    Ok(())
}
