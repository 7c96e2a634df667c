//! A doctor's numbers, counted from the appointment facts read model.

use axum::extract::State;
use kit::extract::Path;
use kit::{Error, Result};
use kit::{
    identity::{AuthUser, Role},
    json::Json,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    entity::{appointment_fact, doctor},
    state::AppState,
};

#[derive(Debug, Default, Serialize, ToSchema)]
pub struct Metrics {
    pub appointments_total: i64,
    pub completed: i64,
    pub cancelled: i64,
    pub no_show: i64,
    pub expired: i64,
    /// no-shows among visits that were due (completed + no-show), 0..1.
    pub no_show_rate: f64,
    pub avg_rating: f64,
    pub rating_count: i64,
    /// Over visits with a recorded travel time; null when none.
    pub avg_travel_minutes: Option<f64>,
}

#[utoipa::path(get, path = "/api/v1/doctors/{id}/metrics", tag = "doctors", params(("id" = i64, Path)),
    responses((status = 200, body = Metrics), (status = 403), (status = 404)))]
pub async fn get(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<i64>,
) -> Result<Json<Metrics>> {
    let profile = doctor::Entity::find_by_id(id).one(&state.ctx.db).await?.ok_or(Error::NotFound)?;
    let own = caller.is(Role::Doctor) && caller.user_id == profile.user_id;
    if !(own || caller.is(Role::Admin)) {
        return Err(Error::forbidden("only the doctor and admins see these numbers"));
    }
    // One doctor's facts are thousands of small rows at most: counted here
    // rather than with a GROUP BY per column.
    let facts = appointment_fact::Entity::find()
        .filter(appointment_fact::Column::DoctorId.eq(id))
        .all(&state.ctx.db)
        .await?;
    let mut m =
        Metrics { avg_rating: profile.avg_rating, rating_count: profile.rating_count, ..Default::default() };
    let (mut travel_sum, mut travel_n) = (0i64, 0i64);
    for f in &facts {
        m.appointments_total += 1;
        match f.status.as_str() {
            "completed" => m.completed += 1,
            "cancelled" => m.cancelled += 1,
            "no_show" => m.no_show += 1,
            "expired" => m.expired += 1,
            _ => {}
        }
        if let Some(t) = f.travel_time_minutes {
            travel_sum += i64::from(t);
            travel_n += 1;
        }
    }
    let due = m.completed + m.no_show;
    m.no_show_rate = if due > 0 { m.no_show as f64 / due as f64 } else { 0.0 };
    m.avg_travel_minutes = (travel_n > 0).then(|| travel_sum as f64 / travel_n as f64);
    Ok(Json(m))
}
