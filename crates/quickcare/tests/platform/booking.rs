//! Doctors and booking through the gateway, in embedded and distributed
//! mode: an admin creates a doctor, the doctor opens a slot, 50 patients
//! race for it; 50 reschedules race into one free slot; a doctor
//! application goes from a CV upload to a working doctor account.

use kit::testing::{FilePart, eventually};

use crate::support::{
    Options, Platform, admin_token,
    api::{Api, PASSWORD, unique_cin, unique_email},
    next, ready,
};
use chrono::{Duration as Days, Utc, Weekday};
use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::{Value, json};

kit::per_backend! {
    async fn fifty_patients_race_for_one_slot_through_the_gateway(backend: Backend) {
        let mode = crate::support::mode(backend);
        let p = crate::support::start(mode, Options::default()).await;
        let api = Api::new(&p.url());
        let admin = admin_token(&p, &api).await;
        let specialty = api.post("/api/v1/specialties", Some(&admin), json!({"name": "Cardiology"})).await;
        assert_eq!(specialty.status, StatusCode::CREATED, "{}", specialty.body);
        let doctor_email = unique_email("doctor");
        let created = api
            .post(
                "/api/v1/doctors",
                Some(&admin),
                json!({"name": "Dr Race", "email": doctor_email, "password": PASSWORD, "gender": "male",
                    "phone": "0522123456", "birth_date": "1970-05-05",
                    "address": {"street": "3 Rue Allal", "city": "Rabat"}, "degree": "MD",
                    "specialty_id": specialty.body["id"], "timezone": "Africa/Casablanca"}),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{mode:?}: {}", created.body);
        let doctor_id = created.body["id"].as_i64().unwrap();
        assert!(created.body["user_id"].as_i64().is_some());
        let doctor =
            api.login(&doctor_email, PASSWORD).await.body["access_token"].as_str().unwrap().to_owned();
        ready(&api, &format!("/api/v1/availability?doctor_id={doctor_id}&date=2030-01-01"), None).await;
        let slot =
            api.post("/api/v1/schedules", Some(&doctor), json!({"day": "Tuesday", "start": "10:00"})).await;
        assert_eq!(slot.status, StatusCode::CREATED, "{}", slot.body);
        let slot = slot.body["id"].as_i64().unwrap();
        let tuesday = next(Weekday::Tue);

        let mut patients = Vec::new();
        for _ in 0..50 {
            let (_, token, _) = api.register(&unique_email("racer"), &unique_cin()).await;
            patients.push(token);
        }
        for t in &patients {
            ready(&api, "/api/v1/appointments", Some(t)).await;
        }
        let body = json!({"doctor_id": doctor_id, "schedule_id": slot, "date": tuesday, "reason": "race"});
        let answers =
            join_all(patients.iter().map(|t| api.post("/api/v1/appointments", Some(t), body.clone()))).await;
        let created = answers.iter().filter(|r| r.status == StatusCode::CREATED).count();
        let taken = answers.iter().filter(|r| r.status == StatusCode::CONFLICT).count();
        assert_eq!((created, taken), (1, 49), "{mode:?}");
        let listed = api.get(&format!("/api/v1/appointments?doctor_id={doctor_id}"), Some(&admin)).await;
        assert_eq!(listed.body["total"], 1, "one row");

        // The booking made the doctor a treating doctor: the winner's record opens to them.
        let winner = answers.iter().find(|r| r.status == StatusCode::CREATED).unwrap();
        let record = format!("/api/v1/patients/{}", winner.body["patient_id"]);
        ready(&api, &record, Some(&doctor)).await;
        let loser = answers.iter().find(|r| r.status == StatusCode::CONFLICT).unwrap();
        assert_eq!(loser.body["status"], 409);

        // Fifty appointments on fifty slots race to reschedule into one free slot.
        let mut booked = Vec::new();
        for (i, t) in patients.iter().enumerate() {
            let start = format!("{:02}:{:02}", 7 + i / 4, (i % 4) * 15);
            let end = format!("{:02}:{:02}", 7 + (i + 1) / 4, ((i + 1) % 4) * 15);
            let s = api
                .post(
                    "/api/v1/schedules",
                    Some(&doctor),
                    json!({"day": "Thursday", "start": start, "end": end}),
                )
                .await;
            assert_eq!(s.status, StatusCode::CREATED, "{}", s.body);
            let b = json!({"doctor_id": doctor_id, "schedule_id": s.body["id"], "date": next(Weekday::Thu), "reason": "r"});
            let r = api.post("/api/v1/appointments", Some(t), b).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
            booked.push((t.clone(), r.body["id"].as_i64().unwrap()));
        }
        let target =
            api.post("/api/v1/schedules", Some(&doctor), json!({"day": "Friday", "start": "16:00"})).await;
        let move_to = json!({"schedule_id": target.body["id"], "date": next(Weekday::Fri)});
        let moves = join_all(booked.iter().map(|(t, id)| {
            let path = format!("/api/v1/appointments/{id}/reschedule");
            let (api, body) = (api.clone(), move_to.clone());
            async move { api.post(&path, Some(t), body).await }
        }))
        .await;
        let won = moves.iter().filter(|r| r.status == StatusCode::OK).count();
        let lost = moves.iter().filter(|r| r.status == StatusCode::CONFLICT).count();
        assert_eq!((won, lost), (1, 49), "{mode:?}");

        // The doctor's metrics follow the appointment events: 51 booked, none closed.
        let path = format!("/api/v1/doctors/{doctor_id}/metrics");
        let metrics = eventually("the doctor's metrics to count 51 appointments", || async {
            let metrics = api.get(&path, Some(&doctor)).await.body;
            (metrics["appointments_total"] == 51).then_some(metrics)
        })
        .await;
        assert_eq!(metrics["appointments_total"], 51, "{metrics}");
        assert_eq!(api.get(&path, Some(&patients[0])).await.status, StatusCode::FORBIDDEN);
        p.stop().await;
    }
}

/// The registration token from the newest approval mail to `email`, once
/// the notification service has sent it. Applicants are written to in
/// English, where the token has a line of its own; in another language
/// (an admin's edited template, say) the link's `token=` still has it.
async fn token_from_mail(p: &Platform, email: &str) -> String {
    let mail = crate::support::wait_mail(p, email, "/register/doctor?token=").await;
    match mail.text.lines().find(|l| l.starts_with("Your registration token: ")) {
        Some(line) => line.trim_start_matches("Your registration token: ").trim().to_owned(),
        None => {
            let after = mail.text.split("/register/doctor?token=").nth(1).unwrap_or_default();
            after.split_whitespace().next().unwrap_or_default().to_owned()
        }
    }
}

async fn apply(api: &Api, email: &str) -> i64 {
    let cv =
        appointment::documents::pdf::render("Curriculum vitae", &["Dr Applicant".into(), "MD, 2001".into()]);
    let fields = [("name", "Dr Applicant"), ("email", email), ("details", "Cardiologist, 20 years in Rabat")];
    let cv = FilePart { field: "cv", file_name: "cv.pdf", mime: "application/pdf", bytes: &cv };
    let res = api.client.post("/api/v1/doctor-applications").multipart(&fields, &cv).send().await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    assert_eq!(res.body["status"], "pending");
    res.id()
}

fn doctor_registration(token: &str, email: &str) -> Value {
    json!({"token": token, "name": "Dr Applicant", "email": email, "password": PASSWORD, "gender": "female",
        "phone": "0522987654", "birth_date": "1975-03-03", "address": {"street": "9 Rue Oqba", "city": "Rabat"},
        "degree": "MD", "specialty_id": 2})
}

kit::per_backend! {
    async fn an_application_becomes_a_doctor_once_and_not_after_a_day(backend: Backend) {
        let mode = crate::support::mode(backend);
        let p = crate::support::start(mode, Options::default()).await;
        let api = Api::new(&p.url());
        let admin = admin_token(&p, &api).await;

        let email = unique_email("applicant");
        let id = apply(&api, &email).await;
        let cv = api.client.get(&format!("/api/v1/doctor-applications/{id}/cv")).bearer(&admin).send().await;
        assert_eq!(cv.header("content-type"), Some("application/pdf"));
        assert!(cv.bytes.starts_with(b"%PDF"));
        let approved =
            api.post(&format!("/api/v1/doctor-applications/{id}/approve"), Some(&admin), json!({})).await;
        assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
        let token = token_from_mail(&p, &email).await;

        let registered =
            api.post("/api/v1/auth/register/doctor", None, doctor_registration(&token, &email)).await;
        assert_eq!(registered.status, StatusCode::CREATED, "{mode:?}: {}", registered.body);
        assert_eq!(registered.body["user"]["role"], "doctor");
        let again = api
            .post("/api/v1/auth/register/doctor", None, doctor_registration(&token, &unique_email("again")))
            .await;
        assert_eq!(again.status, StatusCode::GONE, "a used token");
        let unknown = api
            .post(
                "/api/v1/auth/register/doctor",
                None,
                doctor_registration("x".repeat(43).as_str(), &unique_email("u")),
            )
            .await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
        // Redeeming is auth's call to the doctor service, never the public's.
        // (405: the public path is `/{id}`'s now, which only DELETE answers.)
        for (path, status) in [
            ("/api/v1/doctor-applications/redeem", StatusCode::METHOD_NOT_ALLOWED),
            ("/internal/doctor-applications/redeem", StatusCode::NOT_FOUND),
        ] {
            let direct = api.post(path, None, json!({"token": token})).await;
            assert_eq!(direct.status, status, "{mode:?}: {path}");
        }

        let doctor = api.login(&email, PASSWORD).await.body["access_token"].as_str().unwrap().to_owned();
        let me = ready(&api, "/api/v1/doctors/me", Some(&doctor)).await;
        ready(&api, &format!("/api/v1/availability?doctor_id={}&date=2030-01-01", me["id"]), None).await;
        let slot =
            api.post("/api/v1/schedules", Some(&doctor), json!({"day": "Monday", "start": "09:00"})).await;
        assert_eq!(slot.status, StatusCode::CREATED, "{}", slot.body);

        // A token older than 24 hours: the expiry is moved back in the database.
        let late = unique_email("late");
        let late_id = apply(&api, &late).await;
        api.post(&format!("/api/v1/doctor-applications/{late_id}/approve"), Some(&admin), json!({})).await;
        let late_token = token_from_mail(&p, &late).await;
        let db = p.database("doctor").await.unwrap();
        let past = Utc::now() - Days::hours(25);
        let backend = sea_orm::ConnectionTrait::get_database_backend(&db);
        let stmt = sea_orm::Statement::from_sql_and_values(
            backend,
            "UPDATE applications SET token_expiry = ? WHERE id = ?",
            [past.into(), late_id.into()],
        );
        sea_orm::ConnectionTrait::execute_raw(&db, stmt).await.unwrap();
        let expired =
            api.post("/api/v1/auth/register/doctor", None, doctor_registration(&late_token, &late)).await;
        assert_eq!(expired.status, StatusCode::GONE, "{}", expired.body);

        // Applications are the admins' business only.
        assert_eq!(api.get("/api/v1/doctor-applications", Some(&doctor)).await.status, StatusCode::FORBIDDEN);
        let listed = api.get("/api/v1/doctor-applications?status=approved", Some(&admin)).await;
        assert_eq!(listed.body["total"], 2);
        let gone = api.client.delete(&format!("/api/v1/doctor-applications/{late_id}")).bearer(&admin).send()
            .await;
        assert_eq!(gone.status, StatusCode::NO_CONTENT);
        p.stop().await;
    }
}
