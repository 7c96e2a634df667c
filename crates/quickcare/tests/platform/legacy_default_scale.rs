//! The cut-over checks (issue 13, "What it must show") on
//! `make_sample.py` data at its default scale (10 doctors, 40 patients:
//! user 1 is the admin, users 2..=11 doctors 1..=10, users 12..=51
//! patients 1..=40) plus [`DIRTY`] rows, embedded and distributed. Each
//! behaviour imports into a platform of its own (an import at this scale
//! takes a few seconds; the time is printed), so none depends on what
//! another did.

use std::time::Instant;

use chrono::Weekday;
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::json;

use crate::support::{
    Options, Platform,
    api::{Api, unique_cin, unique_email},
    legacy::{
        LEGACY_PASSWORD, Legacy, Scale, application_token, assert_lines, count, doctor_registration, import,
        token,
    },
    next, ready,
};

/// Beside the common dirty rows (`support::legacy`): slot 900 (doctor 1,
/// Tuesdays 21:00) free, slot 901 (Wednesdays 21:00) held on 2030-01-02
/// by appointment 900 and double-booked by 901; a slot, a doctor, an
/// appointment, a rating, a notification and an application hanging off
/// nothing or refused; appointment 905, a past visit with the patient's
/// stated availability; patient 950 (user 950), whose rating of doctor 1
/// holds a blocked word; application 2's token moved into the future (the
/// sample dates it from its own "today").
const DIRTY: &str = "\
INSERT INTO schedules (id, start, end, day, specific_date, status, doctor_id) VALUES \
(900, '21:00:00', '21:30:00', 'Tuesday', NULL, 'false', 1), \
(901, '21:00:00', '21:30:00', 'Wednesday', NULL, 'true', 1), \
(902, '21:00:00', '21:30:00', 'Friday', NULL, 'false', 99999);
INSERT INTO appointments (id, reason, status, Patient_Disponibility, appointment_date, patient_id, doctor_id, schedule_id, created_at, updated_at) VALUES \
(900, 'Legacy hold', 'Approved', NULL, '2030-01-02', 1, 1, 901, NOW(), NOW()), \
(901, 'Double booked', 'Pending', NULL, '2030-01-02', 2, 1, 901, NOW(), NOW()), \
(902, 'Lost slot', 'Pending', NULL, '2030-01-08', 1, 1, 99999, NOW(), NOW()), \
(903, 'Odd status', 'Lost', NULL, '2030-01-08', 1, 1, 900, NOW(), NOW()), \
(904, 'Wrong doctor', 'Pending', NULL, '2030-01-08', 1, 3, 900, NOW(), NOW()), \
(905, 'Suivi', 'Completed', ' mornings, not Fridays ', '2026-11-17', 1, 1, 900, NOW(), NOW());
INSERT INTO doctors (id, birth_date, degree, status, specialty_id, user_id) VALUES \
(900, '1970-01-01', 'MD', 'active', 1, 99999);
INSERT INTO users (id, name, email, password, gender, phone, address_id, user_type, created_at, updated_at) VALUES \
(950, 'Rude Patient', 'rude@quickcare.example', '$2y$10$YQYA.I/eHP3qkZKQF5Ngi.Bwebal2YeRGs1l3vJQAbK9ieHoGSByu', 'male', '0600000000', 1, 'patient', NOW(), NOW());
INSERT INTO patients (id, cin, birth_date, user_id) VALUES (950, 'ZZ950', '1980-01-01', 950);
INSERT INTO ratings (id, patient_id, doctor_id, rating, comment, created_at, updated_at) VALUES \
(900, 1, 1, 9, NULL, NOW(), NOW()), \
(901, 950, 1, 1, 'Quel imbécile !', NOW(), NOW());
INSERT INTO notifications (id, user_id, title, message, is_read, created_at, updated_at) VALUES \
(900, 99999, 'Lost', 'nobody', 0, NOW(), NOW());
INSERT INTO applications (id, name, email, details, cv, status, registration_token, token_expiry) VALUES \
(900, 'Dr. No Mail', 'no-mail', 'GP', 'CV_900.pdf', 'pending', NULL, NULL);
UPDATE applications SET token_expiry = NOW() + INTERVAL 2 DAY WHERE id = 2;
";

/// The injected appointments the import leaves out (see [`DIRTY`]).
const SKIPPED_APPOINTMENTS: &str = "901, 902, 903, 904";
const DOCTORS: i64 = 10;
const PATIENTS: i64 = 40;

/// A platform of its own and a default-scale legacy database.
struct Clinic {
    p: Platform,
    api: Api,
    legacy: Legacy,
    sql: DatabaseConnection,
}

impl Clinic {
    /// Nothing imported yet.
    async fn open(backend: kit::testing::Backend) -> Self {
        let p = crate::support::start(crate::support::mode(backend), Options::default()).await;
        let api = Api::new(&p.url());
        let legacy = Legacy::create_at(&p.namespace, Scale::Default, DIRTY).await;
        let sql = legacy.connect().await;
        Self { p, api, legacy, sql }
    }

    /// With the monolith imported once.
    async fn imported(backend: kit::testing::Backend) -> Self {
        let clinic = Self::open(backend).await;
        clinic.import(&[]).await;
        clinic
    }

    /// `import-legacy --from <the legacy database> <args>`'s report; how
    /// long it took goes to the test's output.
    async fn import(&self, args: &[&str]) -> String {
        let from = self.legacy.url();
        let started = Instant::now();
        let report = import(&self.p, &[&["--from", from.as_str()], args].concat()).await;
        eprintln!("import-legacy {args:?} at default scale: {:?}", started.elapsed());
        report
    }

    async fn count(&self, sql: &str) -> i64 {
        count(&self.sql, sql).await
    }

    async fn close(self) {
        self.legacy.drop().await;
        self.p.stop().await;
    }
}

/// The legacy admin's access token.
async fn admin_token(api: &Api) -> String {
    let login = api.login("admin@example.com", "admin2025").await;
    assert_eq!(login.status, StatusCode::OK, "{}", login.body);
    login.body["access_token"].as_str().unwrap().to_owned()
}

/// `GET /api/v1/appointments`' total as `token`.
async fn appointments_seen(api: &Api, token: &str) -> i64 {
    let r = api.get("/api/v1/appointments?per_page=100", Some(token)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body["total"].as_i64().unwrap()
}

kit::per_backend! {
    async fn a_default_scale_dry_run_names_every_injected_dirty_row_and_writes_nothing(backend: Backend) {
        let clinic = Clinic::open(backend).await;
        let report = clinic.import(&["--dry-run"]).await;
        assert_lines(&report, &[
            "skipped users 900: invalid email \"not-an-email\"",
            "skipped users 901: duplicate email (users 12 has it)",
            "skipped users 902: dangling address_id 99999",
            "skipped patients 900: dangling user_id 99999",
            "skipped patients 901: its user 902 was skipped",
            "skipped patients 902: user 1 is not a patient (admin)",
            "skipped doctors 900: dangling user_id 99999",
            "skipped applications 900: invalid email \"no-mail\"",
            "skipped schedules 902: doctor 99999 is not imported",
            "skipped appointments 901: slot taken: appointments 900 holds schedule 901 on 2030-01-02",
            "skipped appointments 902: dangling schedule_id 99999",
            "skipped appointments 903: unknown status \"Lost\"",
            "skipped appointments 904: schedule 900 is doctor 1's, not doctor 3's",
            "skipped ratings 900: rating 9 is not 1 to 5",
            "skipped notifications 900: dangling user_id 99999",
            "skipped rows: 15",
            &format!("patients to import: {}", PATIENTS + 1),
            &format!("doctors to import: {DOCTORS}"),
        ]);
        let api = &clinic.api;
        let login = api.login("patient1@quickcare.example", LEGACY_PASSWORD).await;
        assert_eq!(login.status, StatusCode::UNAUTHORIZED, "the dry run wrote an account");
        clinic.close().await;
    }

    async fn legacy_users_of_each_role_log_in_twice_with_their_legacy_passwords_and_keep_their_ids(backend: Backend) {
        let clinic = Clinic::imported(backend).await;
        let api = &clinic.api;
        // (email, password, user id, role, the profile path and its id)
        let sampled = [
            ("admin@example.com", "admin2025", 1, "admin", None),
            ("doctor1@quickcare.example", LEGACY_PASSWORD, 2, "doctor", Some(("/api/v1/doctors/me", 1))),
            ("doctor7@quickcare.example", LEGACY_PASSWORD, 8, "doctor", Some(("/api/v1/doctors/me", 7))),
            ("patient1@quickcare.example", LEGACY_PASSWORD, 12, "patient", Some(("/api/v1/patients/me", 1))),
            ("patient40@quickcare.example", LEGACY_PASSWORD, 51, "patient", Some(("/api/v1/patients/me", 40))),
        ];
        for (email, password, user_id, role, profile) in sampled {
            // The first login checks the bcrypt hash and upgrades it; the
            // second checks the argon2id one.
            for attempt in ["legacy hash", "rehashed"] {
                let login = api.login(email, password).await;
                assert_eq!(login.status, StatusCode::OK, "{email} ({attempt}): {}", login.body);
                assert_eq!(login.body["user"]["id"], user_id, "{email}");
                assert_eq!(login.body["user"]["role"], role, "{email}");
                let token = login.body["access_token"].as_str().unwrap();
                if let Some((path, id)) = profile {
                    let me = ready(api, path, Some(token)).await;
                    assert_eq!((me["id"].as_i64(), me["user_id"].as_i64()), (Some(id), Some(user_id)), "{me}");
                }
            }
        }
        clinic.close().await;
    }

    async fn legacy_users_see_as_many_appointments_as_the_monolith_holds_for_them(backend: Backend) {
        let clinic = Clinic::imported(backend).await;
        let api = &clinic.api;
        let kept = format!("id NOT IN ({SKIPPED_APPOINTMENTS})");
        let admin = admin_token(api).await;
        let all = clinic.count(&format!("SELECT COUNT(*) FROM appointments WHERE {kept}")).await;
        assert_eq!(appointments_seen(api, &admin).await, all);
        for doctor in 1..=DOCTORS {
            let seen = appointments_seen(api, &token(api, &format!("doctor{doctor}@quickcare.example")).await).await;
            let held = clinic.count(&format!("SELECT COUNT(*) FROM appointments WHERE doctor_id = {doctor} AND {kept}")).await;
            assert_eq!(seen, held, "doctor {doctor}");
        }
        for patient in (1..=PATIENTS).step_by(6) {
            let seen = appointments_seen(api, &token(api, &format!("patient{patient}@quickcare.example")).await).await;
            let held = clinic.count(&format!("SELECT COUNT(*) FROM appointments WHERE patient_id = {patient} AND {kept}")).await;
            assert_eq!(seen, held, "patient {patient}");
        }
        // What the patient said of their availability came along.
        let first = token(api, "patient1@quickcare.example").await;
        let visit = api.get("/api/v1/appointments/905", Some(&first)).await;
        assert_eq!(visit.status, StatusCode::OK, "{}", visit.body);
        assert_eq!(visit.body["patient_availability"], "mornings, not Fridays", "{}", visit.body);
        assert_eq!(visit.body["status"], "completed", "{}", visit.body);
        clinic.close().await;
    }

    async fn a_patient_books_a_legacy_weekly_slot_and_a_legacy_active_slot_answers_409(backend: Backend) {
        let clinic = Clinic::imported(backend).await;
        let api = &clinic.api;
        let patient = token(api, "patient2@quickcare.example").await;
        let tuesday = next(Weekday::Tue);
        let free = json!({"doctor_id": 1, "schedule_id": 900, "date": tuesday, "reason": "after the move",
            "patient_availability": " after 17:00 "});
        let mut too_long = free.clone();
        too_long["patient_availability"] = json!("x".repeat(256));
        let refused = api.post("/api/v1/appointments", Some(&patient), too_long).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
        let booked = kit::testing::eventually("the booking of a legacy slot", || async {
            let r = api.post("/api/v1/appointments", Some(&patient), free.clone()).await;
            (r.status == StatusCode::CREATED).then_some(r.body)
        })
        .await;
        assert_eq!((booked["patient_id"].as_i64(), booked["schedule_id"].as_i64()), (Some(2), Some(900)), "{booked}");
        assert_eq!(booked["patient_availability"], "after 17:00", "{booked}");
        let last_legacy = clinic.count("SELECT CAST(MAX(id) AS SIGNED) FROM appointments").await;
        assert!(booked["id"].as_i64().unwrap() > last_legacy, "{booked} after {last_legacy}");
        let held = json!({"doctor_id": 1, "schedule_id": 901, "date": "2030-01-02", "reason": "taken"});
        let taken = api.post("/api/v1/appointments", Some(&patient), held).await;
        assert_eq!(taken.status, StatusCode::CONFLICT, "{}", taken.body);
        clinic.close().await;
    }

    async fn a_legacy_appointment_on_a_slot_or_an_id_taken_on_quickcare_since_is_a_reported_skip(backend: Backend) {
        let clinic = Clinic::imported(backend).await;
        let api = &clinic.api;
        let patient = token(api, "patient3@quickcare.example").await;
        let tuesday = next(Weekday::Tue);
        let body = json!({"doctor_id": 1, "schedule_id": 900, "date": tuesday, "reason": "booked on QuickCare"});
        let booked = kit::testing::eventually("a booking on QuickCare", || async {
            let r = api.post("/api/v1/appointments", Some(&patient), body.clone()).await;
            (r.status == StatusCode::CREATED).then_some(r.body)
        })
        .await;
        // Meanwhile the monolith, still open, booked the same slot and date
        // (under an id QuickCare has not given out), and numbered on into
        // the id QuickCare gave the booking.
        let id = booked["id"].as_i64().unwrap();
        clinic.sql.execute_unprepared(&format!(
            "INSERT INTO appointments (id, reason, status, appointment_date, patient_id, doctor_id, schedule_id, \
             created_at, updated_at) VALUES \
             (5000, 'Booked on the monolith', 'Pending', '{tuesday}', 4, 1, 900, NOW(), NOW()), \
             ({id}, 'Numbered on', 'Completed', '2026-11-10', 4, 1, 900, NOW(), NOW())"
        )).await.unwrap();
        let slot_taken =
            format!("skipped appointments 5000: slot taken on QuickCare: appointments {id} holds schedule 900 on {tuesday}");
        let id_taken = format!("skipped appointments {id}: id taken on QuickCare by an appointment of patient 3");
        let lines = [slot_taken.as_str(), id_taken.as_str(), "skipped rows: 17"];
        let dry = clinic.import(&["--dry-run"]).await;
        assert_lines(&dry, &lines);
        let report = clinic.import(&[]).await;
        assert_lines(&report, &[lines[0], lines[1], lines[2], "\n  appointments written: 0\n"]);
        let admin = admin_token(api).await;
        assert_eq!(api.get("/api/v1/appointments/5000", Some(&admin)).await.status, StatusCode::NOT_FOUND);
        let ours = api.get(&format!("/api/v1/appointments/{id}"), Some(&patient)).await;
        assert_eq!((&ours.body["status"], &ours.body["reason"]), (&json!("pending"), &json!("booked on QuickCare")), "{}", ours.body);
        clinic.close().await;
    }

    async fn every_doctors_average_is_the_legacy_ratings_average_and_a_blocked_comment_is_held(backend: Backend) {
        let clinic = Clinic::imported(backend).await;
        let api = &clinic.api;
        for doctor in 1..=DOCTORS {
            // Ratings 900 (out of scale) and 901 (held: a blocked word) are
            // the injected ones; every other legacy rating is published.
            let rated = format!("FROM ratings WHERE doctor_id = {doctor} AND id < 900");
            let n = clinic.count(&format!("SELECT COUNT(*) {rated}")).await;
            let hundredths =
                clinic.count(&format!("SELECT CAST(COALESCE(ROUND(AVG(rating) * 100), 0) AS SIGNED) {rated}")).await;
            let summary = api.get(&format!("/api/v1/ratings/summary?doctor_id={doctor}"), None).await;
            assert_eq!(summary.status, StatusCode::OK, "{}", summary.body);
            assert_eq!(summary.body["count"], n, "doctor {doctor}: {}", summary.body);
            let average = summary.body["average"].as_f64().unwrap();
            assert_eq!((average * 100.0).round() as i64, hundredths, "doctor {doctor}: {}", summary.body);
            // The doctor service's copy (what the listing sorts by) is the same.
            let profile = api.get(&format!("/api/v1/doctors/{doctor}"), None).await;
            assert_eq!(profile.body["rating_count"], n, "doctor {doctor}: {}", profile.body);
            let listed = profile.body["avg_rating"].as_f64().unwrap();
            assert_eq!((listed * 100.0).round() as i64, hundredths, "doctor {doctor}: {}", profile.body);
        }
        let admin = admin_token(api).await;
        let queue = api.get("/api/v1/ratings/moderation?per_page=100", Some(&admin)).await;
        assert_eq!(queue.status, StatusCode::OK, "{}", queue.body);
        let held = queue.body["data"].as_array().unwrap().iter().find(|r| r["id"] == 901).cloned();
        let held = held.unwrap_or_else(|| panic!("rating 901 is not held: {}", queue.body));
        assert_eq!(held["status"], "held", "{held}");
        clinic.close().await;
    }

    async fn an_approved_applications_token_registers_its_doctor_and_new_ids_follow_the_legacy_ones(backend: Backend) {
        let clinic = Clinic::imported(backend).await;
        let api = &clinic.api;
        let register = "/api/v1/auth/register/doctor";
        let registered =
            api.post(register, None, doctor_registration(&application_token('x'), "approved@quickcare.example")).await;
        assert_eq!(registered.status, StatusCode::CREATED, "{}", registered.body);
        assert!(registered.body["user"]["id"].as_i64().unwrap() > 950, "{}", registered.body);
        let doctor = registered.body["access_token"].as_str().unwrap().to_owned();
        let profile = ready(api, "/api/v1/doctors/me", Some(&doctor)).await;
        assert!(profile["id"].as_i64().unwrap() > DOCTORS, "new doctor {profile}");
        let slot = api.post("/api/v1/schedules", Some(&doctor), json!({"day": "Monday", "start": "10:00"})).await;
        assert_eq!(slot.status, StatusCode::CREATED, "{}", slot.body);
        assert!(slot.body["id"].as_i64().unwrap() > 901, "new slot {}", slot.body);
        let expired =
            api.post(register, None, doctor_registration(&application_token('y'), "expired@quickcare.example")).await;
        assert_eq!(expired.status, StatusCode::GONE, "{}", expired.body);

        let (user_id, patient, _) = api.register(&unique_email("after"), &unique_cin()).await;
        assert!(user_id > 950, "new user id {user_id}");
        let record = ready(api, "/api/v1/patients/me", Some(&patient)).await;
        assert!(record["id"].as_i64().unwrap() > 950, "new patient {record}");
        clinic.close().await;
    }

    async fn a_default_scale_rerun_changes_nothing_and_history_sent_no_mail(backend: Backend) {
        let clinic = Clinic::imported(backend).await;
        let report = clinic.import(&[]).await;
        assert_lines(&report, &["users inserted: 0", "users updated: 0", "skipped rows: 15"]);
        for table in ["user_directory", "addresses", "patients", "specialities", "doctors", "applications",
            "doctor_directory", "schedules", "appointments", "care_relationships", "visits", "ratings",
            "rating_summaries", "appointment_facts", "doctor_summaries", "contacts", "doctor_names", "notifications"]
        {
            assert!(report.contains(&format!("\n  {table} written: 0\n")), "{table} rewritten:\n{report}");
        }
        let mailbox = kit::mail::DevMailbox::new(clinic.p.dir.path().join("mailbox"));
        assert!(mailbox.list().unwrap_or_default().is_empty(), "the import sent mail");
        clinic.close().await;
    }
}
