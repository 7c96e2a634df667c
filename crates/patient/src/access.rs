//! Who may see a patient's record, and the log of everyone who did.
//!
//! Rule: the patient themself, any admin, and a doctor with a care
//! relationship (see `events.rs`) may read; anyone else gets 404, exactly
//! as for a patient that does not exist.

use chrono::Utc;
use kit::{
    Result,
    http::ClientIp,
    identity::{AuthUser, Role},
    ids::{PatientId, UserId},
};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DeriveActiveEnum, EntityTrait, EnumIter, Set, sea_query::StringLen,
};

use crate::entity::{access_log, care, patient};

/// What a logged access did (stored as `read`, `create`, `update`, `list`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum Action {
    #[sea_orm(string_value = "read")]
    Read,
    #[sea_orm(string_value = "create")]
    Create,
    #[sea_orm(string_value = "update")]
    Update,
    #[sea_orm(string_value = "list")]
    List,
}

/// Which part of a record a logged access touched (stored snake_case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum Resource {
    #[sea_orm(string_value = "profile")]
    Profile,
    #[sea_orm(string_value = "medical_history")]
    MedicalHistory,
    #[sea_orm(string_value = "insurance")]
    Insurance,
    #[sea_orm(string_value = "preferences")]
    Preferences,
}

/// Appends one access-log row (in the caller's transaction for writes),
/// with the address the request came from (see `kit::client_ip`).
pub async fn record<C: ConnectionTrait>(
    conn: &C,
    patient_id: PatientId,
    caller: &AuthUser,
    client: ClientIp,
    action: Action,
    resource: Resource,
) -> Result<()> {
    access_log::ActiveModel {
        patient_id: Set(patient_id),
        at: Set(Utc::now()),
        actor_user_id: Set(caller.user_id),
        actor_role: Set(caller.role),
        action: Set(action),
        resource: Set(resource),
        client_ip: Set(client.0.map(|ip| ip.to_string())),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

pub async fn has_care_relationship<C: ConnectionTrait>(
    conn: &C,
    doctor_user_id: UserId,
    patient_id: PatientId,
) -> Result<bool> {
    Ok(care::Entity::find_by_id((doctor_user_id, patient_id)).one(conn).await?.is_some())
}

/// The patient `id` if `caller` may read it; 404 otherwise.
pub async fn readable<C: ConnectionTrait>(
    conn: &C,
    caller: &AuthUser,
    id: PatientId,
) -> Result<patient::Model> {
    let p = patient::Entity::find_by_id(id).one(conn).await?.ok_or(kit::Error::NotFound)?;
    let allowed = match caller.role {
        Role::Admin => true,
        Role::Patient => p.user_id == caller.user_id,
        Role::Doctor => has_care_relationship(conn, caller.user_id, p.id).await?,
    };
    if allowed { Ok(p) } else { Err(kit::Error::NotFound) }
}

/// The caller's own patient record (role patient only), there from the
/// caller's first call on (see `learn`).
pub async fn own(ctx: &kit::service::ServiceContext, caller: &AuthUser) -> Result<patient::Model> {
    caller.require(&[Role::Patient])?;
    crate::learn::record_of(ctx, caller.user_id).await?.ok_or(kit::Error::NotFound)
}

#[cfg(test)]
mod tests {
    use sea_orm::ActiveEnum;

    use super::*;

    #[test]
    fn stored_values_are_the_legacy_strings() {
        let actions = [
            (Action::Read, "read"),
            (Action::Create, "create"),
            (Action::Update, "update"),
            (Action::List, "list"),
        ];
        for (action, stored) in actions {
            assert_eq!(action.to_value(), stored);
        }
        let resources = [
            (Resource::Profile, "profile"),
            (Resource::MedicalHistory, "medical_history"),
            (Resource::Insurance, "insurance"),
            (Resource::Preferences, "preferences"),
        ];
        for (resource, stored) in resources {
            assert_eq!(resource.to_value(), stored);
        }
    }
}
