//! The latest status (and travel time) of every appointment, per doctor.

use kit::events::{HandlerError, catalog};
use sea_orm::{ActiveModelTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, Set};

use crate::entity::appointment_fact;

pub async fn record(txn: &DatabaseTransaction, a: catalog::AppointmentChanged) -> Result<(), HandlerError> {
    match appointment_fact::Entity::find_by_id(a.appointment_id).one(txn).await? {
        Some(fact) => {
            let mut active = fact.into_active_model();
            active.status = Set(a.status);
            if a.travel_time_minutes.is_some() {
                active.travel_time_minutes = Set(a.travel_time_minutes);
            }
            active.update(txn).await?;
        }
        None => {
            appointment_fact::ActiveModel {
                appointment_id: Set(a.appointment_id),
                doctor_id: Set(a.doctor_id),
                status: Set(a.status),
                travel_time_minutes: Set(a.travel_time_minutes),
            }
            .insert(txn)
            .await?;
        }
    }
    Ok(())
}
