//! Reports over HTTP (built by [`crate::reports`]): appointments in json,
//! csv, xlsx or pdf, and home-visit travel times per doctor.

use axum::{
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};
use chrono::NaiveDate;
use kit::extract::Query;
use kit::{
    Error, Result,
    authz::{Authorized, DoctorsAndAdmins},
    identity::{AuthUser, Role},
    ids::DoctorId,
    json::Json,
};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::{
    actor::Actor,
    documents::table::Table,
    reports::{
        appointment_rows::{self, AppointmentReport},
        travel_times::{self, TravelTimes},
    },
    scope::Filter,
    state::AppState,
};

#[derive(Debug, Deserialize, IntoParams)]
pub struct ReportQuery {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub doctor_id: Option<i64>,
    /// `json` (default), `csv`, `xlsx` or `pdf`.
    pub format: Option<String>,
}

async fn report_actor(state: &AppState, caller: &AuthUser) -> Result<Actor> {
    caller.require(&[Role::Admin, Role::Doctor])?;
    Actor::resolve(&state.ctx, caller).await
}

#[utoipa::path(get, path = "/api/v1/reports/appointments", tag = "reports", params(ReportQuery),
    responses((status = 200, body = AppointmentReport, description = "json; csv, xlsx and pdf by `format`"),
        (status = 403), (status = 422)))]
pub async fn appointments(
    State(state): State<AppState>,
    caller: Authorized<DoctorsAndAdmins>,
    Query(q): Query<ReportQuery>,
) -> Result<Response> {
    let actor = report_actor(&state, &caller).await?;
    let format = q.format.as_deref().unwrap_or("json");
    if !["json", "csv", "xlsx", "pdf"].contains(&format) {
        return Err(Error::invalid("format", "must be json, csv, xlsx or pdf"));
    }
    let filter = Filter { from: q.from, to: q.to, doctor_id: q.doctor_id.map(DoctorId), ..Filter::default() };
    let report = appointment_rows::report(&state.ctx.db, &actor, &filter).await?;
    if format == "json" {
        return Ok(Json(report).into_response());
    }
    download(&appointment_rows::table(report.rows), format)
}

/// The table as a file of `format`, offered for download.
fn download(table: &Table, format: &str) -> Result<Response> {
    let (bytes, mime) = match format {
        "csv" => (table.csv()?, "text/csv; charset=utf-8"),
        "xlsx" => (
            table.xlsx().map_err(|e| anyhow::anyhow!("xlsx: {e}"))?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        _ => (table.pdf(), "application/pdf"),
    };
    let disposition = format!("attachment; filename=\"appointments.{format}\"");
    Ok(([(header::CONTENT_TYPE, mime.to_owned()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response())
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct TravelQuery {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub doctor_id: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/reports/travel-times", tag = "reports", params(TravelQuery),
    responses((status = 200, body = [TravelTimes]), (status = 403)))]
pub async fn travel_times(
    State(state): State<AppState>,
    caller: Authorized<DoctorsAndAdmins>,
    Query(q): Query<TravelQuery>,
) -> Result<Json<Vec<TravelTimes>>> {
    let actor = report_actor(&state, &caller).await?;
    let filter = Filter { from: q.from, to: q.to, doctor_id: q.doctor_id.map(DoctorId), ..Filter::default() };
    Ok(Json(travel_times::travel_times(&state.ctx.db, &actor, &filter).await?))
}
