//! Database connection per service: MySQL/MariaDB (database
//! `<namespace>_<service>`, created when missing) or one SQLite file per
//! service. The schema is written once, as sea-query migrations, and SeaORM
//! renders it for whichever backend is connected.

use std::time::Duration;

use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    IsolationLevel, SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};

use crate::config::Settings;

#[derive(Debug, thiserror::Error)]
pub enum DbSetupError {
    #[error("database url is not mysql:// or sqlite://: {0}")]
    UnsupportedUrl(String),
    #[error("namespace and service names may only hold a-z, 0-9 and _: {0}")]
    BadName(String),
    #[error("could not create the data directory {0}: {1}")]
    DataDir(String, std::io::Error),
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Where a service's database lives, resolved from the settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// Server URL without a database, and the database name.
    MySql { server: String, database: String },
    /// The SQLite file.
    Sqlite { path: std::path::PathBuf },
}

pub fn location(settings: &Settings, service: &str) -> Result<Location, DbSetupError> {
    check_name(&settings.namespace)?;
    check_name(service)?;
    match settings.database_url.as_deref() {
        Some(url) if url.starts_with("mysql://") || url.starts_with("mariadb://") => {
            let server = url.replacen("mariadb://", "mysql://", 1).trim_end_matches('/').to_owned();
            Ok(Location::MySql { server, database: format!("{}_{}", settings.namespace, service) })
        }
        Some(url) if url.starts_with("sqlite://") => {
            let dir = std::path::PathBuf::from(url.trim_start_matches("sqlite://"));
            Ok(Location::Sqlite { path: dir.join(format!("{service}.db")) })
        }
        Some(other) => Err(DbSetupError::UnsupportedUrl(crate::config::redact_url(other))),
        None => Ok(Location::Sqlite { path: settings.data_dir.join(format!("{service}.db")) }),
    }
}

fn check_name(name: &str) -> Result<(), DbSetupError> {
    let ok =
        !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok { Ok(()) } else { Err(DbSetupError::BadName(name.to_owned())) }
}

/// Connects (creating the database or file when missing).
pub async fn connect(settings: &Settings, service: &str) -> Result<DatabaseConnection, DbSetupError> {
    match location(settings, service)? {
        Location::MySql { server, database } => {
            let admin = Database::connect(admin_options(&server)).await?;
            // The name was checked against [a-z0-9_]: safe as an identifier.
            admin
                .execute_unprepared(&format!(
                    "CREATE DATABASE IF NOT EXISTS `{database}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
                ))
                .await?;
            admin.close().await?;
            let pool = Pool::from_settings(settings, 20);
            Ok(Database::connect(pool.options(&format!("{server}/{database}"))).await?)
        }
        Location::Sqlite { path } => {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| DbSetupError::DataDir(dir.display().to_string(), e))?;
            }
            let url = format!("sqlite://{}?mode=rwc", path.display());
            let db = Database::connect(Pool::from_settings(settings, 8).options(&url)).await?;
            // WAL lets readers run beside the one writer; it is a property of
            // the file, so setting it once per start is enough.
            db.execute_unprepared("PRAGMA journal_mode=WAL").await?;
            Ok(db)
        }
    }
}

/// Connects only if the service's database is already there (`None`
/// otherwise): for a look that must leave no trace, such as a dry run's,
/// where [`connect`] would create the database or file.
pub async fn connect_existing(
    settings: &Settings,
    service: &str,
) -> Result<Option<DatabaseConnection>, DbSetupError> {
    match location(settings, service)? {
        Location::MySql { server, database } => {
            let admin = Database::connect(admin_options(&server)).await?;
            let found = admin
                .query_one_raw(Statement::from_sql_and_values(
                    DbBackend::MySql,
                    "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?",
                    [database.clone().into()],
                ))
                .await?;
            admin.close().await?;
            if found.is_none() {
                return Ok(None);
            }
            let pool = Pool::from_settings(settings, 2);
            Ok(Some(Database::connect(pool.options(&format!("{server}/{database}"))).await?))
        }
        Location::Sqlite { path } => {
            if !path.is_file() {
                return Ok(None);
            }
            // `rw`, not `rwc`: an existing file only.
            let url = format!("sqlite://{}?mode=rw", path.display());
            Ok(Some(Database::connect(Pool::from_settings(settings, 2).options(&url)).await?))
        }
    }
}

/// How big a service's connection pool is and how long a request waits
/// for a free connection before it answers 503 (see [`is_unavailable`]).
struct Pool {
    max: u32,
    acquire_timeout: Duration,
}

impl Pool {
    /// `default_max` is the backend's size (MySQL connections are cheap
    /// to hold; SQLite has one writer anyway).
    fn from_settings(settings: &Settings, default_max: u32) -> Self {
        Self {
            max: settings.database_max_connections.filter(|m| *m > 0).unwrap_or(default_max),
            acquire_timeout: Duration::from_millis(settings.database_acquire_timeout_ms.max(1)),
        }
    }

    fn options(&self, url: &str) -> ConnectOptions {
        let mut o = ConnectOptions::new(url.to_owned());
        o.max_connections(self.max)
            .min_connections(1)
            .connect_timeout(Duration::from_secs(10))
            .acquire_timeout(self.acquire_timeout)
            .sqlx_logging(false);
        o
    }
}

/// A one-connection pool for administrative statements (create, drop).
fn admin_options(server: &str) -> ConnectOptions {
    Pool { max: 1, acquire_timeout: Duration::from_secs(10) }.options(server)
}

/// Drops a MySQL database (tests clean up after themselves with it).
pub async fn drop_mysql_database(server: &str, database: &str) -> Result<(), DbSetupError> {
    check_name(database)?;
    let admin = Database::connect(admin_options(server)).await?;
    admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS `{database}`")).await?;
    admin.close().await?;
    Ok(())
}

/// Begins a transaction that is going to write.
///
/// SQLite's default `BEGIN` is deferred: a transaction that reads first and
/// writes later fails at its first write with `SQLITE_BUSY_SNAPSHOT` (no
/// busy wait applies) whenever another connection committed in between —
/// an outbox relay or a consumer is enough. `BEGIN IMMEDIATE` takes the
/// write lock up front, so such a transaction waits its turn instead.
///
/// MySQL runs it READ COMMITTED. Our invariants rest on unique indexes,
/// conditional updates and explicit row locks, never on gap locks; under
/// InnoDB's default REPEATABLE READ, the gap locks of a `FOR UPDATE SKIP
/// LOCKED` queue read (the outbox relay, the job claims) block inserts into
/// the same table and deadlock against them under load.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let isolation_level =
        (db.get_database_backend() == DbBackend::MySql).then_some(IsolationLevel::ReadCommitted);
    db.begin_with_options(TransactionOptions {
        isolation_level,
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

/// `SELECT 1`, for readiness.
pub async fn ping(db: &DatabaseConnection) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    db.query_one_raw(Statement::from_string(backend, "SELECT 1")).await.map(|_| ())
}

/// True when a database error is a unique-key violation (both backends).
pub fn is_unique_violation(e: &DbErr) -> bool {
    matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_)))
}

/// True when the database gave up on a transaction for a passing reason,
/// so the same transaction run again can succeed: InnoDB chose it as a
/// deadlock victim (1213, SQLSTATE 40001) or a lock wait timed out (1205);
/// SQLite stayed busy past its timeout. Under contention InnoDB does this
/// by design — it is the application's part to retry.
pub fn is_transient(e: &DbErr) -> bool {
    use sea_orm::{RuntimeErr, sqlx};
    let (DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e))) = e else {
        return false;
    };
    let sqlx::Error::Database(d) = &**e else { return false };
    if let Some(my) = d.try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>() {
        return matches!(my.number(), 1205 | 1213);
    }
    // SQLITE_BUSY and its extended codes (e.g. 517, BUSY_SNAPSHOT).
    d.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some()
        && d.code().and_then(|c| c.parse::<i32>().ok()).is_some_and(|c| c & 0xff == 5)
}

/// True when the database could not serve the request right now but may
/// in a moment: everything [`is_transient`] covers, plus resource errors —
/// no pooled connection became free within the acquire timeout, the pool
/// is closed, the connection broke or could not be opened. Unlike
/// [`is_transient`] these are not worth rerunning at once in the handler
/// (the wait already happened); the answer is 503 with `Retry-After`.
pub fn is_unavailable(e: &DbErr) -> bool {
    use sea_orm::{RuntimeErr, sqlx};
    if is_transient(e) {
        return true;
    }
    match e {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => matches!(
            &**e,
            sqlx::Error::PoolTimedOut
                | sqlx::Error::PoolClosed
                | sqlx::Error::Io(_)
                | sqlx::Error::Tls(_)
                | sqlx::Error::WorkerCrashed
        ),
        _ => false,
    }
}

/// [`is_unavailable`] for an error anywhere in an `anyhow` chain (services
/// wrap database errors in their own).
pub fn is_unavailable_cause(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<DbErr>().is_some_and(is_unavailable))
}

/// An error that may stem from a transient database failure.
pub trait Transient {
    fn is_transient(&self) -> bool;
}

impl Transient for DbErr {
    fn is_transient(&self) -> bool {
        is_transient(self)
    }
}

impl Transient for anyhow::Error {
    fn is_transient(&self) -> bool {
        self.downcast_ref::<DbErr>().is_some_and(is_transient)
    }
}

/// Runs a write transaction again while it fails transiently, after a
/// short random pause that lets the winner of the lock finish:
///
/// ```ignore
/// let mut retry = Retry::default();
/// let row = loop {
///     match book_once(..).await {
///         Err(e) if retry.again(&e).await => continue,
///         done => break done?,
///     }
/// };
/// ```
///
/// The last transient failure is returned as is (services answer 503).
/// (A loop rather than a helper taking a closure: axum needs the handler's
/// future to be `Send`, and the compiler cannot yet prove that through a
/// closure returning a borrowing future.)
#[derive(Debug, Default)]
pub struct Retry {
    tries: u32,
}

impl Retry {
    /// Attempts in all, the first included.
    pub const ATTEMPTS: u32 = 4;

    /// Whether to run the transaction again after `e`; pauses first.
    pub async fn again(&mut self, e: &impl Transient) -> bool {
        self.tries += 1;
        if !e.is_transient() || self.tries >= Self::ATTEMPTS {
            return false;
        }
        let pause = rand::random_range(5..=20 * u64::from(self.tries + 1));
        tokio::time::sleep(Duration::from_millis(pause)).await;
        true
    }
}

pub fn backend_name(db: &DatabaseConnection) -> &'static str {
    match db.get_database_backend() {
        DbBackend::MySql => "mysql",
        DbBackend::Sqlite => "sqlite",
        _ => "other",
    }
}

/// Kit's own tables (outbox, inbox, dead letters, idempotency keys); every
/// service's migrator lists these before its own.
pub fn kit_migrations() -> Vec<Box<dyn sea_orm_migration::MigrationTrait>> {
    let mut all = crate::events::migrations();
    all.push(Box::new(crate::idempotency::Migration));
    all.extend(crate::events::later_migrations());
    all
}

/// Runs `M`'s pending migrations. On MySQL several instances may start at
/// once: a named lock (held by one pooled connection for the duration)
/// makes them take turns, and the later ones find nothing left to do.
pub async fn migrate<M: sea_orm_migration::MigratorTrait>(db: &DatabaseConnection) -> Result<(), DbErr> {
    if db.get_database_backend() != DbBackend::MySql {
        return M::up(db, None).await;
    }
    let holder = db.begin().await?;
    let lock = Statement::from_sql_and_values(
        DbBackend::MySql,
        "SELECT GET_LOCK(CONCAT('quickcare_migrate_', DATABASE()), 120)",
        [],
    );
    let got =
        holder.query_one_raw(lock).await?.and_then(|r| r.try_get_by_index::<Option<i64>>(0).ok()).flatten();
    if got != Some(1) {
        return Err(DbErr::Custom("timed out waiting for another instance's migrations".into()));
    }
    let result = M::up(db, None).await;
    let release = Statement::from_string(
        DbBackend::MySql,
        "SELECT RELEASE_LOCK(CONCAT('quickcare_migrate_', DATABASE()))",
    );
    let _ = holder.query_one_raw(release).await;
    holder.commit().await?;
    result
}
