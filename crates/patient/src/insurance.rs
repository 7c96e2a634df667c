//! A patient's insurance. The policy number and member name are sealed at
//! rest (PHI); the provider and validity are not.

use chrono::{NaiveDate, Utc};
use kit::{Result, crypto::Keyring, http::ClientIp, identity::AuthUser, service::ServiceContext};
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};

use crate::{
    access::{self, Action, Resource},
    entity::{insurance, patient},
};

/// An insurance policy in clear.
pub struct Policy {
    pub provider: String,
    pub policy_number: String,
    pub member_name: Option<String>,
    pub valid_until: Option<NaiveDate>,
}

/// The stored row opened.
fn opened(keyring: &Keyring, row: insurance::Model) -> Result<Policy> {
    Ok(Policy {
        provider: row.provider,
        policy_number: keyring.open_str(&row.policy_number).map_err(kit::Error::internal)?,
        member_name: row
            .member_name
            .as_deref()
            .map(|m| keyring.open_str(m))
            .transpose()
            .map_err(kit::Error::internal)?,
        valid_until: row.valid_until,
    })
}

/// `p`'s policy, 404 when none is recorded yet; the read is logged.
pub async fn of(
    ctx: &ServiceContext,
    caller: &AuthUser,
    client: ClientIp,
    p: &patient::Model,
) -> Result<Policy> {
    let row = insurance::Entity::find_by_id(p.id).one(&ctx.db).await?.ok_or(kit::Error::NotFound)?;
    access::record(&ctx.db, p.id, caller, client, Action::Read, Resource::Insurance).await?;
    opened(&ctx.keyring, row)
}

/// Records `policy` (trimmed, sealed) as `p`'s, replacing any, and logs
/// the change in the same transaction.
pub async fn save(
    ctx: &ServiceContext,
    caller: &AuthUser,
    client: ClientIp,
    p: &patient::Model,
    policy: &Policy,
) -> Result<()> {
    let keyring = &ctx.keyring;
    let txn = kit::db::begin_write(&ctx.db).await?;
    let values = insurance::ActiveModel {
        patient_id: Set(p.id),
        provider: Set(policy.provider.trim().to_owned()),
        policy_number: Set(keyring.seal_str(policy.policy_number.trim())),
        member_name: Set(policy.member_name.as_deref().map(|m| keyring.seal_str(m.trim()))),
        valid_until: Set(policy.valid_until),
        updated_at: Set(Utc::now()),
    };
    match insurance::Entity::find_by_id(p.id).one(&txn).await? {
        Some(existing) => {
            let mut active = existing.into_active_model();
            active.provider = values.provider;
            active.policy_number = values.policy_number;
            active.member_name = values.member_name;
            active.valid_until = values.valid_until;
            active.updated_at = values.updated_at;
            active.update(&txn).await?;
        }
        None => {
            insurance::Entity::insert(values).exec(&txn).await?;
        }
    }
    access::record(&txn, p.id, caller, client, Action::Update, Resource::Insurance).await?;
    txn.commit().await?;
    Ok(())
}
