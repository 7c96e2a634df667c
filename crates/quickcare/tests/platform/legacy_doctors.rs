//! `quickcare import-legacy` of the doctor side — specialties, doctor
//! profiles, applications, and the files of `--files` (CVs, pictures) —
//! against a monolith database (`support::legacy`) with dirty doctor and
//! application rows of its own.

use reqwest::StatusCode;
use sea_orm::ConnectionTrait;

use crate::support::{
    Options,
    api::{Api, PASSWORD, unique_cin},
    legacy::{LEGACY_PASSWORD, Legacy, application_token, assert_lines, doctor_registration, import},
    ready,
};

/// Dirty doctor-side rows, a picture for doctor 1's account (user 2) and a
/// missing one for doctor 2's (user 3); application 2's token is moved
/// into the future (the sample dates it from its own "today").
const DIRTY: &str = "\
    INSERT INTO users (id, name, email, password, gender, phone, user_type, created_at, updated_at) VALUES \
    (903, 'Dr. Nowhere', 'nowhere@quickcare.example', 'x', 'male', '0600000000', 'doctor', NOW(), NOW());\n\
    INSERT INTO specialities (id, name) VALUES (900, ' cardiology ');\n\
    INSERT INTO doctors (id, birth_date, degree, status, specialty_id, user_id) VALUES \
    (900, '1970-01-01', 'MD', 'active', 1, 99999), (901, '1970-01-01', 'MD', 'active', 1, 5), \
    (902, '1970-01-01', 'MD', 'active', 1, 2), (903, '1970-01-01', 'MD', 'active', 999, 903), \
    (904, '1970-01-01', 'MD', 'active', 1, 902);\n\
    INSERT INTO applications (id, name, email, details, cv, status, registration_token, token_expiry) VALUES \
    (900, 'Dr. No Mail', 'no-mail', 'GP', 'CV_900.pdf', 'pending', NULL, NULL), \
    (901, 'Dr. Twin', 'twin@quickcare.example', 'GP', 'CV_901.pdf', 'approved', \
     CONCAT('tok', REPEAT('x', 57)), NOW());\n\
    UPDATE applications SET token_expiry = NOW() + INTERVAL 2 DAY WHERE id = 2;\n\
    UPDATE users SET img = 'images/doctor1.png' WHERE id = 2;\n\
    UPDATE users SET img = 'images/gone.png' WHERE id = 3;\n";

/// The monolith's files: two good CVs, one that is not a CV (application
/// 3's is missing), and doctor 1's picture.
fn legacy_files() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("CV_1714050000.pdf"), b"%PDF-1.4 pending applicant").unwrap();
    std::fs::write(dir.path().join("CV_1714050001.pdf"), b"%PDF-1.4 approved applicant").unwrap();
    std::fs::write(dir.path().join("CV_1714050003.pdf"), b"<html>not a CV</html>").unwrap();
    std::fs::create_dir(dir.path().join("images")).unwrap();
    let mut png = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_pixel(16, 16, image::Rgb([200, 30, 30]))
        .write_to(&mut png, image::ImageFormat::Png)
        .unwrap();
    std::fs::write(dir.path().join("images/doctor1.png"), png.into_inner()).unwrap();
    dir
}

async fn bytes(api: &Api, path: &str, token: &str) -> (StatusCode, String, Vec<u8>) {
    let r = api.get(path, Some(token)).await;
    let kind = r.header("content-type").unwrap_or_default().to_owned();
    (r.status, kind, r.bytes)
}

kit::per_backend! {
    async fn legacy_doctors_keep_ids_files_and_tokens_and_every_dirty_row_is_reported(backend: Backend) {
        let p = crate::support::start(crate::support::mode(backend), Options::default()).await;
        let api = Api::new(&p.url());
        let legacy = Legacy::create_with(&p.namespace, DIRTY).await;
        let from = legacy.url();
        let files = legacy_files();
        let files_arg = files.path().to_str().unwrap();

        // A dry run (without the files) names every dirty row and every
        // file it would not bring.
        let report = import(&p, &["--from", &from, "--dry-run"]).await;
        assert_lines(&report, &[
            "skipped specialities 900: duplicate name (specialities 2 has it)",
            "skipped doctors 900: dangling user_id 99999",
            "skipped doctors 901: user 5 is not a doctor (patient)",
            "skipped doctors 902: user 2 already has doctors 1",
            "skipped doctors 903: dangling specialty_id 999",
            "skipped doctors 904: its user 902 was skipped",
            "skipped applications 900: invalid email \"no-mail\"",
            "skipped applications 901: registration token of applications 2",
            "skipped rows: 14",
            "warning applications 1: CV \"CV_1714050000.pdf\" not imported (no --files)",
            "warning users 2: picture \"images/doctor1.png\" not imported (no --files)",
            "specialities to import: 12",
            "doctors to import: 3",
            "applications to import: 4",
        ]);

        // The real run brings the files it can and warns about the rest.
        let report = import(&p, &["--from", &from, "--files", files_arg]).await;
        assert_lines(&report, &[
            "skipped rows: 14",
            "warning applications 3: CV not imported: file \"CV_1714050002.docx\" not found under --files",
            "warning applications 4: CV not imported: the CV must be a PDF, DOC or DOCX file",
            "warning users 3: picture not imported: file \"images/gone.png\" not found under --files",
            "warnings: 3",
            "specialities written: 12",
            "doctors written: 3",
            "applications written: 4",
            "CV files written: 2",
            "pictures written: 1",
        ]);

        // A legacy doctor logs in with the legacy password and keeps its
        // ids, degree and specialty; the rating summary starts empty.
        let login = api.login("doctor1@quickcare.example", LEGACY_PASSWORD).await;
        assert_eq!(login.status, StatusCode::OK, "{}", login.body);
        assert_eq!(login.body["user"]["id"], 2);
        assert_eq!(login.body["user"]["role"], "doctor");
        let doctor = login.body["access_token"].as_str().unwrap().to_owned();
        let me = ready(&api, "/api/v1/doctors/me", Some(&doctor)).await;
        assert_eq!((me["id"].as_i64(), me["user_id"].as_i64()), (Some(1), Some(2)), "{me}");
        let specialty: i64 =
            legacy.value("SELECT CAST(specialty_id AS SIGNED) FROM doctors WHERE id = 1").await;
        let degree: String = legacy.value("SELECT degree FROM doctors WHERE id = 1").await;
        let profile = api.get("/api/v1/doctors/1", None).await;
        assert_eq!(profile.status, StatusCode::OK, "{}", profile.body);
        assert_eq!(profile.body["specialty"]["id"], specialty, "{}", profile.body);
        assert_eq!(profile.body["timezone"], "Africa/Casablanca");
        assert_eq!(profile.body["status"], "active");
        assert_eq!(profile.body["degree"], degree);
        // The summary is the legacy ratings' own, never `doctors.avg_rating`.
        let (average, count): (f64, i64) = (
            legacy.value("SELECT CAST(COALESCE(AVG(rating), 0) AS DOUBLE) FROM ratings WHERE doctor_id = 1").await,
            legacy.value("SELECT COUNT(*) FROM ratings WHERE doctor_id = 1").await,
        );
        let summary = (profile.body["avg_rating"].as_f64().unwrap(), profile.body["rating_count"].as_i64());
        assert!((summary.0 - average).abs() < 0.01, "{summary:?} vs the legacy ratings' {average}");
        assert_eq!(summary.1, Some(count));
        assert!(profile.body["city"].as_str().is_some_and(|c| !c.is_empty()), "{}", profile.body);
        let listed = api.get(&format!("/api/v1/doctors?specialty_id={specialty}"), None).await;
        assert!(listed.body["data"].as_array().unwrap().iter().any(|d| d["id"] == 1), "{}", listed.body);

        // Its picture was copied into the avatar store, re-encoded.
        let account = api.get("/api/v1/auth/me", Some(&doctor)).await;
        let img_url = account.body["img_url"].as_str().expect("an imported picture").to_owned();
        let (status, kind, png) = bytes(&api, &img_url, &doctor).await;
        assert_eq!((status, kind.as_str()), (StatusCode::OK, "image/png"));
        assert!(png.starts_with(b"\x89PNG"));

        // The CVs an admin downloads are the legacy files; a missing one is a 404.
        let admin = api.login("admin@example.com", "admin2025").await;
        let admin = admin.body["access_token"].as_str().unwrap().to_owned();
        let (status, kind, cv) = bytes(&api, "/api/v1/doctor-applications/2/cv", &admin).await;
        assert_eq!((status, kind.as_str()), (StatusCode::OK, "application/pdf"));
        assert_eq!(cv, b"%PDF-1.4 approved applicant");
        assert_eq!(bytes(&api, "/api/v1/doctor-applications/3/cv", &admin).await.0, StatusCode::NOT_FOUND);
        let approved = api.get("/api/v1/doctor-applications?status=approved", Some(&admin)).await;
        assert_eq!(approved.body["total"], 2, "{}", approved.body);

        // An account made on the platform meanwhile keeps its email: the
        // legacy user with the same one is a reported skip, with its doctor.
        let (late_id, _, _) = api.register("late@quickcare.example", &unique_cin()).await;
        assert!(late_id > 903, "new user id {late_id}");
        let db = legacy.connect().await;
        for sql in [
            "INSERT INTO users (id, name, email, password, gender, phone, user_type) VALUES \
             (950, 'Dr. Late', 'late@quickcare.example', 'x', 'male', '0600000000', 'doctor')",
            "INSERT INTO doctors (id, birth_date, degree, status, specialty_id, user_id) VALUES \
             (950, '1970-01-01', 'MD', 'active', 1, 950)",
        ] {
            db.execute_unprepared(sql).await.unwrap();
        }

        // A dry run sees the clash already; a full re-run changes nothing
        // else.
        let dry = import(&p, &["--from", &from, "--dry-run"]).await;
        assert_lines(&dry, &[&format!("skipped users 950: email taken by platform account {late_id}")]);
        let report = import(&p, &["--from", &from, "--files", files_arg, "--full"]).await;
        assert_lines(&report, &[
            &format!("skipped users 950: email taken by platform account {late_id}"),
            "skipped doctors 950: its user 950 was skipped",
            "skipped rows: 16",
            "users inserted: 0",
            "users updated: 0",
            "pictures written: 0",
            "pictures unchanged: 1",
            "specialities written: 0",
            "doctors written: 0",
            "doctors unchanged: 3",
            "applications written: 0",
            "CV files written: 0",
            "CV files unchanged: 2",
        ]);
        assert_eq!(api.login("late@quickcare.example", PASSWORD).await.status, StatusCode::OK);

        // The approved application's legacy token registers its doctor,
        // whose ids come after the legacy ones; the expired one is 410.
        let register = "/api/v1/auth/register/doctor";
        let registered =
            api.post(register, None, doctor_registration(&application_token('x'), "approved@quickcare.example")).await;
        assert_eq!(registered.status, StatusCode::CREATED, "{}", registered.body);
        assert_eq!(registered.body["user"]["role"], "doctor");
        let new_doctor = registered.body["access_token"].as_str().unwrap().to_owned();
        let profile = ready(&api, "/api/v1/doctors/me", Some(&new_doctor)).await;
        assert!(profile["id"].as_i64().unwrap() > 3, "new doctor id {profile}");
        let expired =
            api.post(register, None, doctor_registration(&application_token('y'), "expired@quickcare.example")).await;
        assert_eq!(expired.status, StatusCode::GONE, "{}", expired.body);

        // A re-run after the platform moved on keeps what happened there:
        // the redeemed token stays used.
        let report = import(&p, &["--from", &from, "--files", files_arg]).await;
        assert_lines(&report, &["applications written: 0", "doctors written: 0"]);
        let again =
            api.post(register, None, doctor_registration(&application_token('x'), "again@quickcare.example")).await;
        assert_eq!(again.status, StatusCode::GONE, "{}", again.body);

        legacy.drop().await;
        p.stop().await;
    }
}
