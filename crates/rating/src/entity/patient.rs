use kit::ids::{PatientId, UserId};
use sea_orm::entity::prelude::*;

/// Read model of patient records (`patient.registered`, and the pair each
/// appointment event carries): maps a token's user id to the patient id
/// ratings and visits hold.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "patient_directory")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub patient_id: PatientId,
    #[sea_orm(unique)]
    pub user_id: UserId,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
