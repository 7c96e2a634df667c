//! `quickcare import-legacy` of schedules, appointments, ratings and
//! notifications (`support::legacy` plus this test's own dirty rows):
//! after the import the platform behaves as if the history had happened
//! on it, and counts match SQL on the legacy database.

use chrono::Weekday;
use reqwest::StatusCode;
use serde_json::json;

use crate::support::{
    Options,
    api::Api,
    legacy::{DOCTORS, Legacy, count, import, token},
    next,
};

/// Slot 900 (doctor 1, Tuesdays 21:00) is free, slot 901 (Wednesdays
/// 21:00) held on 2030-01-02 by appointment 900 and double-booked by 901;
/// then a dangling slot, a dangling schedule, a bad status, a slot of
/// another doctor, a score out of range and a message to nobody.
/// `patient1` (user 5) has a read legacy message.
const DIRTY: &str = "\
INSERT INTO schedules (id, start, end, day, specific_date, status, doctor_id) VALUES \
(900, '21:00:00', '21:30:00', 'Tuesday', NULL, 'false', 1), \
(901, '21:00:00', '21:30:00', 'Wednesday', NULL, 'true', 1), \
(902, '21:00:00', '21:30:00', 'Friday', NULL, 'false', 99999);
INSERT INTO appointments (id, reason, status, appointment_date, patient_id, doctor_id, schedule_id, created_at, updated_at) VALUES \
(900, 'Legacy hold', 'Approved', '2030-01-02', 1, 1, 901, NOW(), NOW()), \
(901, 'Double booked', 'Pending', '2030-01-02', 2, 1, 901, NOW(), NOW()), \
(902, 'Lost slot', 'Pending', '2030-01-08', 1, 1, 99999, NOW(), NOW()), \
(903, 'Odd status', 'Lost', '2030-01-08', 1, 1, 900, NOW(), NOW()), \
(904, 'Wrong doctor', 'Pending', '2030-01-08', 1, 3, 900, NOW(), NOW());
INSERT INTO ratings (id, patient_id, doctor_id, rating, created_at, updated_at) VALUES (900, 1, 1, 9, NOW(), NOW());
INSERT INTO notifications (id, user_id, title, message, is_read, created_at, updated_at) VALUES \
(900, 99999, 'Lost', 'nobody', 0, NOW(), NOW()), \
(901, 5, 'Legacy welcome back', 'Your file moved to QuickCare.', 1, '2026-11-01 10:00:00', '2026-11-01 10:00:00');
";

kit::per_backend! {
    async fn legacy_appointments_ratings_and_notifications_carry_over(backend: Backend) {
        let p = crate::support::start(crate::support::mode(backend), Options::default()).await;
        let api = Api::new(&p.url());
        let legacy = Legacy::create_with(&p.namespace, DIRTY).await;
        let from = legacy.url();
        let sql = legacy.connect().await;

        // A dry run names every dirty row.
        let report = import(&p, &["--from", &from, "--dry-run"]).await;
        for line in [
            "skipped schedules 902: doctor 99999 is not imported",
            "skipped appointments 901: slot taken: appointments 900 holds schedule 901 on 2030-01-02",
            "skipped appointments 902: dangling schedule_id 99999",
            "skipped appointments 903: unknown status \"Lost\"",
            "skipped appointments 904: schedule 900 is doctor 1's, not doctor 3's",
            "skipped ratings 900: rating 9 is not 1 to 5",
            "skipped notifications 900: dangling user_id 99999",
            "skipped rows: 13",
        ] {
            assert!(report.contains(line), "{line:?} missing from:\n{report}");
        }

        let report = import(&p, &["--from", &from]).await;
        let appointments = count(&sql, "SELECT COUNT(*) FROM appointments WHERE id <= 900").await;
        assert!(report.contains(&format!("\n  appointments written: {appointments}\n")), "{report}");

        // A legacy patient and a legacy doctor see their appointments.
        let patient = token(&api, "patient3@quickcare.example").await;
        let mine = api.get("/api/v1/appointments?per_page=100", Some(&patient)).await;
        assert_eq!(mine.status, StatusCode::OK, "{}", mine.body);
        assert_eq!(mine.body["total"], count(&sql, "SELECT COUNT(*) FROM appointments WHERE patient_id = 3").await);
        let doctor = token(&api, "doctor2@quickcare.example").await;
        let theirs = api.get("/api/v1/appointments?per_page=100", Some(&doctor)).await;
        assert_eq!(theirs.status, StatusCode::OK, "{}", theirs.body);
        assert_eq!(theirs.body["total"], count(&sql, "SELECT COUNT(*) FROM appointments WHERE doctor_id = 2").await);

        // Their appointments make the care relationships: the doctor lists
        // and opens the records of their legacy patients.
        let patients = api.get("/api/v1/patients?per_page=100", Some(&doctor)).await;
        assert_eq!(patients.status, StatusCode::OK, "{}", patients.body);
        let seen = "FROM appointments WHERE doctor_id = 2 AND patient_id <= 12";
        assert_eq!(patients.body["total"], count(&sql, &format!("SELECT COUNT(DISTINCT patient_id) {seen}")).await);
        let one = count(&sql, &format!("SELECT CAST(MIN(patient_id) AS SIGNED) {seen}")).await;
        let record = api.get(&format!("/api/v1/patients/{one}"), Some(&doctor)).await;
        assert_eq!(record.status, StatusCode::OK, "{}", record.body);

        // Every doctor's average is the legacy ratings' (recomputed, not copied).
        for doctor_id in 1..=DOCTORS {
            let summary = api.get(&format!("/api/v1/ratings/summary?doctor_id={doctor_id}"), None).await;
            assert_eq!(summary.status, StatusCode::OK, "{}", summary.body);
            let rated = format!("FROM ratings WHERE doctor_id = {doctor_id} AND id < 900");
            let n = count(&sql, &format!("SELECT COUNT(*) {rated}")).await;
            let hundredths = count(&sql, &format!("SELECT CAST(COALESCE(ROUND(AVG(rating) * 100), 0) AS SIGNED) {rated}")).await;
            assert_eq!(summary.body["count"], n, "doctor {doctor_id}: {}", summary.body);
            let average = summary.body["average"].as_f64().unwrap();
            assert_eq!((average * 100.0).round() as i64, hundredths, "doctor {doctor_id}: {}", summary.body);
        }

        // A legacy completed visit lets its patient rate the doctor again
        // (the rating replaces theirs, if any).
        let visited = "FROM appointments WHERE status = 'Completed' AND id < 900";
        let (who, whom) = (
            count(&sql, &format!("SELECT CAST(MIN(patient_id) AS SIGNED) {visited}")).await,
            count(&sql, &format!("SELECT CAST(MIN(doctor_id) AS SIGNED) {visited} AND patient_id = (SELECT MIN(patient_id) {visited})")).await,
        );
        let rater = token(&api, &format!("patient{who}@quickcare.example")).await;
        let rated = api.post("/api/v1/ratings", Some(&rater), json!({"doctor_id": whom, "rating": 5})).await;
        assert!(matches!(rated.status, StatusCode::OK | StatusCode::CREATED), "{}", rated.body);

        // A legacy notification is in its user's inbox, read as it was.
        let first = token(&api, "patient1@quickcare.example").await;
        let inbox = api.get("/api/v1/notifications?per_page=100", Some(&first)).await;
        assert_eq!(inbox.status, StatusCode::OK, "{}", inbox.body);
        assert_eq!(inbox.body["total"], count(&sql, "SELECT COUNT(*) FROM notifications WHERE user_id = 5").await);
        let welcome = inbox.body["data"].as_array().unwrap().iter().find(|n| n["title"] == "Legacy welcome back");
        assert_eq!(welcome.map(|n| n["is_read"].clone()), Some(json!(true)), "{}", inbox.body);

        // History sent nothing.
        let mailbox = kit::mail::DevMailbox::new(p.dir.path().join("mailbox"));
        assert!(mailbox.list().unwrap_or_default().is_empty(), "the import sent mail");

        // A re-run changes nothing.
        let report = import(&p, &["--from", &from]).await;
        for table in ["doctor_directory", "schedules", "appointments", "care_relationships", "visits", "ratings",
            "rating_summaries", "appointment_facts", "doctor_summaries", "contacts", "doctor_names", "notifications"]
        {
            assert!(report.contains(&format!("\n  {table} written: 0\n")), "{table} rewritten:\n{report}");
        }

        // A legacy weekly slot takes a booking (its id after the legacy
        // ones); the legacy active slot is taken.
        let second = token(&api, "patient2@quickcare.example").await;
        let free = json!({"doctor_id": 1, "schedule_id": 900, "date": next(Weekday::Tue), "reason": "after the move"});
        let booked = kit::testing::eventually("the booking of a legacy slot", || async {
            let r = api.post("/api/v1/appointments", Some(&second), free.clone()).await;
            (r.status == StatusCode::CREATED).then_some(r.body)
        })
        .await;
        assert!(booked["id"].as_i64().unwrap() > 900, "{booked}");
        let held = json!({"doctor_id": 1, "schedule_id": 901, "date": "2030-01-02", "reason": "taken"});
        let taken = api.post("/api/v1/appointments", Some(&second), held).await;
        assert_eq!(taken.status, StatusCode::CONFLICT, "{}", taken.body);

        legacy.drop().await;
        p.stop().await;
    }
}
