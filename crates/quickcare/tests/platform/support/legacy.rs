//! A monolith database for the importer's tests: MariaDB filled by the
//! monolith's schema and `make_sample.py` (copies in `tests/legacy/`),
//! plus dirty rows the services refuse, and `quickcare import-legacy` run
//! as an operator runs it.

use std::process::Output;

use reqwest::StatusCode;
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, Statement, TryGetable};
use serde_json::{Value, json};

use super::{
    Platform,
    api::{Api, PASSWORD},
};

const SERVER: &str = "mysql://root@127.0.0.1:3306";
pub const LEGACY_PASSWORD: &str = "password123";
/// `make_sample.py --doctors 3`: user 1 is the admin, 2..=4 the doctors,
/// then the patients, so `patientN@…` is user N + 4 and patients N.
pub const DOCTORS: i64 = 3;
pub const PATIENTS: i64 = 12;

/// How much `make_sample.py` writes.
#[derive(Clone, Copy, Debug)]
pub enum Scale {
    /// `--doctors 3 --patients 12` ([`DOCTORS`], [`PATIENTS`]).
    Small,
    /// The script's own defaults: 10 doctors, 40 patients.
    Default,
}

impl Scale {
    fn args(self) -> &'static [&'static str] {
        match self {
            Self::Small => &["--doctors", "3", "--patients", "12"],
            Self::Default => &[],
        }
    }
}

/// A legacy database of its own, dropped at the end.
pub struct Legacy {
    name: String,
}

impl Legacy {
    /// The sample with the dirty rows every import test expects.
    pub async fn create(tag: &str) -> Self {
        Self::create_with(tag, "").await
    }

    /// The small sample, the common dirty rows, then `extra` (statements
    /// ending in `;\n`, run with foreign key checks off) for one test's own.
    pub async fn create_with(tag: &str, extra: &str) -> Self {
        Self::create_at(tag, Scale::Small, extra).await
    }

    /// The sample at `scale`, the common dirty rows, then `extra`.
    pub async fn create_at(tag: &str, scale: Scale, extra: &str) -> Self {
        let name = format!("{tag}_legacy");
        let server = Database::connect(SERVER).await.unwrap();
        server.execute_unprepared(&format!("CREATE DATABASE `{name}`")).await.unwrap();
        // One connection: `FOREIGN_KEY_CHECKS=0` (the monolith's dirty
        // days) holds for its session only.
        let db =
            Database::connect(ConnectOptions::new(format!("{SERVER}/{name}")).max_connections(1).to_owned())
                .await
                .unwrap();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/legacy");
        let schema = std::fs::read_to_string(format!("{dir}/schema.sql")).unwrap();
        let sample = std::process::Command::new("python3")
            .arg(format!("{dir}/make_sample.py"))
            .args(["--seed", "13"])
            .args(scale.args())
            .output()
            .unwrap();
        assert!(sample.status.success(), "make_sample.py: {}", String::from_utf8_lossy(&sample.stderr));
        let dirty = "SET FOREIGN_KEY_CHECKS=0;\n\
            INSERT INTO users (id, name, email, password, gender, phone, user_type, created_at, updated_at) VALUES \
            (900, 'No Email', 'not-an-email', 'x', 'male', '0600000000', 'patient', NOW(), NOW()),\n\
            (901, 'Twin', ' patient1@quickcare.example', 'x', 'male', '0600000000', 'patient', NOW(), NOW());\n\
            INSERT INTO users (id, name, email, password, gender, phone, address_id, user_type) VALUES \
            (902, 'Lost Address', 'lost@quickcare.example', 'x', 'female', '0600000000', 99999, 'patient');\n\
            INSERT INTO patients (id, cin, birth_date, user_id) VALUES (900, 'ZZ1', '1980-01-01', 99999),\n\
            (901, 'ZZ2', '1980-01-01', 902), (902, 'ZZ3', '1980-01-01', 1);\n";
        let script = format!("{schema}\n{}\n{dirty}{extra}", String::from_utf8(sample.stdout).unwrap());
        for statement in script.split(";\n").map(str::trim).filter(|s| !s.is_empty()) {
            let sql: String = statement
                .lines()
                .filter(|l| !l.trim_start().starts_with("--"))
                .collect::<Vec<_>>()
                .join("\n");
            if !sql.trim().is_empty() {
                db.execute_unprepared(&sql).await.unwrap();
            }
        }
        Self { name }
    }

    /// A connection to the legacy database, for the counts a test checks
    /// the import against.
    pub async fn connect(&self) -> sea_orm::DatabaseConnection {
        Database::connect(self.url()).await.unwrap()
    }

    /// The first column of `sql`'s first row.
    pub async fn value<T: TryGetable>(&self, sql: &str) -> T {
        value(&self.connect().await, sql).await
    }

    pub fn url(&self) -> String {
        format!("{SERVER}/{}", self.name)
    }

    pub async fn drop(self) {
        let _ = kit::db::drop_mysql_database(SERVER, &self.name).await;
    }
}

/// `quickcare <args>` against the platform's storage, as an operator runs it.
pub async fn quickcare(p: &Platform, args: &[&str]) -> Output {
    let mut cmd = tokio::process::Command::new(&p.gateway.bin);
    cmd.args(args).env_clear();
    if let Ok(path) = std::env::var("PATH") {
        cmd.env("PATH", path);
    }
    cmd.envs(&p.gateway.env).output().await.unwrap()
}

pub async fn import(p: &Platform, args: &[&str]) -> String {
    let out = quickcare(p, &[&["import-legacy"], args].concat()).await;
    assert!(out.status.success(), "import-legacy failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// A platform with the sample imported, and the legacy database.
pub async fn imported(p: &Platform) -> Legacy {
    let legacy = Legacy::create(&p.namespace).await;
    import(p, &["--from", &legacy.url()]).await;
    legacy
}

/// The first column of `sql`'s first row on `db` (a legacy database).
pub async fn value<T: TryGetable>(db: &DatabaseConnection, sql: &str) -> T {
    let row =
        db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
    row.try_get_by_index::<T>(0).unwrap()
}

/// One integer `sql` answers on `db`.
pub async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    value(db, sql).await
}

/// A legacy user's access token, logged in with the legacy password.
pub async fn token(api: &Api, email: &str) -> String {
    let login = api.login(email, LEGACY_PASSWORD).await;
    assert_eq!(login.status, StatusCode::OK, "{email}: {}", login.body);
    login.body["access_token"].as_str().unwrap().to_owned()
}

/// Every one of `lines` is in `report`.
pub fn assert_lines(report: &str, lines: &[&str]) {
    for line in lines {
        assert!(report.contains(line), "{line:?} missing from:\n{report}");
    }
}

/// `make_sample.py`'s registration tokens: application 2's with `'x'`
/// (approved), 3's with `'y'` (expired).
pub fn application_token(c: char) -> String {
    format!("tok{}", c.to_string().repeat(57))
}

/// A registration by application token, as the link's form sends it.
pub fn doctor_registration(token: &str, email: &str) -> Value {
    json!({"token": token, "name": "Dr. Legacy Applicant", "email": email,
        "password": PASSWORD, "gender": "female", "phone": "0522987654", "birth_date": "1975-03-03",
        "address": {"street": "9 Rue Oqba", "city": "Rabat"}, "degree": "MD", "specialty_id": 2})
}
