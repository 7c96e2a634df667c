//! The monolith's `ratings` rows.

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, DbErr, FromQueryResult};

#[derive(Debug, Clone, FromQueryResult)]
pub struct RatingRow {
    pub id: i64,
    pub patient_id: i64,
    pub doctor_id: i64,
    pub rating: i32,
    pub comment: Option<String>,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
}

pub async fn ratings(db: &DatabaseConnection) -> Result<Vec<RatingRow>, DbErr> {
    super::all(
        db,
        "SELECT CAST(id AS SIGNED) AS id, CAST(patient_id AS SIGNED) AS patient_id, \
         CAST(doctor_id AS SIGNED) AS doctor_id, rating, comment, created_at, updated_at \
         FROM ratings ORDER BY id",
    )
    .await
}
