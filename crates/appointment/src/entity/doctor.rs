/// Whether the doctor takes bookings, as `doctor.changed` says.
pub use kit::events::catalog::DoctorStatus as Status;
use kit::ids::{DoctorId, SpecialtyId, UserId};
use sea_orm::entity::prelude::*;

/// Read model of the doctor service's profiles (`doctor.changed`): what
/// booking and availability need — the time zone above all.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "doctor_directory")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub doctor_id: DoctorId,
    #[sea_orm(unique)]
    pub user_id: UserId,
    pub name: String,
    pub specialty_id: SpecialtyId,
    pub city: Option<String>,
    pub timezone: String,
    pub status: Status,
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
            specialty_id: d.specialty_id,
            city: d.city.clone(),
            timezone: d.timezone.clone(),
            status: d.status,
        }
    }
}
