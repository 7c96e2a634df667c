//! `quickcare import-legacy` against a monolith database: MariaDB filled
//! by the monolith's schema and `make_sample.py` (copies in
//! `tests/legacy/`), plus rows the services refuse. The target is the
//! platform's own storage, in either mode.

use std::process::Output;

use reqwest::StatusCode;
use sea_orm::{ConnectOptions, ConnectionTrait, Database};

use chrono::Weekday;
use serde_json::json;

use crate::support::{
    Options, Platform,
    api::{Api, unique_cin, unique_email},
    next, ready,
};

const SERVER: &str = "mysql://root@127.0.0.1:3306";
const LEGACY_PASSWORD: &str = "password123";
/// `make_sample.py --doctors 3`: user 1 is the admin, 2..=4 the doctors,
/// then the patients, so `patientN@…` is user N + 4 and patients N.
const DOCTORS: i64 = 3;
const PATIENTS: i64 = 12;

/// A legacy database of its own, dropped at the end.
struct Legacy {
    name: String,
}

impl Legacy {
    async fn create(tag: &str) -> Self {
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
            .args([&format!("{dir}/make_sample.py"), "--seed", "13", "--doctors", "3", "--patients", "12"])
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
        let script = format!("{schema}\n{}\n{dirty}", String::from_utf8(sample.stdout).unwrap());
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

    fn url(&self) -> String {
        format!("{SERVER}/{}", self.name)
    }

    async fn drop(self) {
        let _ = kit::db::drop_mysql_database(SERVER, &self.name).await;
    }
}

/// `quickcare <args>` against the platform's storage, as an operator runs it.
async fn quickcare(p: &Platform, args: &[&str]) -> Output {
    let mut cmd = tokio::process::Command::new(&p.gateway.bin);
    cmd.args(args).env_clear();
    if let Ok(path) = std::env::var("PATH") {
        cmd.env("PATH", path);
    }
    cmd.envs(&p.gateway.env).output().await.unwrap()
}

async fn import(p: &Platform, args: &[&str]) -> String {
    let out = quickcare(p, &[&["import-legacy"], args].concat()).await;
    assert!(out.status.success(), "import-legacy failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// A platform with the sample imported, and the legacy database.
async fn imported(p: &Platform) -> Legacy {
    let legacy = Legacy::create(&p.namespace).await;
    import(p, &["--from", &legacy.url()]).await;
    legacy
}

kit::per_backend! {
    async fn the_legacy_import_keeps_ids_and_passwords_and_reports_every_dirty_row(backend: Backend) {
        let p = crate::support::start(crate::support::mode(backend), Options::default()).await;
        let api = Api::new(&p.url());
        let legacy = Legacy::create(&p.namespace).await;
        let from = legacy.url();

        // A dry run names every dirty row and writes nothing.
        let report = import(&p, &["--from", &from, "--dry-run"]).await;
        for line in [
            "skipped users 900: invalid email \"not-an-email\"",
            "skipped users 901: duplicate email (users 5 has it)",
            "skipped users 902: dangling address_id 99999",
            "skipped patients 900: dangling user_id 99999",
            "skipped patients 901: its user 902 was skipped",
            "skipped patients 902: user 1 is not a patient (admin)",
            "skipped rows: 6",
            &format!("patients to import: {PATIENTS}"),
        ] {
            assert!(report.contains(line), "{line:?} missing from:\n{report}");
        }
        assert_eq!(api.login("patient1@quickcare.example", LEGACY_PASSWORD).await.status, StatusCode::UNAUTHORIZED);

        // The real run writes the same report to the file.
        let file = p.dir.path().join("import-report.txt");
        let report = import(&p, &["--from", &from, "--report", file.to_str().unwrap()]).await;
        assert_eq!(std::fs::read_to_string(&file).unwrap(), report);
        assert!(report.contains(&format!("users inserted: {}", 1 + DOCTORS + PATIENTS)), "{report}");
        assert!(report.contains("skipped rows: 6"), "{report}");
        assert!(report.contains(&format!("patients written: {PATIENTS}")), "{report}");

        // A legacy patient logs in with the legacy password (twice: the
        // first login rehashes) and keeps its ids, cin and address.
        let email = "patient3@quickcare.example";
        let login = api.login(email, LEGACY_PASSWORD).await;
        assert_eq!(login.status, StatusCode::OK, "{}", login.body);
        assert_eq!(login.body["user"]["id"], 3 + 1 + DOCTORS);
        let again = api.login(email, LEGACY_PASSWORD).await;
        assert_eq!(again.status, StatusCode::OK, "{}", again.body);
        let token = again.body["access_token"].as_str().unwrap();
        let me = api.get("/api/v1/patients/me", Some(token)).await;
        assert_eq!(me.status, StatusCode::OK, "{}", me.body);
        assert_eq!(me.body["id"], 3);
        assert_eq!(me.body["user_id"], 3 + 1 + DOCTORS);
        assert_eq!(me.body["cin"], "AG000003");
        assert_eq!(me.body["email"], email);
        assert!(me.body["address"]["city"].as_str().is_some_and(|c| !c.is_empty()), "{}", me.body);
        let admin = api.login("admin@example.com", "admin2025").await;
        assert_eq!(admin.status, StatusCode::OK, "{}", admin.body);

        // History sends no mail (no `user.registered` was replayed).
        let mailbox = kit::mail::DevMailbox::new(p.dir.path().join("mailbox"));
        assert!(mailbox.list().unwrap_or_default().is_empty(), "the import sent mail");

        // A re-run changes nothing (the upgraded hash stays).
        let report = import(&p, &["--from", &from]).await;
        for line in [
            "users inserted: 0",
            "users updated: 0",
            "user_directory written: 0",
            "addresses written: 0",
            "patients written: 0",
            &format!("patients unchanged: {PATIENTS}"),
        ] {
            assert!(report.contains(line), "{line:?} missing from:\n{report}");
        }
        assert_eq!(api.login(email, LEGACY_PASSWORD).await.status, StatusCode::OK);

        // New accounts get ids after the legacy ones.
        let (new_id, _, _) = api.register(&unique_email("after"), &unique_cin()).await;
        assert!(new_id > 1 + DOCTORS + PATIENTS, "new user id {new_id}");

        legacy.drop().await;
        p.stop().await;
    }

    async fn a_legacy_patient_books_and_its_doctor_opens_the_legacy_record(backend: Backend) {
        let p = crate::support::start(crate::support::mode(backend), Options::default()).await;
        let api = Api::new(&p.url());
        let legacy = imported(&p).await;
        let admin = api.login("admin@example.com", "admin2025").await.body["access_token"].as_str().unwrap().to_owned();
        let specialty = api.post("/api/v1/specialties", Some(&admin), json!({"name": "Cardiology"})).await.body["id"].clone();
        let (doctor_id, doctor) = api.create_doctor(&admin, &specialty, "Dr After Import").await;
        ready(&api, &format!("/api/v1/availability?doctor_id={doctor_id}&date=2030-01-01"), None).await;
        let slot = api.post("/api/v1/schedules", Some(&doctor), json!({"day": "Tuesday", "start": "10:00"})).await;
        assert_eq!(slot.status, StatusCode::CREATED, "{}", slot.body);

        let login = api.login("patient2@quickcare.example", LEGACY_PASSWORD).await;
        let token = login.body["access_token"].as_str().unwrap();
        let body = json!({"doctor_id": doctor_id, "schedule_id": slot.body["id"], "date": next(Weekday::Tue),
            "reason": "first visit on QuickCare"});
        let booked = kit::testing::eventually("the legacy patient's booking", || async {
            let r = api.post("/api/v1/appointments", Some(token), body.clone()).await;
            (r.status == StatusCode::CREATED).then_some(r.body)
        })
        .await;
        assert_eq!(booked["patient_id"], 2);
        let record = ready(&api, "/api/v1/patients/2", Some(&doctor)).await;
        assert_eq!(record["user_id"], 2 + 1 + DOCTORS);
        assert_eq!(record["email"], "patient2@quickcare.example");
        legacy.drop().await;
        p.stop().await;
    }

    async fn an_unreadable_source_fails_the_import(backend: Backend) {
        let p = crate::support::start(crate::support::mode(backend), Options::default()).await;
        let out = quickcare(&p, &["import-legacy", "--from", "mysql://root@127.0.0.1:3306/no_such_legacy_db"]).await;
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("legacy database"), "{out:?}");
        p.stop().await;
    }
}
