//! `GET /api/v1/doctors/stats`: the admin dashboard's doctor figures (the
//! counting is in [`crate::stats`]). A static segment: axum prefers it to
//! `/api/v1/doctors/{id}`.

use axum::extract::State;
use kit::extract::Query;
use kit::{
    Result,
    authz::{Admins, Authorized},
    json::Json,
    stats::DayRange,
};

use crate::{
    state::AppState,
    stats::{self, DoctorStats},
};

#[utoipa::path(get, path = "/api/v1/doctors/stats", tag = "doctors", params(DayRange),
    responses((status = 200, body = DoctorStats), (status = 401), (status = 403),
        (status = 422, description = "to before from")))]
pub async fn get(
    State(state): State<AppState>,
    _: Authorized<Admins>,
    Query(range): Query<DayRange>,
) -> Result<Json<DoctorStats>> {
    Ok(Json(stats::compute(&state.ctx.db, range.check()?).await?))
}
