//! A later run of `quickcare import-legacy` while QuickCare is in use:
//! the monolith numbers its new rows on, and so does QuickCare, so a new
//! legacy row may carry an id QuickCare has given a row of its own since
//! the first run. That row is never written over: the legacy one is a
//! reported skip, and so is what hangs off it.

use reqwest::StatusCode;
use serde_json::json;

use crate::support::{
    Options,
    api::{Api, unique_cin, unique_email},
    legacy::{Legacy, assert_lines, import, token},
    ready,
};

kit::per_backend! {
    async fn a_legacy_row_with_an_id_quickcare_gave_away_is_a_reported_skip(backend: Backend) {
        let p = crate::support::start(crate::support::mode(backend), Options::default()).await;
        let api = Api::new(&p.url());
        let legacy = Legacy::create(&p.namespace).await;
        let from = legacy.url();
        import(&p, &["--from", &from]).await;

        // On QuickCare since: doctor 1 opens a slot, a patient registers.
        let doctor = token(&api, "doctor1@quickcare.example").await;
        let slot = json!({"day": "Sunday", "start": "21:00", "end": "21:30"});
        let opened = api.post("/api/v1/schedules", Some(&doctor), slot).await;
        assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.body);
        let schedule = opened.body["id"].as_i64().unwrap();
        let cin = unique_cin();
        let (user, patient_token, _) = api.register(&unique_email("taken"), &cin).await;
        let record = ready(&api, "/api/v1/patients/me", Some(&patient_token)).await;
        let patient = record["id"].as_i64().unwrap();

        // On the monolith since: a slot and a patient with those very ids,
        // and an appointment on that slot.
        let at = "'2026-11-01 10:00:00', '2026-11-01 10:00:00'";
        let sql = legacy.connect().await;
        for statement in [
            format!("INSERT INTO schedules (id, start, end, day, specific_date, status, doctor_id, created_at, \
                updated_at) VALUES ({schedule}, '22:00:00', '22:30:00', 'Saturday', NULL, 'true', 1, {at})"),
            format!("INSERT INTO appointments (id, reason, status, appointment_date, patient_id, doctor_id, \
                schedule_id, created_at, updated_at) VALUES (960, 'On a taken slot', 'Pending', '2030-01-05', \
                1, 1, {schedule}, {at})"),
            format!("INSERT INTO users (id, name, email, password, gender, phone, user_type, created_at, \
                updated_at) SELECT 960, 'Legacy Newcomer', 'newcomer@quickcare.example', password, 'male', \
                '0600000960', 'patient', {at} FROM users WHERE id = 5"),
            format!("INSERT INTO patients (id, cin, birth_date, user_id, created_at, updated_at) VALUES \
                ({patient}, 'LG000960', '1960-06-06', 960, {at})"),
        ] {
            sea_orm::ConnectionTrait::execute_unprepared(&sql, &statement).await.unwrap();
        }

        let taken = "id taken on QuickCare (a row made there since)";
        let lines = [
            format!("skipped schedules {schedule}: {taken}"),
            format!("skipped appointments 960: its schedule {schedule} was skipped"),
            format!("skipped patients {patient}: {taken}"),
        ];
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        // A dry run already names them; the real run leaves them out.
        assert_lines(&import(&p, &["--from", &from, "--dry-run"]).await, &lines);
        assert_lines(&import(&p, &["--from", &from]).await, &lines);

        // QuickCare's rows are as QuickCare made them.
        let slots = api.get("/api/v1/schedules?doctor_id=1", None).await;
        assert_eq!(slots.status, StatusCode::OK, "{}", slots.body);
        let ours = slots.body.as_array().unwrap().iter().find(|s| s["id"] == schedule);
        let ours = ours.unwrap_or_else(|| panic!("schedule {schedule} gone: {}", slots.body));
        assert_eq!((ours["day"].as_str(), ours["start"].as_str()), (Some("Sunday"), Some("21:00")), "{ours}");
        let me = api.get("/api/v1/patients/me", Some(&patient_token)).await;
        assert_eq!(me.status, StatusCode::OK, "{}", me.body);
        assert_eq!((me.body["id"].as_i64(), me.body["user_id"].as_i64()), (Some(patient), Some(user)), "{}", me.body);
        assert_eq!(me.body["cin"], cin.as_str());
        assert_eq!(me.body["birth_date"], "1990-04-12");
        // The appointment on the skipped slot is nowhere.
        let lost = api.get("/api/v1/appointments/960", Some(&doctor)).await;
        assert_eq!(lost.status, StatusCode::NOT_FOUND, "{}", lost.body);

        legacy.drop().await;
        p.stop().await;
    }
}
