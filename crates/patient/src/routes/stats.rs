//! `GET /api/v1/patients/stats`: the admin dashboard's patient figures
//! (the counting is in [`crate::stats`]). A static segment: axum prefers
//! it to `/api/v1/patients/{id}`.

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
    stats::{self, PatientStats},
};

#[utoipa::path(get, path = "/api/v1/patients/stats", tag = "patients", params(DayRange),
    responses((status = 200, body = PatientStats), (status = 401), (status = 403),
        (status = 422, description = "to before from")))]
pub async fn get(
    State(state): State<AppState>,
    _: Authorized<Admins>,
    Query(range): Query<DayRange>,
) -> Result<Json<PatientStats>> {
    Ok(Json(stats::compute(&state.ctx.db, range.check()?).await?))
}
