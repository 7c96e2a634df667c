//! Who is calling, in this service's terms: a token carries a user id and
//! a role; appointments hold patient and doctor ids. The read models map
//! one to the other, from the caller's first call on (see `learn`).

use kit::{
    Error, Result,
    identity::{AuthUser, Role},
    ids::AppointmentId,
    service::ServiceContext,
};
use sea_orm::{ConnectionTrait, EntityTrait};

use crate::{
    entity::{appointment, doctor, patient},
    learn,
};

pub enum Actor {
    Patient(patient::Model),
    Doctor(doctor::Model),
    Admin,
}

impl Actor {
    pub async fn resolve(ctx: &ServiceContext, caller: &AuthUser) -> Result<Self> {
        match caller.role {
            Role::Admin => Ok(Actor::Admin),
            Role::Patient => learn::patient_of_user(ctx, caller.user_id)
                .await?
                .map(Actor::Patient)
                .ok_or(Error::forbidden("no patient record for this account")),
            Role::Doctor => learn::doctor_of_user(ctx, caller.user_id)
                .await?
                .map(Actor::Doctor)
                .ok_or(Error::forbidden("no doctor profile for this account")),
        }
    }

    pub fn is_admin(&self) -> bool {
        matches!(self, Actor::Admin)
    }

    /// Whether the caller may see this appointment at all (else 404).
    pub fn sees(&self, a: &appointment::Model) -> bool {
        match self {
            Actor::Admin => true,
            Actor::Patient(p) => a.patient_id == p.patient_id,
            Actor::Doctor(d) => a.doctor_id == d.doctor_id,
        }
    }

    /// Whether the caller is this appointment's doctor.
    pub fn is_its_doctor(&self, a: &appointment::Model) -> bool {
        matches!(self, Actor::Doctor(d) if d.doctor_id == a.doctor_id)
    }
}

/// Loads an appointment the caller may see; 404 otherwise, existence never leaks.
pub async fn visible<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: AppointmentId,
) -> Result<appointment::Model> {
    appointment::Entity::find_by_id(id).one(db).await?.filter(|a| actor.sees(a)).ok_or(Error::NotFound)
}
