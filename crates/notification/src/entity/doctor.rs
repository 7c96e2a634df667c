use kit::ids::{DoctorId, UserId};
use sea_orm::entity::prelude::*;

/// Read model of doctors (`doctor.changed`): the name and zone a message
/// about an appointment shows.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "doctor_names")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub doctor_id: DoctorId,
    pub user_id: UserId,
    pub name: String,
    pub timezone: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The row `doctor.changed` makes (its handler's, and the legacy import's).
impl From<&kit::events::catalog::DoctorChanged> for Model {
    fn from(d: &kit::events::catalog::DoctorChanged) -> Self {
        Self {
            doctor_id: d.doctor_id,
            user_id: d.user_id,
            name: d.name.clone(),
            timezone: d.timezone.clone(),
        }
    }
}
