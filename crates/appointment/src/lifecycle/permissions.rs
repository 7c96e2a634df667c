//! Which caller may take which action on an appointment they can see.

use kit::{Error, Result};

use crate::{actor::Actor, entity::appointment};

/// Approving: its doctor or an admin.
pub fn may_approve(actor: &Actor, a: &appointment::Model) -> Result<()> {
    if actor.is_admin() || actor.is_its_doctor(a) {
        Ok(())
    } else {
        Err(Error::forbidden("only its doctor or an admin approves"))
    }
}

/// Completing, no-show and visits: its doctor only, not even an admin.
pub fn its_doctor_only(actor: &Actor, a: &appointment::Model) -> Result<()> {
    if actor.is_its_doctor(a) { Ok(()) } else { Err(Error::forbidden("only its doctor may do this")) }
}
