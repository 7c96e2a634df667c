//! Specialties: public to read, admins' to change, unique by name, kept while in use.

use crate::support::*;

/// The service with the demo seed applied twice (it lands once).
async fn seeded(backend: Backend) -> TestApp {
    let s = start(backend).await;
    doctor::seed_demo(&s.ctx.db).await.unwrap();
    doctor::seed_demo(&s.ctx.db).await.unwrap();
    s
}

/// An admin creates "Nephrology"; its id, after the legacy ones.
async fn nephrology(s: &TestApp) -> i64 {
    let admin = s.issuer.token(1, Role::Admin);
    let body = json!({"name": "Nephrology"});
    let (status, created) = call(&s.app, "POST", "/api/v1/specialties", Some(&admin), Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_i64().unwrap();
    assert!(id > 12, "new ids follow the legacy ones: {created}");
    id
}

kit::per_backend! {
    async fn the_demo_seed_lists_the_legacy_specialties_once(backend: Backend) {
        let s = seeded(backend).await;
        let (status, list) = call(&s.app, "GET", "/api/v1/specialties", None, None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(list.as_array().unwrap().len(), doctor::LEGACY_SPECIALTIES.len(), "{backend:?}: {list}");
        let cardio = list.as_array().unwrap().iter().find(|s| s["name"] == "Cardiology").unwrap();
        assert_eq!(cardio["id"], 2);
        assert_eq!(cardio["doctor_count"], 0);
        s.stop().await;
    }

    async fn only_admins_create_specialties(backend: Backend) {
        let s = seeded(backend).await;
        let body = json!({"name": "Nephrology"});
        for token in [&s.issuer.token(500, Role::Doctor), &s.issuer.token(600, Role::Patient)] {
            let status = call(&s.app, "POST", "/api/v1/specialties", Some(token), Some(body.clone())).await.0;
            assert_eq!(status, StatusCode::FORBIDDEN);
        }
        let status = call(&s.app, "POST", "/api/v1/specialties", None, Some(body)).await.0;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        nephrology(&s).await;
        s.stop().await;
    }

    async fn duplicate_names_in_any_case_are_refused_by_the_unique_index(backend: Backend) {
        let s = seeded(backend).await;
        let admin = s.issuer.token(1, Role::Admin);
        nephrology(&s).await;
        for name in ["Nephrology", "cardiology", "  Cardiology "] {
            let (status, body) =
                call(&s.app, "POST", "/api/v1/specialties", Some(&admin), Some(json!({ "name": name }))).await;
            assert_eq!(status, StatusCode::CONFLICT, "{backend:?} {name}: {body}");
        }
        let (status, body) =
            call(&s.app, "POST", "/api/v1/specialties", Some(&admin), Some(json!({"name": " "}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["errors"]["name"].is_array(), "{body}");
        s.stop().await;
    }

    async fn renames_are_unique_and_admin_only(backend: Backend) {
        let s = seeded(backend).await;
        let app = &s.app;
        let admin = s.issuer.token(1, Role::Admin);
        let doctor = s.issuer.token(500, Role::Doctor);
        let path = format!("/api/v1/specialties/{}", nephrology(&s).await);
        let (status, _) = call(app, "PATCH", &path, Some(&admin), Some(json!({"name": "Urology"}))).await;
        assert_eq!(status, StatusCode::CONFLICT);
        let (status, renamed) =
            call(app, "PATCH", &path, Some(&admin), Some(json!({"name": "Nephrology & Dialysis"}))).await;
        assert_eq!(status, StatusCode::OK, "{renamed}");
        assert_eq!(renamed["name"], "Nephrology & Dialysis");
        let missing = "/api/v1/specialties/999999";
        assert_eq!(
            call(app, "PATCH", missing, Some(&admin), Some(json!({"name": "X"}))).await.0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            call(app, "PATCH", &path, Some(&doctor), Some(json!({"name": "X"}))).await.0,
            StatusCode::FORBIDDEN
        );
        s.stop().await;
    }

    async fn a_specialty_in_use_counts_its_doctors_and_cannot_be_deleted(backend: Backend) {
        let s = seeded(backend).await;
        let app = &s.app;
        let admin = s.issuer.token(1, Role::Admin);
        let doctor = s.issuer.token(500, Role::Doctor);
        let id = nephrology(&s).await;
        let path = format!("/api/v1/specialties/{id}");
        s.register(500, "Dr. Amina Tazi", id, "Rabat").await;
        let (_, list) = call(app, "GET", "/api/v1/specialties", None, None).await;
        let mine = list.as_array().unwrap().iter().find(|x| x["id"] == id).unwrap();
        assert_eq!(mine["doctor_count"], 1, "{list}");
        let (status, body) = call(app, "DELETE", &path, Some(&admin), None).await;
        assert_eq!(status, StatusCode::CONFLICT, "{backend:?}: {body}");
        assert_eq!(call(app, "DELETE", &path, Some(&doctor), None).await.0, StatusCode::FORBIDDEN);
        s.stop().await;
    }

    async fn an_unused_specialty_is_deleted_then_unknown(backend: Backend) {
        let s = seeded(backend).await;
        let admin = s.issuer.token(1, Role::Admin);
        let urology = "/api/v1/specialties/12";
        assert_eq!(call(&s.app, "DELETE", urology, Some(&admin), None).await.0, StatusCode::NO_CONTENT);
        assert_eq!(call(&s.app, "DELETE", urology, Some(&admin), None).await.0, StatusCode::NOT_FOUND);
        s.stop().await;
    }
}
