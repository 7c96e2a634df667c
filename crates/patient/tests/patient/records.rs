//! Profiles from events, who may see what, care relationships, history,
//! preferences and the access log.

use axum::http::StatusCode;
use kit::{events::catalog, identity::Role};
use serde_json::json;

use crate::support::TestApp;
use kit::ids::UserId;

const PATIENT_A: i64 = 101;
const PATIENT_B: i64 = 102;
const DOCTOR: i64 = 900;
const ADMIN: i64 = 1;

/// Patient A's record id, A registered and, when `treated`, booked with DOCTOR.
async fn patient_a(app: &TestApp, treated: bool) -> i64 {
    let id = app.register(PATIENT_A, "AB123456").await["id"].as_i64().unwrap();
    if treated {
        app.book(id, PATIENT_A, DOCTOR).await;
        let doctor = app.token(DOCTOR, Role::Doctor);
        let path = format!("/api/v1/patients/{id}");
        app.until_status("the treating doctor to see the record", &path, &doctor, StatusCode::OK).await;
    }
    id
}

kit::per_backend! {
    async fn a_registration_delivered_twice_yields_one_profile(backend: Backend) {
        let app = TestApp::start(backend).await;
        let reg = app.registration(PATIENT_A, "AB123456");
        app.publish(catalog::EventType::UserRegistered, &reg).await;
        app.publish(catalog::EventType::UserRegistered, &reg).await;
        let pa = app.register(PATIENT_B, "CD654321").await;
        assert_eq!(pa["cin"], "CD654321");
        let pa = app.profile_of(PATIENT_A).await;
        assert_eq!(pa["cin"], "AB123456");
        let list = app.api.get("/api/v1/patients").bearer(&app.token(ADMIN, Role::Admin)).send().await;
        assert_eq!(list.body["total"], 2, "{backend:?}: {}", list.body);
        app.cleanup().await;
    }

    async fn strangers_and_doctors_without_an_appointment_get_404(backend: Backend) {
        let app = TestApp::start(backend).await;
        let id_a = patient_a(&app, false).await;
        app.register(PATIENT_B, "CD654321").await;
        let path = format!("/api/v1/patients/{id_a}");
        assert_eq!(
            app.api.get(&path).bearer(&app.token(PATIENT_B, Role::Patient)).send().await.status,
            StatusCode::NOT_FOUND
        );
        let doctor = app.token(DOCTOR, Role::Doctor);
        assert_eq!(app.api.get(&path).bearer(&doctor).send().await.status, StatusCode::NOT_FOUND);
        let admin = app.token(ADMIN, Role::Admin);
        assert_eq!(
            app.api.get("/api/v1/patients/999999").bearer(&admin).send().await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(app.api.get("/api/v1/patients").bearer(&doctor).send().await.body["total"], 0);
        app.cleanup().await;
    }

    async fn a_treating_doctor_sees_and_lists_only_their_patients(backend: Backend) {
        let app = TestApp::start(backend).await;
        patient_a(&app, true).await;
        app.register(PATIENT_B, "CD654321").await;
        let mine = app.api.get("/api/v1/patients").bearer(&app.token(DOCTOR, Role::Doctor)).send().await;
        assert_eq!(mine.body["total"], 1, "a doctor lists only their patients");
        app.cleanup().await;
    }

    async fn history_is_written_by_the_doctor_or_patient_never_by_an_admin(backend: Backend) {
        let app = TestApp::start(backend).await;
        let id_a = patient_a(&app, true).await;
        let hist = format!("/api/v1/patients/{id_a}/medical-history");
        let entry = json!({"kind": "allergy", "description": "Penicillin"});
        assert_eq!(
            app.api.post(&hist).bearer(&app.token(DOCTOR, Role::Doctor)).json(&entry).send().await.status,
            StatusCode::CREATED
        );
        assert_eq!(
            app.api.post(&hist).bearer(&app.token(ADMIN, Role::Admin)).json(&entry).send().await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.api.post(&hist).bearer(&app.token(PATIENT_B, Role::Patient)).json(&entry).send().await.status,
            StatusCode::NOT_FOUND
        );
        let bad = json!({"kind": "rumour", "description": ""});
        let answer = app.api.post(&hist).bearer(&app.token(PATIENT_A, Role::Patient)).json(&bad).send().await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
        let body = &answer.body;
        assert!(body["errors"]["kind"].is_array() && body["errors"]["description"].is_array(), "{body}");
        app.cleanup().await;
    }

    async fn preferences_are_validated_and_own_record_routes_are_for_patients(backend: Backend) {
        let app = TestApp::start(backend).await;
        patient_a(&app, false).await;
        let prefs = json!({"language": "fr", "timezone": "Mars/Olympus"});
        let answer = app
            .api
            .put("/api/v1/patients/me/preferences")
            .bearer(&app.token(PATIENT_A, Role::Patient))
            .json(&prefs)
            .send()
            .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", answer.body);
        let doctor = app.token(DOCTOR, Role::Doctor);
        assert_eq!(
            app.api.get("/api/v1/patients/me").bearer(&doctor).send().await.status,
            StatusCode::FORBIDDEN
        );
        app.cleanup().await;
    }

    async fn every_access_is_in_the_log_with_its_actor(backend: Backend) {
        let app = TestApp::start(backend).await;
        let id_a = patient_a(&app, true).await;
        app.api.get("/api/v1/patients").bearer(&app.token(ADMIN, Role::Admin)).send().await;
        let log = app
            .api
            .get("/api/v1/patients/me/access-log?per_page=100")
            .bearer(&app.token(PATIENT_A, Role::Patient))
            .send()
            .await;
        let actors: Vec<&str> =
            log.body["data"].as_array().unwrap().iter().map(|e| e["actor_role"].as_str().unwrap()).collect();
        assert!(
            actors.contains(&"doctor") && actors.contains(&"admin") && actors.contains(&"patient"),
            "{backend:?} record {id_a}: {}",
            log.body
        );
        app.cleanup().await;
    }

    async fn account_deletion_removes_the_record(backend: Backend) {
        let app = TestApp::start(backend).await;
        let id_a = patient_a(&app, false).await;
        app.publish(catalog::EventType::UserDeleted, catalog::UserDeleted { user_id: UserId(PATIENT_A), role: Role::Patient })
            .await;
        let path = format!("/api/v1/patients/{id_a}");
        let admin = app.token(ADMIN, Role::Admin);
        app.until_status("the record to go with the account", &path, &admin, StatusCode::NOT_FOUND).await;
        app.cleanup().await;
    }
}
