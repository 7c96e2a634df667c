//! Specialties: public to read, admins' to change, unique by name, kept while in use.

use crate::support::*;

kit::per_backend! {
    async fn specialties_are_public_to_read_and_admin_to_change(backend: Backend) {
        let s = start(backend).await;
        let app = &s.app;
        let admin = s.issuer.token(1, Role::Admin);
        let doctor = s.issuer.token(500, Role::Doctor);
        let patient = s.issuer.token(600, Role::Patient);

        // Demo seed: the legacy list with its ids, once.
        doctor::seed_demo(&s.ctx.db).await.unwrap();
        doctor::seed_demo(&s.ctx.db).await.unwrap();
        let (status, list) = call(app, "GET", "/api/v1/specialties", None, None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(list.as_array().unwrap().len(), doctor::LEGACY_SPECIALTIES.len(), "{backend:?}: {list}");
        let cardio = list.as_array().unwrap().iter().find(|s| s["name"] == "Cardiology").unwrap();
        assert_eq!(cardio["id"], 2);
        assert_eq!(cardio["doctor_count"], 0);

        // Only admins change them.
        let body = json!({"name": "Nephrology"});
        for token in [&doctor, &patient] {
            let status = call(app, "POST", "/api/v1/specialties", Some(token), Some(body.clone())).await.0;
            assert_eq!(status, StatusCode::FORBIDDEN);
        }
        let status = call(app, "POST", "/api/v1/specialties", None, Some(body.clone())).await.0;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let (status, created) = call(app, "POST", "/api/v1/specialties", Some(&admin), Some(body)).await;
        assert_eq!(status, StatusCode::CREATED, "{backend:?}: {created}");
        let id = created["id"].as_i64().unwrap();
        assert!(id > 12, "new ids follow the legacy ones: {created}");

        // Duplicates (any case) are refused by the unique index.
        for name in ["Nephrology", "cardiology", "  Cardiology "] {
            let (status, body) =
                call(app, "POST", "/api/v1/specialties", Some(&admin), Some(json!({ "name": name }))).await;
            assert_eq!(status, StatusCode::CONFLICT, "{backend:?} {name}: {body}");
        }
        let (status, body) =
            call(app, "POST", "/api/v1/specialties", Some(&admin), Some(json!({"name": " "}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["errors"]["name"].is_array(), "{body}");

        // Rename: to a taken name 409, unknown id 404, non-admin 403.
        let path = format!("/api/v1/specialties/{id}");
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

        // In use: 409 on delete; doctor_count counts active doctors.
        s.register(500, "Dr. Amina Tazi", id, "Rabat").await;
        let (_, list) = call(app, "GET", "/api/v1/specialties", None, None).await;
        let mine = list.as_array().unwrap().iter().find(|x| x["id"] == id).unwrap();
        assert_eq!(mine["doctor_count"], 1, "{list}");
        let (status, body) = call(app, "DELETE", &path, Some(&admin), None).await;
        assert_eq!(status, StatusCode::CONFLICT, "{backend:?}: {body}");
        assert_eq!(call(app, "DELETE", &path, Some(&doctor), None).await.0, StatusCode::FORBIDDEN);

        // Unused: deleted, then 404.
        let urology = "/api/v1/specialties/12";
        assert_eq!(call(app, "DELETE", urology, Some(&admin), None).await.0, StatusCode::NO_CONTENT);
        assert_eq!(call(app, "DELETE", urology, Some(&admin), None).await.0, StatusCode::NOT_FOUND);
        s.stop().await;
    }
}
