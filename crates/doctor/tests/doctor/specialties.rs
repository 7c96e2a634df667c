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
    let Reply { status, body: created, .. } =
        s.api.post("/api/v1/specialties").bearer(&admin).json(&body).send().await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_i64().unwrap();
    assert!(id > 12, "new ids follow the legacy ones: {created}");
    id
}

kit::per_backend! {
    async fn the_demo_seed_lists_the_legacy_specialties_once(backend: Backend) {
        let s = seeded(backend).await;
        let Reply { status, body: list, .. } = s.api.get("/api/v1/specialties").send().await;
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
            let status = s.api.post("/api/v1/specialties").bearer(token).json(&body).send().await.status;
            assert_eq!(status, StatusCode::FORBIDDEN);
        }
        let status = s.api.post("/api/v1/specialties").json(&body).send().await.status;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        nephrology(&s).await;
        s.stop().await;
    }

    async fn duplicate_names_in_any_case_are_refused_by_the_unique_index(backend: Backend) {
        let s = seeded(backend).await;
        let admin = s.issuer.token(1, Role::Admin);
        nephrology(&s).await;
        for name in ["Nephrology", "cardiology", "  Cardiology "] {
            let Reply { status, body, .. } =
                s.api.post("/api/v1/specialties").bearer(&admin).json(&json!({ "name": name })).send().await;
            assert_eq!(status, StatusCode::CONFLICT, "{backend:?} {name}: {body}");
        }
        let Reply { status, body, .. } =
            s.api.post("/api/v1/specialties").bearer(&admin).json(&json!({"name": " "})).send().await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["errors"]["name"].is_array(), "{body}");
        s.stop().await;
    }

    async fn renames_are_unique_and_admin_only(backend: Backend) {
        let s = seeded(backend).await;
        let api = &s.api;
        let admin = s.issuer.token(1, Role::Admin);
        let doctor = s.issuer.token(500, Role::Doctor);
        let path = format!("/api/v1/specialties/{}", nephrology(&s).await);
        let Reply { status, .. } = api.patch(&path).bearer(&admin).json(&json!({"name": "Urology"})).send().await;
        assert_eq!(status, StatusCode::CONFLICT);
        let Reply { status, body: renamed, .. } =
            api.patch(&path).bearer(&admin).json(&json!({"name": "Nephrology & Dialysis"})).send().await;
        assert_eq!(status, StatusCode::OK, "{renamed}");
        assert_eq!(renamed["name"], "Nephrology & Dialysis");
        let missing = "/api/v1/specialties/999999";
        assert_eq!(
            api.patch(missing).bearer(&admin).json(&json!({"name": "X"})).send().await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            api.patch(&path).bearer(&doctor).json(&json!({"name": "X"})).send().await.status,
            StatusCode::FORBIDDEN
        );
        s.stop().await;
    }

    async fn a_specialty_in_use_counts_its_doctors_and_cannot_be_deleted(backend: Backend) {
        let s = seeded(backend).await;
        let api = &s.api;
        let admin = s.issuer.token(1, Role::Admin);
        let doctor = s.issuer.token(500, Role::Doctor);
        let id = nephrology(&s).await;
        let path = format!("/api/v1/specialties/{id}");
        s.register(500, "Dr. Amina Tazi", id, "Rabat").await;
        let Reply { body: list, .. } = api.get("/api/v1/specialties").send().await;
        let mine = list.as_array().unwrap().iter().find(|x| x["id"] == id).unwrap();
        assert_eq!(mine["doctor_count"], 1, "{list}");
        let Reply { status, body, .. } = api.delete(&path).bearer(&admin).send().await;
        assert_eq!(status, StatusCode::CONFLICT, "{backend:?}: {body}");
        assert_eq!(api.delete(&path).bearer(&doctor).send().await.status, StatusCode::FORBIDDEN);
        s.stop().await;
    }

    async fn an_unused_specialty_is_deleted_then_unknown(backend: Backend) {
        let s = seeded(backend).await;
        let admin = s.issuer.token(1, Role::Admin);
        let urology = "/api/v1/specialties/12";
        assert_eq!(s.api.delete(urology).bearer(&admin).send().await.status, StatusCode::NO_CONTENT);
        assert_eq!(s.api.delete(urology).bearer(&admin).send().await.status, StatusCode::NOT_FOUND);
        s.stop().await;
    }
}
