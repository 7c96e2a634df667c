use kit::ids::DoctorId;
use sea_orm::entity::prelude::*;

kit::id_type!(
    /// One of a doctor's credentials (doctor service only).
    CredentialId
);

/// A doctor's professional credential (licence, board certification, …),
/// as the doctor declared it. Not PHI: licence numbers are public registers.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "doctor_credentials")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: CredentialId,
    pub doctor_id: DoctorId,
    pub kind: String,
    pub issuer: String,
    pub number: String,
    pub valid_until: Option<Date>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
