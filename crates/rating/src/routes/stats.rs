//! `GET /api/v1/ratings/stats`: the admin dashboard's rating figures (the
//! counting is in [`crate::stats`]).

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
    stats::{self, RatingStats},
};

#[utoipa::path(get, path = "/api/v1/ratings/stats", tag = "ratings", params(DayRange),
    responses((status = 200, body = RatingStats), (status = 401), (status = 403),
        (status = 422, description = "to before from")))]
pub async fn get(
    State(state): State<AppState>,
    _: Authorized<Admins>,
    Query(range): Query<DayRange>,
) -> Result<Json<RatingStats>> {
    Ok(Json(stats::compute(&state.ctx.db, range.check()?).await?))
}
