//! `GET /api/v1/appointments/stats`: the admin dashboard's appointment
//! figures (the counting is in [`crate::reports::stats`]).

use axum::extract::State;
use chrono_tz::Tz;
use kit::extract::Query;
use kit::{
    Error, Result,
    authz::{Admins, Authorized},
    json::Json,
    stats::DayRange,
};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::{
    reports::stats::{self, AppointmentStats},
    state::AppState,
};

#[derive(Debug, Deserialize, IntoParams)]
pub struct StatsQuery {
    /// First appointment date counted (`YYYY-MM-DD`).
    pub from: Option<chrono::NaiveDate>,
    /// Last appointment date counted (`YYYY-MM-DD`).
    pub to: Option<chrono::NaiveDate>,
    /// IANA zone whose "today" is counted; UTC when absent.
    pub tz: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/appointments/stats", tag = "reports", params(StatsQuery),
    responses((status = 200, body = AppointmentStats), (status = 401), (status = 403),
        (status = 422, description = "to before from, or tz not an IANA zone")))]
pub async fn get(
    State(state): State<AppState>,
    _: Authorized<Admins>,
    Query(q): Query<StatsQuery>,
) -> Result<Json<AppointmentStats>> {
    let range = DayRange { from: q.from, to: q.to }.check()?;
    let zone = match q.tz.as_deref() {
        None | Some("") => Tz::UTC,
        Some(name) => name
            .parse()
            .map_err(|_| Error::invalid("tz", "is not an IANA time zone (like Africa/Casablanca)"))?,
    };
    Ok(Json(stats::compute(&state.ctx.db, range, zone).await?))
}
