//! Accounts: legacy password upgrades, signing keys, staff accounts made by
//! admins, password resets.

use axum::http::StatusCode;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::support::{Session, TestApp};

/// Logs in the admin `root@example.com` made by the `admin create` path.
pub(crate) async fn admin(app: &TestApp) -> String {
    auth::create_admin(&app.ctx, "Root", "root@example.com", "admin pass 1").await.unwrap();
    let session = app.login("root@example.com", "admin pass 1").await;
    session.access_token()
}

/// The staff account an admin creates for Dr Alami.
pub(crate) fn doctor() -> Value {
    json!({"name": "Dr Alami", "email": "alami@example.com", "password": "doctor pass 1",
        "gender": "male", "phone": "0600000001", "role": "doctor", "birth_date": "1975-02-03",
        "address": {"street": "1 Av. Hassan II", "city": "Rabat"},
        "doctor": {"degree": "MD", "specialty_id": 3, "timezone": "Africa/Casablanca"}})
}

pub(crate) const USERS: &str = "/api/v1/admin/users";

kit::per_backend! {
    async fn legacy_bcrypt_logins_are_upgraded_to_argon2id(backend: Backend) {
        let app = TestApp::start(backend).await;
        let backend_kind = app.ctx.db.get_database_backend();
        // A row as the monolith left it: bcrypt $2y$ of "password123".
        app.ctx
            .db
            .execute_raw(Statement::from_sql_and_values(
                backend_kind,
                "INSERT INTO users (name, email, password, gender, phone, user_type, created_at, updated_at) \
                 VALUES (?, ?, ?, 'female', '0600000000', 'patient', ?, ?)",
                [
                    "Legacy".into(),
                    "legacy@example.com".into(),
                    "$2y$10$YQYA.I/eHP3qkZKQF5Ngi.Bwebal2YeRGs1l3vJQAbK9ieHoGSByu".into(),
                    chrono::Utc::now().into(),
                    chrono::Utc::now().into(),
                ],
            ))
            .await
            .unwrap();
        assert_eq!(app.login("legacy@example.com", "password123").await.status, StatusCode::OK);
        let stored = app.query_strings("SELECT password FROM users WHERE email = 'legacy@example.com'").await;
        assert!(stored[0].starts_with("$argon2id$"), "{backend:?}: not upgraded: {}", stored[0]);
        assert_eq!(
            app.login("legacy@example.com", "password123").await.status,
            StatusCode::OK,
            "still works"
        );
        app.cleanup().await;
    }

    async fn the_registration_event_carries_no_plaintext_cin(backend: Backend) {
        let app = TestApp::start(backend).await;
        app.register("rot@example.com").await;
        let payload = app.query_strings("SELECT payload FROM kit_outbox").await;
        assert!(payload[0].contains("cin_sealed") && !payload[0].contains("AB12345"));
        app.cleanup().await;
    }

    async fn rotation_keeps_issued_tokens_valid_and_publishes_two_keys(backend: Backend) {
        let app = TestApp::start(backend).await;
        let old = app.register("rot@example.com").await.access_token();
        auth::rotate_signing_key(&app.ctx.db, &app.ctx.keyring).await.unwrap();
        let jwks = app.api.get("/.well-known/jwks.json").send().await;
        assert_eq!(jwks.body["keys"].as_array().unwrap().len(), 2);
        assert_eq!(app.api.get("/api/v1/auth/me").bearer(&old).send().await.status, StatusCode::OK);
        auth::rotate_signing_key(&app.ctx.db, &app.ctx.keyring).await.unwrap();
        app.ctx.verifier.refresh(true).await;
        assert_eq!(
            app.api.get("/api/v1/auth/me").bearer(&old).send().await.status,
            StatusCode::UNAUTHORIZED,
            "two rotations later the first key is gone"
        );
        app.cleanup().await;
    }

    async fn only_admins_create_staff_accounts(backend: Backend) {
        let app = TestApp::start(backend).await;
        let patient = app.register("pat@example.com").await.access_token();
        assert_eq!(
            app.api.post(USERS).bearer(&patient).json(&doctor()).send().await.status,
            StatusCode::FORBIDDEN
        );
        app.cleanup().await;
    }

    async fn admins_create_doctor_accounts_once_per_email(backend: Backend) {
        let app = TestApp::start(backend).await;
        let admin = admin(&app).await;
        let created = app.api.post(USERS).bearer(&admin).json(&doctor()).send().await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        assert_eq!(created.body["role"], "doctor");
        assert_eq!(
            app.api.post(USERS).bearer(&admin).json(&doctor()).send().await.status,
            StatusCode::CONFLICT
        );
        app.cleanup().await;
    }

    async fn staff_accounts_need_a_staff_role_and_a_valid_doctor_profile(backend: Backend) {
        let app = TestApp::start(backend).await;
        let admin = admin(&app).await;
        let mut bad_zone = doctor();
        bad_zone["email"] = json!("other@example.com");
        bad_zone["doctor"]["timezone"] = json!("Mars/Olympus");
        assert_eq!(app.api.post(USERS).bearer(&admin).json(&bad_zone).send().await.status, 422);
        bad_zone["role"] = json!("patient");
        assert_eq!(app.api.post(USERS).bearer(&admin).json(&bad_zone).send().await.status, 422);
        bad_zone["role"] = json!("doctor");
        bad_zone["doctor"] = Value::Null;
        assert_eq!(app.api.post(USERS).bearer(&admin).json(&bad_zone).send().await.status, 422);
        app.cleanup().await;
    }

    async fn a_created_doctor_logs_in_and_announces_the_profile(backend: Backend) {
        let app = TestApp::start(backend).await;
        let admin = admin(&app).await;
        app.register("pat@example.com").await;
        assert_eq!(
            app.api.post(USERS).bearer(&admin).json(&doctor()).send().await.status,
            StatusCode::CREATED
        );
        assert_eq!(app.login("alami@example.com", "doctor pass 1").await.status, StatusCode::OK);
        let payloads = app
            .query_strings("SELECT payload FROM kit_outbox WHERE kind = 'quickcare.user.registered.v1'")
            .await;
        let seeds: Vec<Value> = payloads
            .iter()
            .map(|p| serde_json::from_str::<Value>(p).unwrap())
            .filter(|e| e["data"]["role"] == "doctor")
            .map(|e| e["data"].clone())
            .collect();
        assert_eq!(seeds.len(), 1);
        assert_eq!(seeds[0]["doctor"]["specialty_id"], 3);
        assert_eq!(seeds[0]["address"]["city"], "Rabat");
        app.cleanup().await;
    }

    async fn a_reset_request_is_an_event_whose_sealed_secret_resets_once(backend: Backend) {
        let app = TestApp::start(backend).await;
        app.register("reset@example.com").await;
        for email in ["Reset@Example.com", "nobody@example.com"] {
            let answer =
                app.api.post("/api/v1/auth/password/forgot").json(&json!({"email": email})).send().await;
            assert_eq!(answer.status, StatusCode::ACCEPTED, "the same answer either way");
        }
        // One event, for the existing account, written with the reset row.
        let rows = app
            .query_strings(
                "SELECT payload FROM kit_outbox WHERE kind = 'quickcare.user.password_reset_requested.v1'",
            )
            .await;
        assert_eq!(rows.len(), 1);
        let event: Value = serde_json::from_str(&rows[0]).unwrap();
        let data: kit::events::catalog::PasswordResetRequested =
            serde_json::from_value(event["data"].clone()).unwrap();
        assert_eq!(data.email, "reset@example.com");
        let ttl = data.expires_at - chrono::Utc::now();
        assert!(ttl > chrono::Duration::minutes(59) && ttl <= chrono::Duration::minutes(60), "{ttl}");
        let secret = app.ctx.keyring.open_str(&data.secret_sealed).unwrap();
        assert!(!rows[0].contains(&secret), "the secret is not in the event in clear");

        let reset = json!({"token": secret, "password": "brand new pw"});
        let answer = app.api.post("/api/v1/auth/password/reset").json(&reset).send().await;
        assert_eq!(answer.status, StatusCode::NO_CONTENT, "{}", answer.body);
        assert_eq!(
            app.api.post("/api/v1/auth/password/reset").json(&reset).send().await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(app.login("reset@example.com", "brand new pw").await.status, StatusCode::OK);
        app.cleanup().await;
    }
}
