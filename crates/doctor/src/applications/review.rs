//! Admins' review of applications: the list, approval (which mints a
//! fresh registration token each time until one is used), rejection and
//! deletion.

use chrono::{Duration, Utc};
use kit::{
    Error, Result,
    crypto::{new_secret, secret_digest},
    events::catalog,
    ids::ApplicationId,
    pagination::{Page, Paging},
    service::ServiceContext,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::{TOKEN_TTL_HOURS, announce};
use crate::entity::application::{self, Status};

/// The answer to approving a rejected or already used application.
pub fn not_approvable() -> Error {
    Error::conflict("only a pending application, or an approved one not yet used, can be approved")
}

/// The answer to rejecting a rejected or already used application.
pub fn not_rejectable() -> Error {
    Error::conflict("the application is already rejected or its token was used")
}

/// One page of applications, newest first, in `status` only when given
/// (and not blank).
pub async fn list(
    db: &DatabaseConnection,
    status: Option<&str>,
    paging: Paging,
) -> Result<Page<application::Model>> {
    let mut query = application::Entity::find();
    if let Some(s) = status.filter(|s| !s.is_empty()) {
        let Some(status) = Status::parse(s) else {
            return Err(Error::invalid("status", "must be pending, approved or rejected"));
        };
        query = query.filter(application::Column::Status.eq(status));
    }
    let total = query.clone().count(db).await?;
    let rows = query
        .order_by_desc(application::Column::Id)
        .offset(paging.offset())
        .limit(paging.per_page())
        .all(db)
        .await?;
    Ok(Page::new(rows, paging, total))
}

/// Application `id`; 404 when unknown.
pub async fn find<C: ConnectionTrait>(conn: &C, id: ApplicationId) -> Result<application::Model> {
    application::Entity::find_by_id(id).one(conn).await?.ok_or(Error::NotFound)
}

/// The application, locked for the rest of `txn`: of two decisions racing
/// (an approval and a rejection), the second sees the first's result
/// instead of overwriting it, and the events follow the same order.
async fn find_for_update(txn: &DatabaseTransaction, id: ApplicationId) -> Result<application::Model> {
    application::Entity::find_by_id(id).lock_exclusive().one(txn).await?.ok_or(Error::NotFound)
}

/// Approves application `id` with a fresh registration token, announced
/// sealed. Approving again (link expired or lost) mints a new one; a used
/// one stays used.
pub async fn approve(ctx: &ServiceContext, id: ApplicationId) -> Result<application::Model> {
    let txn = kit::db::begin_write(&ctx.db).await?;
    let a = find_for_update(&txn, id).await?;
    if a.status == Status::Rejected || a.token_used_at.is_some() {
        return Err(not_approvable());
    }
    let token = new_secret();
    let now = Utc::now();
    let expires_at = now + Duration::hours(TOKEN_TTL_HOURS);
    let mut active = a.into_active_model();
    active.status = Set(Status::Approved);
    active.registration_token = Set(Some(secret_digest(&token)));
    active.token_expiry = Set(Some(expires_at));
    active.claim_hash = Set(None);
    active.updated_at = Set(now);
    let a = active.update(&txn).await?;
    let approved = catalog::DoctorApplicationApproved {
        application_id: a.id,
        name: a.name.clone(),
        email: a.email.clone(),
        token_sealed: ctx.keyring.seal_str(&token),
        expires_at,
    };
    announce(&txn, catalog::EventType::DoctorApplicationApproved, &a, &approved).await?;
    txn.commit().await?;
    Ok(a)
}

/// Rejects application `id` for `reason` (trimmed); its token stops working.
pub async fn reject(db: &DatabaseConnection, id: ApplicationId, reason: &str) -> Result<application::Model> {
    let txn = kit::db::begin_write(db).await?;
    let a = find_for_update(&txn, id).await?;
    if a.token_used_at.is_some() || a.status == Status::Rejected {
        return Err(not_rejectable());
    }
    let reason = reason.trim().to_owned();
    let mut active = a.into_active_model();
    active.status = Set(Status::Rejected);
    active.reject_reason = Set(Some(reason.clone()));
    active.registration_token = Set(None);
    active.token_expiry = Set(None);
    active.updated_at = Set(Utc::now());
    let a = active.update(&txn).await?;
    let rejected = catalog::DoctorApplicationRejected {
        application_id: a.id,
        name: a.name.clone(),
        email: a.email.clone(),
        reason,
    };
    announce(&txn, catalog::EventType::DoctorApplicationRejected, &a, &rejected).await?;
    txn.commit().await?;
    Ok(a)
}

/// Deletes application `id` and then its CV.
pub async fn delete(ctx: &ServiceContext, id: ApplicationId) -> Result<()> {
    let a = find(&ctx.db, id).await?;
    application::Entity::delete_by_id(id).exec(&ctx.db).await?;
    if let Err(e) = ctx.objects.delete(&a.cv).await {
        // The row is gone; an orphaned file is only storage, and is logged.
        tracing::warn!(application_id = %id, error = %e, "CV not deleted");
    }
    Ok(())
}
