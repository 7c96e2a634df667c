//! Reports for admins (everything) and doctors (their own): appointments in
//! json, csv, xlsx or pdf, and home-visit travel times per doctor.

use std::collections::HashMap;

use axum::{
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};
use chrono::NaiveDate;
use kit::extract::Query;
use kit::{
    authz::{Authorized, DoctorsAndAdmins},
    identity::{AuthUser, Role},
    json::Json,
};
use sea_orm::{
    ColumnTrait, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, Func},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    actor::Actor,
    documents::table::Table,
    entity::{appointment, doctor, patient},
    error::{AppointmentError, Result},
    routes::appointments::{ListQuery, scoped},
    state::AppState,
};

/// A report holds at most this many rows; narrow the dates for more.
pub const MAX_ROWS: u64 = 50_000;

#[derive(Debug, Deserialize, IntoParams)]
pub struct ReportQuery {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub doctor_id: Option<i64>,
    /// `json` (default), `csv`, `xlsx` or `pdf`.
    pub format: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportRow {
    pub id: i64,
    pub date: NaiveDate,
    pub start_at: chrono::DateTime<chrono::Utc>,
    pub status: String,
    pub doctor_id: i64,
    pub doctor_name: String,
    pub patient_id: i64,
    pub patient_name: String,
    pub reason: String,
    pub travel_time_minutes: Option<i32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AppointmentReport {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub total: u64,
    pub by_status: HashMap<String, u64>,
    pub rows: Vec<ReportRow>,
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
        return Err(AppointmentError::invalid("format", "must be json, csv, xlsx or pdf"));
    }
    let filter = ListQuery {
        status: None,
        from: q.from,
        to: q.to,
        doctor_id: q.doctor_id,
        patient_id: None,
        page: None,
        per_page: None,
    };
    let db = &state.ctx.db;
    let query = scoped(&actor, &filter)?;
    let total = query.clone().count(db).await?;
    if total > MAX_ROWS {
        return Err(AppointmentError::invalid(
            "from",
            format!("more than {MAX_ROWS} appointments; narrow the dates"),
        ));
    }
    let rows = query
        .order_by_asc(appointment::Column::StartAt)
        .order_by_asc(appointment::Column::Id)
        .all(db)
        .await?;
    let doctor_names: HashMap<i64, String> =
        doctor::Entity::find().all(db).await?.into_iter().map(|d| (d.doctor_id, d.name)).collect();
    let patient_ids: Vec<i64> = rows.iter().map(|r| r.patient_id).collect();
    let patient_names: HashMap<i64, String> = patient::Entity::find()
        .filter(patient::Column::PatientId.is_in(patient_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.patient_id, p.name))
        .collect();
    let mut by_status = HashMap::new();
    let rows: Vec<ReportRow> = rows
        .into_iter()
        .map(|a| {
            *by_status.entry(a.status.clone()).or_insert(0) += 1;
            ReportRow {
                id: a.id,
                date: a.appointment_date,
                start_at: a.start_at,
                status: a.status,
                doctor_name: doctor_names.get(&a.doctor_id).cloned().unwrap_or_default(),
                doctor_id: a.doctor_id,
                patient_name: patient_names.get(&a.patient_id).cloned().unwrap_or_default(),
                patient_id: a.patient_id,
                reason: a.reason,
                travel_time_minutes: a.travel_time_minutes,
            }
        })
        .collect();
    if format == "json" {
        return Ok(Json(AppointmentReport { from: q.from, to: q.to, total, by_status, rows }).into_response());
    }
    let table = Table {
        title: "Appointments".into(),
        header: vec![
            "id",
            "date",
            "start_at",
            "status",
            "doctor_id",
            "doctor",
            "patient_id",
            "patient",
            "reason",
            "travel_minutes",
        ],
        rows: rows
            .into_iter()
            .map(|r| {
                vec![
                    r.id.to_string(),
                    r.date.to_string(),
                    r.start_at.to_rfc3339(),
                    r.status,
                    r.doctor_id.to_string(),
                    r.doctor_name,
                    r.patient_id.to_string(),
                    r.patient_name,
                    r.reason,
                    r.travel_time_minutes.map(|m| m.to_string()).unwrap_or_default(),
                ]
            })
            .collect(),
    };
    download(&table, format)
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

#[derive(Debug, Serialize, ToSchema)]
pub struct TravelTimes {
    pub doctor_id: i64,
    pub count: i64,
    /// Minutes, summed over the visits.
    pub total: i64,
    pub avg: f64,
    pub min: i64,
    pub max: i64,
}

/// The aggregate as the database returns it; the average is computed here
/// because MySQL answers AVG/SUM as DECIMAL and SQLite as REAL/INTEGER.
#[derive(Debug, FromQueryResult)]
struct TravelRow {
    doctor_id: i64,
    count: i64,
    total: i64,
    min: i64,
    max: i64,
}

#[utoipa::path(get, path = "/api/v1/reports/travel-times", tag = "reports", params(TravelQuery),
    responses((status = 200, body = [TravelTimes]), (status = 403)))]
pub async fn travel_times(
    State(state): State<AppState>,
    caller: Authorized<DoctorsAndAdmins>,
    Query(q): Query<TravelQuery>,
) -> Result<Json<Vec<TravelTimes>>> {
    let actor = report_actor(&state, &caller).await?;
    let filter = ListQuery {
        status: None,
        from: q.from,
        to: q.to,
        doctor_id: q.doctor_id,
        patient_id: None,
        page: None,
        per_page: None,
    };
    let minutes = || Expr::col(appointment::Column::TravelTimeMinutes);
    let rows = scoped(&actor, &filter)?
        .select_only()
        .column(appointment::Column::DoctorId)
        .expr_as(Func::count(minutes()), "count")
        // SUM of an INT is DECIMAL on MySQL; as an integer it decodes on both.
        .expr_as(Func::cast_as(Func::sum(minutes()), "SIGNED"), "total")
        .expr_as(Func::min(minutes()), "min")
        .expr_as(Func::max(minutes()), "max")
        .filter(appointment::Column::TravelTimeMinutes.is_not_null())
        .group_by(appointment::Column::DoctorId)
        .order_by_asc(appointment::Column::DoctorId)
        .into_model::<TravelRow>()
        .all(&state.ctx.db)
        .await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| TravelTimes {
                doctor_id: r.doctor_id,
                count: r.count,
                total: r.total,
                avg: if r.count > 0 { (r.total as f64 / r.count as f64 * 10.0).round() / 10.0 } else { 0.0 },
                min: r.min,
                max: r.max,
            })
            .collect(),
    ))
}
