//! Delta runs of `quickcare import-legacy`: after a first import, a run
//! passes on only the legacy rows added or changed since, brings exactly
//! those changes — the read models included, as a full run makes them —
//! and the run after it has nothing to do.

use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

use crate::support::{
    Options,
    api::Api,
    legacy::{LEGACY_PASSWORD, Legacy, import},
    ready,
};

/// The common dirty rows were written at `NOW()`: moved into the past, so
/// only this test's own changes are newer than the first import.
const PAST: &str = "UPDATE users SET created_at = '2026-11-01 10:00:00', updated_at = '2026-11-01 10:00:00' \
    WHERE updated_at > '2026-11-24';\n";

/// After the first import: an approved appointment is cancelled, a rating
/// changes its score, doctor 1's account (user 2) is renamed, and a new
/// patient (user and patients 950) has a completed visit with doctor 1
/// 7 to 13 days ago, on one of doctor 1's weekly slots.
const CHANGES: [&str; 6] = [
    "UPDATE appointments SET status = 'Cancelled', updated_at = NOW() WHERE id = \
     (SELECT id FROM (SELECT MIN(id) AS id FROM appointments WHERE status = 'Approved' AND id < 900) AS a)",
    "UPDATE ratings SET rating = IF(rating = 1, 5, 1), updated_at = NOW() WHERE id = 1",
    "UPDATE users SET name = 'Dr. Renamed', updated_at = NOW() WHERE id = 2",
    "INSERT INTO users (id, name, email, password, gender, phone, user_type, created_at, updated_at) \
     SELECT 950, 'New Patient', 'newpatient@quickcare.example', password, 'female', '0600000950', 'patient', \
     NOW(), NOW() FROM users WHERE id = 5",
    "INSERT INTO patients (id, cin, birth_date, user_id, created_at, updated_at) VALUES \
     (950, 'NP000950', '1990-05-05', 950, NOW(), NOW())",
    "INSERT INTO appointments (id, reason, status, appointment_date, patient_id, doctor_id, schedule_id, \
     created_at, updated_at) SELECT 950, 'New on the monolith', 'Completed', CURDATE() - INTERVAL \
     ((WEEKDAY(CURDATE()) - FIELD(day, 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', \
     'Sunday') + 8) % 7 + 7) DAY, 950, 1, id, NOW(), NOW() \
     FROM schedules WHERE doctor_id = 1 AND specific_date IS NULL AND id < 900 ORDER BY id LIMIT 1",
];

/// Every table the report counts writes for.
const WRITTEN: [&str; 20] = [
    "pictures",
    "user_directory",
    "addresses",
    "patients",
    "specialities",
    "doctors",
    "applications",
    "CV files",
    "doctor_directory",
    "schedules",
    "appointments",
    "care_relationships",
    "visits",
    "ratings",
    "rating_summaries",
    "appointment_facts",
    "doctor_summaries",
    "contacts",
    "doctor_names",
    "notifications",
];

/// One integer `sql` answers on the legacy database.
async fn value(db: &DatabaseConnection, sql: &str) -> i64 {
    let row =
        db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

/// The report's line on how `table` was read.
fn read_line<'a>(report: &'a str, table: &str) -> &'a str {
    let start = format!("  read {table}: ");
    report.lines().find(|l| l.starts_with(&start)).unwrap_or_else(|| panic!("no {start:?} in:\n{report}"))
}

fn assert_lines(report: &str, lines: &[String]) {
    for line in lines {
        assert!(report.contains(line.as_str()), "{line:?} missing from:\n{report}");
    }
}

/// Nothing written to any table (`users` has its own three counts).
fn nothing_written(report: &str) {
    let mut lines: Vec<String> = WRITTEN.iter().map(|t| format!("\n  {t} written: 0\n")).collect();
    lines.extend(["users inserted: 0".to_owned(), "users updated: 0".to_owned()]);
    assert_lines(report, &lines);
}

async fn token(api: &Api, email: &str) -> String {
    let login = api.login(email, LEGACY_PASSWORD).await;
    assert_eq!(login.status, StatusCode::OK, "{email}: {}", login.body);
    login.body["access_token"].as_str().unwrap().to_owned()
}

kit::per_backend! {
    async fn a_delta_run_brings_exactly_the_legacy_changes_and_the_next_one_nothing(backend: Backend) {
        let p = crate::support::start(crate::support::mode(backend), Options::default()).await;
        let api = Api::new(&p.url());
        let legacy = Legacy::create_with(&p.namespace, PAST).await;
        let from = legacy.url();
        let sql = legacy.connect().await;

        let first = import(&p, &["--from", &from]).await;
        assert!(read_line(&first, "appointments").ends_with("rows (full)"), "{first}");
        let cancelled =
            value(&sql, "SELECT CAST(MIN(id) AS SIGNED) FROM appointments WHERE status = 'Approved' AND id < 900").await;
        let patient = value(&sql, &format!("SELECT CAST(patient_id AS SIGNED) FROM appointments WHERE id = {cancelled}")).await;
        let rated_doctor = value(&sql, "SELECT CAST(doctor_id AS SIGNED) FROM ratings WHERE id = 1").await;
        for change in CHANGES {
            sql.execute_unprepared(change).await.unwrap();
        }
        // The changes' second is over on the legacy clock before the next
        // run reads it, so the run after that finds them old.
        let changed_at = value(&sql, "SELECT CAST(UNIX_TIMESTAMP() AS SIGNED)").await;
        kit::testing::eventually("the legacy clock to pass the changes", || async {
            (value(&sql, "SELECT CAST(UNIX_TIMESTAMP() AS SIGNED)").await > changed_at).then_some(())
        })
        .await;

        // A dry run already sees what changed (the marks are only read).
        let dry = import(&p, &["--from", &from, "--dry-run"]).await;
        assert!(read_line(&dry, "ratings").contains(" rows, 1 added or changed since "), "{dry}");

        // The delta run reads the changed rows as such and writes them.
        let delta = import(&p, &["--from", &from]).await;
        for (table, passed) in [("users", 2), ("patients", 1), ("appointments", 2), ("ratings", 1), ("doctors", 0),
            ("schedules", 0), ("notifications", 0), ("addresses", 0), ("specialities", 0), ("applications", 0)]
        {
            let line = read_line(&delta, table);
            assert!(line.contains(&format!(" rows, {passed} added or changed since ")), "{table}: {line}");
        }
        assert_lines(&delta, &[
            "users inserted: 1".into(),
            "users updated: 1".into(),
            "\n  patients written: 1\n".into(),
            "\n  doctors written: 1\n".into(),
            "\n  appointments written: 2\n".into(),
            "\n  ratings written: 1\n".into(),
            "\n  schedules written: 0\n".into(),
            "\n  notifications written: 0\n".into(),
        ]);

        // The platform shows each change.
        let renamed = api.get("/api/v1/doctors/1", None).await;
        assert_eq!(renamed.body["name"], "Dr. Renamed", "{}", renamed.body);
        let own = token(&api, &format!("patient{patient}@quickcare.example")).await;
        let visit = api.get(&format!("/api/v1/appointments/{cancelled}"), Some(&own)).await;
        assert_eq!(visit.body["status"], "cancelled", "{}", visit.body);
        let newcomer = token(&api, "newpatient@quickcare.example").await;
        let mine = ready(&api, "/api/v1/appointments?per_page=100", Some(&newcomer)).await;
        assert_eq!(mine["total"], 1, "{mine}");
        assert_eq!(mine["data"][0]["id"], 950, "{mine}");
        let summary = api.get(&format!("/api/v1/ratings/summary?doctor_id={rated_doctor}"), None).await;
        let rated = format!("FROM ratings WHERE doctor_id = {rated_doctor} AND id < 900");
        assert_eq!(summary.body["count"], value(&sql, &format!("SELECT COUNT(*) {rated}")).await, "{}", summary.body);
        let hundredths = value(&sql, &format!("SELECT CAST(ROUND(AVG(rating) * 100) AS SIGNED) {rated}")).await;
        assert_eq!((summary.body["average"].as_f64().unwrap() * 100.0).round() as i64, hundredths, "{}", summary.body);

        // The run after it reads nothing new and writes nothing.
        let again = import(&p, &["--from", &from]).await;
        for table in ["users", "patients", "appointments", "ratings", "doctors", "notifications"] {
            let line = read_line(&again, table);
            assert!(line.contains(" rows, 0 added or changed since "), "{table}: {line}");
        }
        nothing_written(&again);

        // A full run finds everything as the delta left it: the read
        // models (care, visits, summaries, facts) are a full run's.
        let full = import(&p, &["--from", &from, "--full"]).await;
        assert!(read_line(&full, "users").ends_with("rows (full)"), "{full}");
        nothing_written(&full);

        legacy.drop().await;
        p.stop().await;
    }
}
