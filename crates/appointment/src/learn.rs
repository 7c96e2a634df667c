//! Read your own writes: the patient and doctor directories are filled by
//! events, which may still be on their way when a new patient's or
//! doctor's first call arrives. A miss asks the owner once for the event
//! that would have filled it and handles it here as the bus would
//! (`kit::internal::learn`); its delivery later is a no-op. Someone the
//! owner does not know stays unknown, as before.

use kit::{
    Error, Result,
    events::catalog::EventType,
    ids::{DoctorId, PatientId, UserId},
    service::ServiceContext,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::{
    entity::{appointment, doctor, patient},
    events::AppointmentEvents,
    status::Status,
};

/// The patient record of account `user_id`.
pub async fn patient_of_user(ctx: &ServiceContext, user_id: UserId) -> Result<Option<patient::Model>> {
    let find = || patient::Entity::find().filter(patient::Column::UserId.eq(user_id)).one(&ctx.db);
    if let Some(p) = find().await? {
        return Ok(Some(p));
    }
    let path = format!("/internal/patients/by-user/{user_id}");
    let kind = EventType::PatientRegistered;
    if !kit::internal::learn(ctx, &AppointmentEvents, "patient", &path, kit::internal::of_kind(kind)).await? {
        return Ok(None);
    }
    Ok(find().await?)
}

/// Patient record `id`.
pub async fn patient(ctx: &ServiceContext, id: PatientId) -> Result<Option<patient::Model>> {
    if let Some(p) = patient::Entity::find_by_id(id).one(&ctx.db).await? {
        return Ok(Some(p));
    }
    let (path, subject) = (format!("/internal/patients/{id}/registered"), format!("patient/{id}"));
    let kind = EventType::PatientRegistered;
    if !kit::internal::learn(ctx, &AppointmentEvents, "patient", &path, kit::internal::about(kind, &subject))
        .await?
    {
        return Ok(None);
    }
    Ok(patient::Entity::find_by_id(id).one(&ctx.db).await?)
}

/// The doctor profile of account `user_id`.
pub async fn doctor_of_user(ctx: &ServiceContext, user_id: UserId) -> Result<Option<doctor::Model>> {
    let find = || doctor::Entity::find().filter(doctor::Column::UserId.eq(user_id)).one(&ctx.db);
    if let Some(d) = find().await? {
        return Ok(Some(d));
    }
    let path = format!("/internal/doctors/by-user/{user_id}");
    if !kit::internal::learn(
        ctx,
        &AppointmentEvents,
        "doctor",
        &path,
        kit::internal::of_kind(EventType::DoctorChanged),
    )
    .await?
    {
        return Ok(None);
    }
    Ok(find().await?)
}

/// Doctor profile `id`.
pub async fn doctor(ctx: &ServiceContext, id: DoctorId) -> Result<Option<doctor::Model>> {
    if let Some(d) = doctor::Entity::find_by_id(id).one(&ctx.db).await? {
        return Ok(Some(d));
    }
    let (path, subject) = (format!("/internal/doctors/{id}/changed"), format!("doctor/{id}"));
    let kind = EventType::DoctorChanged;
    if !kit::internal::learn(ctx, &AppointmentEvents, "doctor", &path, kit::internal::about(kind, &subject))
        .await?
    {
        return Ok(None);
    }
    Ok(doctor::Entity::find_by_id(id).one(&ctx.db).await?)
}

/// `GET /internal/visits/{patient_id}/{doctor_id}`: for the rating
/// service's eligibility, which may not have heard yet of a visit just
/// completed — the latest event of one appointment between the two that
/// makes the patient eligible (completed, or approved and started), or 404.
pub async fn seen(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    _caller: kit::internal::ServiceCaller,
    kit::extract::Path((patient_id, doctor_id)): kit::extract::Path<(i64, i64)>,
) -> Result<kit::json::Json<kit::events::Event>> {
    use sea_orm::{Condition, QueryOrder};
    let seen = Condition::any().add(appointment::Column::Status.eq(Status::Completed)).add(
        Condition::all()
            .add(appointment::Column::Status.eq(Status::Approved))
            .add(appointment::Column::StartAt.lt(chrono::Utc::now())),
    );
    let visit = appointment::Entity::find()
        .filter(appointment::Column::PatientId.eq(PatientId(patient_id)))
        .filter(appointment::Column::DoctorId.eq(DoctorId(doctor_id)))
        .filter(seen)
        .order_by_desc(appointment::Column::UpdatedAt)
        .one(&state.ctx.db)
        .await?
        .ok_or(Error::NotFound)?;
    kit::internal::last_event(&state.ctx.db, &format!("appointment/{}", visit.id)).await
}
