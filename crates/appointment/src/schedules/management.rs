//! Whose slots a caller manages: doctors their own, admins anyone's.

use kit::{
    Error, Result,
    ids::{DoctorId, ScheduleId},
};
use sea_orm::{ConnectionTrait, EntityTrait};

use crate::{actor::Actor, entity::schedule};

/// The doctor whose slots the caller may manage, given the `doctor_id` a
/// request names (admins must name one; doctors may only name themselves).
pub fn managed_doctor(actor: &Actor, requested: Option<DoctorId>) -> Result<DoctorId> {
    match actor {
        Actor::Doctor(d) => match requested {
            Some(id) if id != d.doctor_id => Err(Error::forbidden("doctors manage their own slots")),
            _ => Ok(d.doctor_id),
        },
        Actor::Admin => requested.ok_or_else(|| Error::invalid("doctor_id", "is required for admins")),
        Actor::Patient(_) => Err(Error::forbidden("only doctors and admins manage slots")),
    }
}

/// Slot `id` if the caller manages it; 404 otherwise, existence never leaks.
pub async fn owned<C: ConnectionTrait>(conn: &C, actor: &Actor, id: ScheduleId) -> Result<schedule::Model> {
    let row = schedule::Entity::find_by_id(id).one(conn).await?.ok_or(Error::NotFound)?;
    match actor {
        Actor::Admin => Ok(row),
        Actor::Doctor(d) if d.doctor_id == row.doctor_id => Ok(row),
        _ => Err(Error::NotFound),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entity::doctor;

    fn doctor(id: i64) -> Actor {
        Actor::Doctor(doctor::Model {
            doctor_id: DoctorId(id),
            user_id: kit::ids::UserId(100 + id),
            name: "Dr".into(),
            specialty_id: kit::ids::SpecialtyId(1),
            city: None,
            timezone: "UTC".into(),
            status: doctor::Status::Active,
        })
    }

    #[test]
    fn doctors_manage_their_own_slots_and_admins_name_the_doctor() {
        let (three, four) = (DoctorId(3), DoctorId(4));
        assert_eq!(managed_doctor(&doctor(3), None).ok(), Some(three));
        assert_eq!(managed_doctor(&doctor(3), Some(three)).ok(), Some(three));
        assert!(matches!(managed_doctor(&doctor(3), Some(four)), Err(Error::Forbidden(_))));
        assert_eq!(managed_doctor(&Actor::Admin, Some(four)).ok(), Some(four));
        assert!(matches!(managed_doctor(&Actor::Admin, None), Err(Error::Invalid { .. })));
    }
}
