//! A patient holds at most one active appointment at any moment.

use chrono::{DateTime, Utc};
use kit::{
    Error, Result,
    ids::{AppointmentId, PatientId},
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect};

use crate::entity::{appointment, patient};

/// 409: the patient is already booked at that time.
pub fn patient_busy() -> Error {
    Error::conflict("the patient already has an appointment at that time")
}

/// 409 when the patient already holds an active appointment overlapping
/// `[start, end)` (other than `except`). The patient's directory row is
/// locked first, so two bookings of one patient take turns on MySQL;
/// SQLite's write transactions already do.
pub async fn refuse_patient_overlap<C: ConnectionTrait>(
    conn: &C,
    patient_id: PatientId,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    except: Option<AppointmentId>,
) -> Result<()> {
    patient::Entity::find_by_id(patient_id).lock_exclusive().one(conn).await?;
    let mut q = appointment::Entity::find()
        .filter(appointment::Column::PatientId.eq(patient_id))
        .filter(appointment::Column::ActiveSlot.eq(true))
        .filter(appointment::Column::StartAt.lt(end))
        .filter(appointment::Column::EndAt.gt(start));
    if let Some(id) = except {
        q = q.filter(appointment::Column::Id.ne(id));
    }
    if q.count(conn).await? > 0 {
        return Err(patient_busy());
    }
    Ok(())
}
