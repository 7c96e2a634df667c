//! The monolith's `schedules` and `appointments` rows. `TIME` columns are
//! read as times of day; `day` is the weekday name (written on one-off
//! rows too).

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use sea_orm::{DatabaseConnection, DbErr, FromQueryResult};

#[derive(Debug, Clone, FromQueryResult)]
pub struct ScheduleRow {
    pub id: i64,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub day: String,
    pub specific_date: Option<NaiveDate>,
    pub doctor_id: i64,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, FromQueryResult)]
pub struct AppointmentRow {
    pub id: i64,
    pub reason: String,
    pub status: String,
    pub appointment_date: NaiveDate,
    pub doctor_comment: Option<String>,
    pub patient_id: i64,
    pub doctor_id: i64,
    pub schedule_id: i64,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
    pub check_in_time: Option<DateTime<Utc>>,
    pub check_out_time: Option<DateTime<Utc>>,
    pub travel_time_minutes: Option<i32>,
    /// `Patient_Disponibility`.
    pub patient_availability: Option<String>,
}

pub async fn schedules(db: &DatabaseConnection) -> Result<Vec<ScheduleRow>, DbErr> {
    super::all(
        db,
        "SELECT CAST(id AS SIGNED) AS id, start, end, day, specific_date, \
         CAST(doctor_id AS SIGNED) AS doctor_id, created_at, updated_at FROM schedules ORDER BY id",
    )
    .await
}

pub async fn appointments(db: &DatabaseConnection) -> Result<Vec<AppointmentRow>, DbErr> {
    super::all(
        db,
        "SELECT CAST(id AS SIGNED) AS id, reason, status, appointment_date, doctor_comment, \
         CAST(patient_id AS SIGNED) AS patient_id, CAST(doctor_id AS SIGNED) AS doctor_id, \
         CAST(schedule_id AS SIGNED) AS schedule_id, created_at, updated_at, check_in_time, \
         check_out_time, travel_time_minutes, Patient_Disponibility AS patient_availability \
         FROM appointments ORDER BY id",
    )
    .await
}
