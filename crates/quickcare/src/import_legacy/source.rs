//! Reading the monolith's MySQL database (`/shared/legacy/schema.sql`).
//! Ids are `BIGINT UNSIGNED` there; they are read as signed (every real id
//! fits) so they map onto our typed ids without a conversion per row.
//! `TIMESTAMP`s are read in UTC (the connection's time zone). Every table
//! is read whole, even on a delta run: the checks decide a row among all
//! of its table's (the first of two equal emails, the earlier holder of a
//! slot), and reading is the cheap part (well under a second for 120,000
//! rows); what a delta run saves is the writing (`delta`).

mod appointments;
pub mod doctors;
mod notifications;
mod ratings;

use anyhow::Context;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use sea_orm::{Database, DatabaseConnection, FromQueryResult, Statement};

#[derive(Debug, Clone, FromQueryResult)]
pub struct UserRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub password: String,
    pub gender: String,
    pub phone: String,
    pub address_id: Option<i64>,
    pub user_type: String,
    pub email_verified_at: Option<DateTime<Utc>>,
    /// The picture's path, relative to the monolith's files (`--files`).
    pub img: Option<String>,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
}

/// A legacy user for the importer's unit tests: the fields no check looks
/// at hold plain values (a bcrypt-shaped hash, no timestamps).
#[cfg(test)]
impl UserRow {
    pub fn for_tests(id: i64, name: &str, email: &str, user_type: &str, address_id: Option<i64>) -> Self {
        Self {
            id,
            name: name.into(),
            email: email.into(),
            password: "$2y$10$hash".into(),
            gender: "female".into(),
            phone: "0600000000".into(),
            address_id,
            user_type: user_type.into(),
            email_verified_at: None,
            img: None,
            created_at: None,
            updated_at: None,
        }
    }
}

#[derive(Debug, Clone, FromQueryResult)]
pub struct AddressRow {
    pub id: i64,
    pub rue: String,
    pub ville: String,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, FromQueryResult)]
pub struct PatientRow {
    pub id: i64,
    pub cin: String,
    pub birth_date: NaiveDate,
    pub user_id: i64,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
}

pub use appointments::{AppointmentRow, ScheduleRow};
pub use notifications::NotificationRow;
pub use ratings::RatingRow;

/// The tables this importer moves, in id order.
#[derive(Debug, Default)]
pub struct Legacy {
    /// The legacy server's clock (UTC) just before the first table was
    /// read: from this instant on, a change is the next run's.
    pub read_at: DateTime<Utc>,
    pub users: Vec<UserRow>,
    pub addresses: Vec<AddressRow>,
    pub patients: Vec<PatientRow>,
    pub schedules: Vec<ScheduleRow>,
    pub appointments: Vec<AppointmentRow>,
    pub ratings: Vec<RatingRow>,
    pub notifications: Vec<NotificationRow>,
    pub doctor_side: doctors::DoctorTables,
}

pub async fn read(url: &str) -> anyhow::Result<Legacy> {
    let db = Database::connect(url).await.context("connecting to the legacy database")?;
    let read_at = clock(&db).await.context("reading the legacy database's clock")?;
    let users = all(
        &db,
        "SELECT CAST(id AS SIGNED) AS id, name, email, password, gender, phone, \
         CAST(address_id AS SIGNED) AS address_id, user_type, email_verified_at, img, created_at, updated_at \
         FROM users ORDER BY id",
    )
    .await
    .context("reading users")?;
    let addresses = all(
        &db,
        "SELECT CAST(id AS SIGNED) AS id, rue, ville, created_at, updated_at FROM addresses ORDER BY id",
    )
    .await
    .context("reading addresses")?;
    let patients = all(
        &db,
        "SELECT CAST(id AS SIGNED) AS id, cin, birth_date, CAST(user_id AS SIGNED) AS user_id, \
         created_at, updated_at FROM patients ORDER BY id",
    )
    .await
    .context("reading patients")?;
    let doctor_side = doctors::read(&db).await?;
    let schedules = appointments::schedules(&db).await.context("reading schedules")?;
    let appointments = appointments::appointments(&db).await.context("reading appointments")?;
    let ratings = ratings::ratings(&db).await.context("reading ratings")?;
    let notifications = notifications::notifications(&db).await.context("reading notifications")?;
    Ok(Legacy {
        read_at,
        users,
        addresses,
        patients,
        doctor_side,
        schedules,
        appointments,
        ratings,
        notifications,
    })
}

#[derive(FromQueryResult)]
struct Clock {
    now: NaiveDateTime,
}

/// `UTC_TIMESTAMP()` on the legacy server, so the watermark and the rows'
/// timestamps come from one clock.
async fn clock(db: &DatabaseConnection) -> Result<DateTime<Utc>, sea_orm::DbErr> {
    let now = Clock::find_by_statement(Statement::from_string(
        db.get_database_backend(),
        "SELECT UTC_TIMESTAMP() AS now",
    ))
    .one(db)
    .await?;
    now.map(|c| c.now.and_utc()).ok_or_else(|| sea_orm::DbErr::RecordNotFound("UTC_TIMESTAMP()".into()))
}

async fn all<T: FromQueryResult>(db: &DatabaseConnection, sql: &str) -> Result<Vec<T>, sea_orm::DbErr> {
    T::find_by_statement(Statement::from_string(db.get_database_backend(), sql)).all(db).await
}

/// A legacy row's instant. Laravel leaves timestamps NULL at times: the
/// other of the pair stands in, then [`UNKNOWN_TIME`], so a re-run writes
/// the same value.
pub fn instant(first: Option<DateTime<Utc>>, second: Option<DateTime<Utc>>) -> DateTime<Utc> {
    first.or(second).unwrap_or(UNKNOWN_TIME)
}

/// When a row with neither timestamp happened: the earliest instant a
/// MySQL `TIMESTAMP` holds (`1970-01-01 00:00:01`; the epoch itself is
/// refused there).
pub const UNKNOWN_TIME: DateTime<Utc> = match DateTime::from_timestamp(1, 0) {
    Some(t) => t,
    None => DateTime::UNIX_EPOCH,
};
