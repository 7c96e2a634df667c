//! The status machine of api.md: who may move an appointment where.
//!
//! | action     | who                          | from              | to        |
//! |------------|------------------------------|-------------------|-----------|
//! | approve    | its doctor, admin            | pending           | approved  |
//! | cancel     | its patient*, its doctor, admin | pending, approved | cancelled |
//! | reschedule | its patient*, its doctor, admin | pending, approved | (same; patient's goes back to pending) |
//! | complete   | its doctor                   | approved          | completed |
//! | no-show    | its doctor                   | approved          | no_show   |
//!
//! \* patients not later than the cancellation deadline before the start.
//! Order of answers: 404 when the caller may not see it, 403 when the
//! caller's role may not take the action, 409 when the state forbids it.
//! Every move is a conditional update (`WHERE status IN …`), so of two
//! racing moves one wins and the other gets 409.

use axum::extract::State;
use chrono::{Duration, NaiveDate, Utc};
use kit::extract::Path;
use kit::{
    authz::{Authorized, Doctors},
    events::catalog,
    identity::AuthUser,
    json::{Json, ValidJson},
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
    sea_query::{Expr, SimpleExpr},
};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::{
    actor::{self, Actor},
    announce::announce,
    entity::{appointment, doctor},
    error::{AppointmentError, Result},
    routes::appointments::{Appointment, place, refuse_patient_overlap, reminder_at, slot_taken},
    state::AppState,
    status,
};

/// Applies `sets` to appointment `id` if its status is one of `from`;
/// 409 otherwise. Returns the row as it is now.
async fn advance<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    from: &[&str],
    sets: Vec<(appointment::Column, SimpleExpr)>,
) -> Result<appointment::Model> {
    let mut update = appointment::Entity::update_many()
        .col_expr(appointment::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(appointment::Column::Id.eq(id))
        .filter(appointment::Column::Status.is_in(from.iter().copied()));
    for (col, value) in sets {
        update = update.col_expr(col, value);
    }
    // Only a move onto another slot can trip the no-double-booking index.
    if update.exec(conn).await.map_err(slot_taken)?.rows_affected == 0 {
        return Err(AppointmentError::conflict(format!(
            "only a {} appointment can do that",
            from.join(" or ")
        )));
    }
    appointment::Entity::find_by_id(id).one(conn).await?.ok_or(AppointmentError::NotFound)
}

fn to_status(s: &str) -> Vec<(appointment::Column, SimpleExpr)> {
    vec![
        (appointment::Column::Status, Expr::value(s)),
        (appointment::Column::ActiveSlot, Expr::value(status::slot_hold(s))),
    ]
}

/// Patients act on their own appointments only up to the deadline.
fn check_deadline(state: &AppState, actor: &Actor, a: &appointment::Model) -> Result<()> {
    if let Actor::Patient(_) = actor {
        let deadline = a.start_at - Duration::minutes(state.ctx.settings.cancellation_deadline_minutes);
        if Utc::now() > deadline {
            return Err(AppointmentError::conflict(format!(
                "too late: patients may change an appointment until {} minutes before it starts",
                state.ctx.settings.cancellation_deadline_minutes
            )));
        }
    }
    Ok(())
}

async fn load(state: &AppState, caller: &AuthUser, id: i64) -> Result<(Actor, appointment::Model)> {
    let actor = Actor::resolve(&state.ctx, caller).await?;
    let a = actor::visible(&state.ctx.db, &actor, id).await?;
    Ok((actor, a))
}

async fn finish(
    state: &AppState,
    id: i64,
    from: &[&str],
    sets: Vec<(appointment::Column, SimpleExpr)>,
    kind: &str,
) -> Result<Json<Appointment>> {
    let mut retry = kit::db::Retry::default();
    let row = loop {
        let attempt = async {
            let txn = kit::db::begin_write(&state.ctx.db).await?;
            let row = advance(&txn, id, from, sets.clone()).await?;
            announce(&txn, kind, &row).await?;
            txn.commit().await?;
            Ok::<_, AppointmentError>(row)
        };
        match attempt.await {
            Err(e) if retry.again(&e).await => continue,
            done => break done?,
        }
    };
    Ok(Json(row.into()))
}

#[utoipa::path(post, path = "/api/v1/appointments/{id}/approve", tag = "appointments",
    responses((status = 200, body = Appointment), (status = 403), (status = 404), (status = 409)))]
pub async fn approve(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<Appointment>> {
    let (actor, a) = load(&state, &caller, id).await?;
    if !(actor.is_admin() || actor.is_its_doctor(&a)) {
        return Err(AppointmentError::Forbidden("only its doctor or an admin approves"));
    }
    finish(&state, id, &[status::PENDING], to_status(status::APPROVED), catalog::APPOINTMENT_APPROVED).await
}

#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
pub struct CancelRequest {
    #[validate(length(max = 255, message = "at most 255 characters"))]
    pub reason: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/appointments/{id}/cancel", tag = "appointments", request_body = CancelRequest,
    responses((status = 200, body = Appointment), (status = 404), (status = 409)))]
pub async fn cancel(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<i64>,
    body: Option<ValidJson<CancelRequest>>,
) -> Result<Json<Appointment>> {
    let (actor, a) = load(&state, &caller, id).await?;
    check_deadline(&state, &actor, &a)?;
    let reason = body.and_then(|ValidJson(b)| b.reason);
    let mut sets = to_status(status::CANCELLED);
    sets.push((appointment::Column::CancelReason, Expr::value(reason)));
    finish(&state, id, &status::ACTIVE, sets, catalog::APPOINTMENT_CANCELLED).await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RescheduleRequest {
    pub schedule_id: i64,
    pub date: NaiveDate,
}

#[utoipa::path(post, path = "/api/v1/appointments/{id}/reschedule", tag = "appointments", request_body = RescheduleRequest,
    responses((status = 200, body = Appointment), (status = 404), (status = 409), (status = 422)))]
pub async fn reschedule(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<i64>,
    Json(req): Json<RescheduleRequest>,
) -> Result<Json<Appointment>> {
    let (actor, a) = load(&state, &caller, id).await?;
    check_deadline(&state, &actor, &a)?;
    let db = &state.ctx.db;
    let doctor = doctor::Entity::find_by_id(a.doctor_id).one(db).await?.ok_or(AppointmentError::NotFound)?;
    let mut retry = kit::db::Retry::default();
    let row = loop {
        match move_appointment(&state, &actor, &doctor, id, &req).await {
            Err(e) if retry.again(&e).await => continue,
            done => break done?,
        }
    };
    Ok(Json(row.into()))
}

/// The reschedule's write transaction: one UPDATE moves the row.
async fn move_appointment(
    state: &AppState,
    actor: &Actor,
    doctor: &doctor::Model,
    id: i64,
    req: &RescheduleRequest,
) -> Result<appointment::Model> {
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    // Re-read under lock: the status may have moved since `load`.
    let current = appointment::Entity::find_by_id(id)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or(AppointmentError::NotFound)?;
    if !status::is_active(&current.status) {
        return Err(AppointmentError::conflict("only a pending or approved appointment can be rescheduled"));
    }
    let slot = place(&txn, doctor, req.schedule_id, req.date).await?;
    refuse_patient_overlap(&txn, current.patient_id, slot.start_at, slot.end_at, Some(id)).await?;
    // A patient's move needs the doctor's approval again.
    let new_status =
        if matches!(actor, Actor::Patient(_)) { status::PENDING } else { current.status.as_str() };
    // One UPDATE moves the row: the old slot is released exactly when the
    // new one is taken, and the unique index refuses a taken one.
    let mut sets = to_status(new_status);
    sets.extend([
        (appointment::Column::ScheduleId, Expr::value(slot.schedule.id)),
        (appointment::Column::AppointmentDate, Expr::value(slot.date)),
        (appointment::Column::StartAt, Expr::value(slot.start_at)),
        (appointment::Column::EndAt, Expr::value(slot.end_at)),
        (appointment::Column::ReminderSentAt, Expr::value(Option::<chrono::DateTime<Utc>>::None)),
        (
            appointment::Column::ReminderAt,
            Expr::value(reminder_at(&txn, state, current.patient_id, slot.start_at).await?),
        ),
    ]);
    let row = advance(&txn, id, &status::ACTIVE, sets).await?;
    announce(&txn, catalog::APPOINTMENT_RESCHEDULED, &row).await?;
    txn.commit().await?;
    Ok(row)
}

#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
pub struct CompleteRequest {
    #[validate(length(max = 5000, message = "at most 5000 characters"))]
    pub doctor_comment: Option<String>,
}

fn its_doctor_only(actor: &Actor, a: &appointment::Model) -> Result<()> {
    if actor.is_its_doctor(a) {
        Ok(())
    } else {
        Err(AppointmentError::Forbidden("only its doctor may do this"))
    }
}

#[utoipa::path(post, path = "/api/v1/appointments/{id}/complete", tag = "appointments", request_body = CompleteRequest,
    responses((status = 200, body = Appointment), (status = 403), (status = 404), (status = 409)))]
pub async fn complete(
    State(state): State<AppState>,
    caller: Authorized<Doctors>,
    Path(id): Path<i64>,
    body: Option<ValidJson<CompleteRequest>>,
) -> Result<Json<Appointment>> {
    let (actor, a) = load(&state, &caller, id).await?;
    its_doctor_only(&actor, &a)?;
    let mut sets = to_status(status::COMPLETED);
    if let Some(comment) = body.and_then(|ValidJson(b)| b.doctor_comment) {
        sets.push((appointment::Column::DoctorComment, Expr::value(comment)));
    }
    finish(&state, id, &[status::APPROVED], sets, catalog::APPOINTMENT_COMPLETED).await
}

#[utoipa::path(post, path = "/api/v1/appointments/{id}/no-show", tag = "appointments",
    responses((status = 200, body = Appointment), (status = 403), (status = 404), (status = 409)))]
pub async fn no_show(
    State(state): State<AppState>,
    caller: Authorized<Doctors>,
    Path(id): Path<i64>,
) -> Result<Json<Appointment>> {
    let (actor, a) = load(&state, &caller, id).await?;
    its_doctor_only(&actor, &a)?;
    finish(&state, id, &[status::APPROVED], to_status(status::NO_SHOW), catalog::APPOINTMENT_NO_SHOW).await
}

#[utoipa::path(post, path = "/api/v1/appointments/{id}/check-in", tag = "appointments",
    responses((status = 200, body = Appointment), (status = 403), (status = 404), (status = 409)))]
pub async fn check_in(
    State(state): State<AppState>,
    caller: Authorized<Doctors>,
    Path(id): Path<i64>,
) -> Result<Json<Appointment>> {
    let (actor, a) = load(&state, &caller, id).await?;
    its_doctor_only(&actor, &a)?;
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    let done = appointment::Entity::update_many()
        .col_expr(appointment::Column::CheckInTime, Expr::value(Utc::now()))
        .col_expr(appointment::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(appointment::Column::Id.eq(id))
        .filter(appointment::Column::Status.eq(status::APPROVED))
        .filter(appointment::Column::CheckInTime.is_null())
        .exec(&txn)
        .await?;
    if done.rows_affected == 0 {
        return Err(AppointmentError::conflict("check-in needs an approved appointment not yet checked in"));
    }
    let row = appointment::Entity::find_by_id(id).one(&txn).await?.ok_or(AppointmentError::NotFound)?;
    txn.commit().await?;
    Ok(Json(row.into()))
}

#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
pub struct CheckOutRequest {
    /// Minutes spent travelling; when absent, the time since check-in.
    #[validate(range(min = 0, max = 1440, message = "must be between 0 and 1440"))]
    pub travel_time_minutes: Option<i32>,
}

#[utoipa::path(post, path = "/api/v1/appointments/{id}/check-out", tag = "appointments", request_body = CheckOutRequest,
    responses((status = 200, body = Appointment), (status = 403), (status = 404), (status = 409)))]
pub async fn check_out(
    State(state): State<AppState>,
    caller: Authorized<Doctors>,
    Path(id): Path<i64>,
    body: Option<ValidJson<CheckOutRequest>>,
) -> Result<Json<Appointment>> {
    let (actor, a) = load(&state, &caller, id).await?;
    its_doctor_only(&actor, &a)?;
    let Some(checked_in) = a.check_in_time else {
        return Err(AppointmentError::conflict("check in first"));
    };
    let now = Utc::now();
    let minutes = body
        .and_then(|ValidJson(b)| b.travel_time_minutes)
        .unwrap_or_else(|| i32::try_from((now - checked_in).num_minutes().max(0)).unwrap_or(i32::MAX));
    let txn = kit::db::begin_write(&state.ctx.db).await?;
    let done = appointment::Entity::update_many()
        .col_expr(appointment::Column::CheckOutTime, Expr::value(now))
        .col_expr(appointment::Column::TravelTimeMinutes, Expr::value(minutes))
        .col_expr(appointment::Column::UpdatedAt, Expr::value(now))
        .filter(appointment::Column::Id.eq(id))
        .filter(appointment::Column::CheckInTime.is_not_null())
        .filter(appointment::Column::CheckOutTime.is_null())
        .exec(&txn)
        .await?;
    if done.rows_affected == 0 {
        return Err(AppointmentError::conflict("already checked out"));
    }
    let row = appointment::Entity::find_by_id(id).one(&txn).await?.ok_or(AppointmentError::NotFound)?;
    txn.commit().await?;
    Ok(Json(row.into()))
}
