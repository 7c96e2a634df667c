//! A doctor's own profile and credentials.

use crate::support::*;

kit::per_backend! {
    async fn doctors_edit_their_own_profile_and_credentials(backend: Backend) {
        let s = start(backend).await;
        let app = &s.app;
        doctor::seed_demo(&s.ctx.db).await.unwrap();
        let admin = s.issuer.token(1, Role::Admin);
        let (t1, t2) = (s.issuer.token(901, Role::Doctor), s.issuer.token(902, Role::Doctor));
        let patient = s.issuer.token(903, Role::Patient);
        let id = s.register(901, "Dr. Leïla Fassi", 1, "Agadir").await["id"].as_i64().unwrap();
        s.register(902, "Dr. Mehdi Berrada", 1, "Oujda").await;
        let me = "/api/v1/doctors/me";

        // Validation: each bad field named, nothing written.
        let bad =
            json!({"timezone": "Mars/Olympus", "languages": [""], "img_url": "javascript:x", "degree": " "});
        let (status, body) = call(app, "PATCH", me, Some(&t1), Some(bad)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{backend:?}: {body}");
        for field in ["timezone", "languages", "img_url", "degree"] {
            assert!(body["errors"][field].is_array(), "{field}: {body}");
        }
        let (status, body) = call(app, "PATCH", me, Some(&t1), Some(json!({"specialty_id": 9999}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["errors"]["specialty_id"].is_array(), "{body}");
        let (status, _) = call(app, "PATCH", me, Some(&t1), Some(json!({"status": "inactive"}))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "a doctor does not set their own status");
        assert_eq!(call(app, "PATCH", me, Some(&patient), Some(json!({}))).await.0, StatusCode::FORBIDDEN);
        assert_eq!(call(app, "GET", me, Some(&admin), None).await.0, StatusCode::FORBIDDEN);

        // A good patch; `null` clears, absent keeps.
        let before = outbox(&s.ctx).await.len();
        let good = json!({
            "degree": "MD, PhD", "specialty_id": 5, "city": null, "bio": "Headaches and sleep.",
            "languages": ["fr", "ar", "FR"], "timezone": "Europe/Paris", "img_url": "https://img.example/l.png"
        });
        let (status, body) = call(app, "PATCH", me, Some(&t1), Some(good)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["specialty"], json!({"id": 5, "name": "Neurology"}));
        assert_eq!(body["city"], Value::Null);
        assert_eq!(body["languages"], json!(["fr", "ar"]));
        assert_eq!(body["timezone"], "Europe/Paris");
        assert_eq!(body["name"], "Dr. Leïla Fassi");
        let events = outbox(&s.ctx).await;
        assert_eq!(events.len(), before + 1, "one change, one event");
        let (kind, data) = events.last().unwrap();
        assert_eq!(kind, catalog::EventType::DoctorChanged.as_str());
        assert_eq!((data["doctor_id"].as_i64(), data["timezone"].as_str()), (Some(id), Some("Europe/Paris")));
        // The same values again change nothing and announce nothing.
        let (status, _) = call(app, "PATCH", me, Some(&t1), Some(json!({"timezone": "Europe/Paris"}))).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(outbox(&s.ctx).await.len(), before + 1);

        // Admin: status and the rest, then delete.
        let path = format!("/api/v1/doctors/{id}");
        let (status, _) = call(app, "PATCH", &path, Some(&t2), Some(json!({"degree": "X"}))).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = call(app, "PATCH", &path, Some(&admin), Some(json!({"status": "retired"}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, body) =
            call(app, "PATCH", &path, Some(&admin), Some(json!({"status": "inactive", "city": "Rabat"})))
                .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!((body["status"].as_str(), body["city"].as_str()), (Some("inactive"), Some("Rabat")));
        assert_eq!(call(app, "GET", &path, None, None).await.0, StatusCode::NOT_FOUND);
        let missing = "/api/v1/doctors/999999";
        assert_eq!(call(app, "PATCH", missing, Some(&admin), Some(json!({}))).await.0, StatusCode::NOT_FOUND);

        // Credentials: own only.
        let creds = "/api/v1/doctors/me/credentials";
        let licence =
            json!({"kind": "license", "issuer": "CNOM", "number": "RB-1234", "valid_until": "2099-12-31"});
        let (status, c1) = call(app, "POST", creds, Some(&t1), Some(licence)).await;
        assert_eq!(status, StatusCode::CREATED, "{c1}");
        assert_eq!(c1["expired"], false);
        let old = json!({"kind": "board_certification", "issuer": "EBN", "number": "42", "valid_until": "2001-01-01"});
        let (_, c2) = call(app, "POST", creds, Some(&t1), Some(old)).await;
        assert_eq!(c2["expired"], true);
        let (status, body) =
            call(app, "POST", creds, Some(&t1), Some(json!({"kind": "rumour", "issuer": "", "number": "1"})))
                .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["errors"]["kind"].is_array() && body["errors"]["issuer"].is_array(), "{body}");
        assert_eq!(call(app, "GET", creds, Some(&patient), None).await.0, StatusCode::FORBIDDEN);

        let (_, mine) = call(app, "GET", creds, Some(&t1), None).await;
        assert_eq!(mine["total"], 2, "{mine}");
        let (_, theirs) = call(app, "GET", creds, Some(&t2), None).await;
        assert_eq!(theirs["total"], 0);
        let c1_path = format!("{creds}/{}", c1["id"]);
        assert_eq!(call(app, "DELETE", &c1_path, Some(&t2), None).await.0, StatusCode::NOT_FOUND);
        assert_eq!(call(app, "DELETE", &c1_path, Some(&t1), None).await.0, StatusCode::NO_CONTENT);
        assert_eq!(call(app, "DELETE", &c1_path, Some(&t1), None).await.0, StatusCode::NOT_FOUND);

        // Admin delete: 204, announced, gone.
        assert_eq!(call(app, "DELETE", &path, Some(&t1), None).await.0, StatusCode::FORBIDDEN);
        assert_eq!(call(app, "DELETE", &path, Some(&admin), None).await.0, StatusCode::NO_CONTENT);
        assert_eq!(call(app, "GET", me, Some(&t1), None).await.0, StatusCode::NOT_FOUND);
        assert_eq!(call(app, "DELETE", &path, Some(&admin), None).await.0, StatusCode::NOT_FOUND);
        let (kind, data) = outbox(&s.ctx).await.pop().unwrap();
        assert_eq!((kind.as_str(), data["doctor_id"].as_i64()), (catalog::EventType::DoctorDeleted.as_str(), Some(id)));
        s.stop().await;
    }
}
