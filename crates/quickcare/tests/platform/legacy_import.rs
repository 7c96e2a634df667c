//! `quickcare import-legacy` of users and patients against a monolith
//! database (`support::legacy`). The target is the platform's own
//! storage, in either mode.

use chrono::Weekday;
use reqwest::StatusCode;
use serde_json::json;

use crate::support::{
    Options,
    api::{Api, unique_cin, unique_email},
    legacy::{DOCTORS, LEGACY_PASSWORD, Legacy, PATIENTS, import, imported, quickcare},
    next, ready,
};

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

        // A full re-run compares every row and changes nothing (the
        // upgraded hash stays).
        let report = import(&p, &["--from", &from, "--full"]).await;
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
        let specialty = api.post("/api/v1/specialties", Some(&admin), json!({"name": "Sports Medicine"})).await.body["id"].clone();
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
