use kit::{
    identity::Role,
    ids::{PatientId, UserId},
};

pub use crate::access::{Action, Resource};
use sea_orm::entity::prelude::*;

/// Append-only: who read or changed which part of a record, and when.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "access_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub patient_id: PatientId,
    pub at: DateTimeUtc,
    pub actor_user_id: UserId,
    pub actor_role: Role,
    pub action: Action,
    pub resource: Resource,
    /// Where the request came from, for investigations. Not shown to the
    /// patient: staff addresses are not theirs to see.
    pub client_ip: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
