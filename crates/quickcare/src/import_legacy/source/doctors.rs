//! The monolith's doctor side: `specialities`, `doctors`, `applications`.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{DatabaseConnection, FromQueryResult};

use super::all;

#[derive(Debug, Clone, FromQueryResult)]
pub struct SpecialityRow {
    pub id: i64,
    pub name: String,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, FromQueryResult)]
pub struct DoctorRow {
    pub id: i64,
    pub birth_date: NaiveDate,
    pub degree: String,
    pub status: String,
    pub specialty_id: i64,
    pub user_id: i64,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, FromQueryResult)]
pub struct ApplicationRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub details: String,
    pub cv: String,
    pub status: String,
    pub registration_token: Option<String>,
    pub token_expiry: Option<DateTime<Utc>>,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
}

/// The three tables, each in id order. (`doctors.avg_rating` is not read:
/// averages are recomputed from the ratings.)
#[derive(Debug, Default)]
pub struct DoctorTables {
    pub specialities: Vec<SpecialityRow>,
    pub doctors: Vec<DoctorRow>,
    pub applications: Vec<ApplicationRow>,
}

pub async fn read(db: &DatabaseConnection) -> anyhow::Result<DoctorTables> {
    use anyhow::Context;
    let specialities = all(
        db,
        "SELECT CAST(id AS SIGNED) AS id, name, created_at, updated_at FROM specialities ORDER BY id",
    )
    .await
    .context("reading specialities")?;
    let doctors = all(
        db,
        "SELECT CAST(id AS SIGNED) AS id, birth_date, degree, status, \
         CAST(specialty_id AS SIGNED) AS specialty_id, CAST(user_id AS SIGNED) AS user_id, \
         created_at, updated_at FROM doctors ORDER BY id",
    )
    .await
    .context("reading doctors")?;
    let applications = all(
        db,
        "SELECT CAST(id AS SIGNED) AS id, name, email, details, cv, CAST(status AS CHAR) AS status, \
         registration_token, token_expiry, created_at, updated_at FROM applications ORDER BY id",
    )
    .await
    .context("reading applications")?;
    Ok(DoctorTables { specialities, doctors, applications })
}
