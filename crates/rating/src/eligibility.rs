//! Who may rate whom: a patient who has seen the doctor. Decided on the
//! `visits` read model, so no call to the appointment service is needed.

use chrono::{DateTime, Utc};
use kit::{
    events::catalog::AppointmentStatus,
    identity::AuthUser,
    ids::{DoctorId, PatientId},
};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter};

use crate::entity::{patient, visit};

/// The answer to a patient who has not (yet) seen the doctor they rate.
pub fn not_eligible() -> kit::Error {
    kit::Error::forbidden("you may rate a doctor after a completed (or approved and past) appointment")
}

/// The patient record behind a patient's token; `None` while the record
/// has not reached this service (or for other roles).
pub async fn patient_of<C: ConnectionTrait>(
    conn: &C,
    caller: &AuthUser,
) -> Result<Option<patient::Model>, DbErr> {
    patient::Entity::find().filter(patient::Column::UserId.eq(caller.user_id)).one(conn).await
}

/// True when `patient_id` has a completed appointment with `doctor_id`, or
/// an approved one that started before `now`.
pub async fn may_rate<C: ConnectionTrait>(
    conn: &C,
    patient_id: PatientId,
    doctor_id: DoctorId,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let seen = Condition::any()
        .add(visit::Column::Status.eq(AppointmentStatus::Completed))
        // An approved visit counts once its start is past: doctors do not
        // always mark visits completed, and the patient was there all the same.
        .add(
            Condition::all()
                .add(visit::Column::Status.eq(AppointmentStatus::Approved))
                .add(visit::Column::StartAt.lt(now)),
        );
    let n = visit::Entity::find()
        .filter(visit::Column::PatientId.eq(patient_id))
        .filter(visit::Column::DoctorId.eq(doctor_id))
        .filter(seen)
        .count(conn)
        .await?;
    Ok(n > 0)
}
