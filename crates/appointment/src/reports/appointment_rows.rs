//! The appointment report: every appointment in scope with the doctor's
//! and patient's names, counted by status.

use std::collections::HashMap;

use chrono::NaiveDate;
use kit::{
    Error, Result,
    ids::{DoctorId, PatientId},
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    actor::Actor,
    documents::table::Table,
    entity::{appointment, doctor, patient},
    scope::{Filter, scoped},
};

/// A report holds at most this many rows; narrow the dates for more.
pub const MAX_ROWS: u64 = 50_000;

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

/// The report of what `actor` may see within `filter`, in start order;
/// 422 beyond [`MAX_ROWS`].
pub async fn report<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    filter: &Filter,
) -> Result<AppointmentReport> {
    let query = scoped(actor, filter)?;
    let total = query.clone().count(conn).await?;
    if total > MAX_ROWS {
        return Err(Error::invalid("from", format!("more than {MAX_ROWS} appointments; narrow the dates")));
    }
    let rows = query
        .order_by_asc(appointment::Column::StartAt)
        .order_by_asc(appointment::Column::Id)
        .all(conn)
        .await?;
    let doctor_names: HashMap<DoctorId, String> =
        doctor::Entity::find().all(conn).await?.into_iter().map(|d| (d.doctor_id, d.name)).collect();
    let patient_ids: Vec<PatientId> = rows.iter().map(|r| r.patient_id).collect();
    let patient_names: HashMap<PatientId, String> = patient::Entity::find()
        .filter(patient::Column::PatientId.is_in(patient_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.patient_id, p.name))
        .collect();
    let mut by_status = HashMap::new();
    let rows: Vec<ReportRow> = rows
        .into_iter()
        .map(|a| {
            *by_status.entry(a.status.to_string()).or_insert(0) += 1;
            ReportRow {
                id: a.id.0,
                date: a.appointment_date,
                start_at: a.start_at,
                status: a.status.to_string(),
                doctor_name: doctor_names.get(&a.doctor_id).cloned().unwrap_or_default(),
                doctor_id: a.doctor_id.0,
                patient_name: patient_names.get(&a.patient_id).cloned().unwrap_or_default(),
                patient_id: a.patient_id.0,
                reason: a.reason,
                travel_time_minutes: a.travel_time_minutes,
            }
        })
        .collect();
    Ok(AppointmentReport { from: filter.from, to: filter.to, total, by_status, rows })
}

/// The report's rows as a table, for the csv, xlsx and pdf downloads.
pub fn table(rows: Vec<ReportRow>) -> Table {
    Table {
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
    }
}
