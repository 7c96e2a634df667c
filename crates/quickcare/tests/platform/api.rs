//! Every Auth and Patients row of api.md, answered through the gateway, in
//! embedded mode and in distributed mode: one area of rows per test, each
//! on a platform of its own.

use std::time::Duration;

use kit::testing::eventually;

use crate::support::{
    Options, Platform,
    api::{Api, PASSWORD, registration, unique_cin, unique_email},
};
use reqwest::StatusCode;
use serde_json::json;

/// A platform for `backend` and a client of its gateway.
async fn platform(backend: kit::testing::Backend) -> (Platform, Api) {
    let p = crate::support::start(crate::support::mode(backend), Options::default()).await;
    let api = Api::new(&p.url());
    (p, api)
}

/// A patient registered through the gateway.
struct Account {
    email: String,
    cin: String,
    user_id: i64,
    token: String,
    refresh: String,
}

impl Account {
    async fn register(api: &Api) -> Self {
        let (email, cin) = (unique_email("amina"), unique_cin());
        let (user_id, token, refresh) = api.register(&email, &cin).await;
        Self { email, cin, user_id, token, refresh }
    }
}

/// An admin's access token (admins are made on the command line).
async fn admin(p: &Platform, api: &Api) -> String {
    let admin_email = unique_email("admin");
    p.create_admin(&admin_email, "admin-passphrase-1").await.unwrap();
    let admin = api.login(&admin_email, "admin-passphrase-1").await;
    assert_eq!(admin.status, StatusCode::OK, "{}", admin.body);
    admin.body["access_token"].as_str().unwrap().to_owned()
}

kit::per_backend! {
    async fn the_platform_serves_health_documents_metrics_and_discovery(backend: Backend) {
        let (p, api) = platform(backend).await;
        assert_eq!(api.get("/health/live", None).await.status, StatusCode::OK, "{backend:?}");
        assert_eq!(api.get("/health/ready", None).await.status, StatusCode::OK);
        let doc = api.get("/api/openapi.json", None).await;
        assert_eq!(doc.status, StatusCode::OK);
        assert!(doc.body["paths"]["/api/v1/auth/login"].is_object(), "merged OpenAPI lacks auth paths");
        assert!(doc.body["paths"]["/api/v1/patients/me"].is_object(), "merged OpenAPI lacks patient paths");
        let docs = api.client.get("/api/docs").send().await;
        assert_eq!(docs.status, StatusCode::OK);
        assert!(docs.text().to_lowercase().contains("<html"));
        assert_eq!(api.client.get("/metrics").send().await.status, StatusCode::OK);
        let jwks = api.get("/.well-known/jwks.json", None).await;
        assert_eq!(jwks.status, StatusCode::OK);
        assert!(!jwks.body["keys"].as_array().unwrap().is_empty());
        let oidc = api.get("/.well-known/openid-configuration", None).await;
        assert_eq!(oidc.status, StatusCode::OK);
        assert!(oidc.body["jwks_uri"].as_str().unwrap().ends_with("/.well-known/jwks.json"));
        p.stop().await;
    }

    async fn registration_answers_created_conflict_or_unprocessable(backend: Backend) {
        let (p, api) = platform(backend).await;
        let (email, cin) = (unique_email("amina"), unique_cin());
        let r = api.post("/api/v1/auth/register", None, registration(&email, &cin)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{backend:?}: {}", r.body);
        assert_eq!(r.body["user"]["role"], "patient");
        assert_eq!(r.body["token_type"], "Bearer");
        assert!(r.body["expires_in"].as_i64().unwrap() > 0);
        let dup = api.post("/api/v1/auth/register", None, registration(&email.to_uppercase(), &cin)).await;
        assert_eq!(dup.status, StatusCode::CONFLICT, "{}", dup.body);
        let mut bad = registration(&unique_email("bad"), &cin);
        bad["email"] = json!("not-an-email");
        bad["birth_date"] = json!("2999-01-01");
        let bad = api.post("/api/v1/auth/register", None, bad).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.header("content-type"), Some("application/problem+json"));
        assert!(bad.body["errors"]["email"].is_array(), "{}", bad.body);
        p.stop().await;
    }

    async fn an_account_logs_in_and_edits_itself(backend: Backend) {
        let (p, api) = platform(backend).await;
        let a = Account::register(&api).await;
        let login = api.login(&a.email, PASSWORD).await;
        assert_eq!(login.status, StatusCode::OK, "{backend:?}: {}", login.body);
        assert_eq!(login.body["user"]["id"], a.user_id);
        assert_eq!(api.login(&a.email, "wrong password!").await.status, StatusCode::UNAUTHORIZED);
        let me = api.get("/api/v1/auth/me", Some(&a.token)).await;
        assert_eq!(me.status, StatusCode::OK);
        for field in ["id", "name", "email", "role", "gender", "phone", "img_url"] {
            assert!(me.body.get(field).is_some(), "me lacks {field}: {}", me.body);
        }
        assert_eq!(api.get("/api/v1/auth/me", None).await.status, StatusCode::UNAUTHORIZED);
        let patched = api
            .client
            .patch("/api/v1/auth/me")
            .bearer(&a.token)
            .json(&json!({"name": "Amina B."}))
            .send()
            .await;
        assert_eq!(patched.status, StatusCode::OK, "{}", patched.body);
        assert_eq!(patched.body["name"], "Amina B.");
        p.stop().await;
    }

    async fn a_refresh_rotates_and_a_rotated_token_answers_the_same_successor(backend: Backend) {
        // Within the replay window the rotated token answers the same
        // successor again (a reload, two tabs); reuse after the window
        // revoking the family is tested in auth's refresh_rotation tests.
        let (p, api) = platform(backend).await;
        let a = Account::register(&api).await;
        let r = api.post("/api/v1/auth/refresh", None, json!({"refresh_token": a.refresh})).await;
        assert_eq!(r.status, StatusCode::OK, "{backend:?}: {}", r.body);
        let successor = r.body["refresh_token"].as_str().unwrap().to_owned();
        assert_ne!(successor, a.refresh);
        let again = api.post("/api/v1/auth/refresh", None, json!({"refresh_token": a.refresh})).await;
        assert_eq!(again.status, StatusCode::OK, "{}", again.body);
        assert_eq!(
            again.body["refresh_token"],
            successor.as_str(),
            "the same successor, not a new family member"
        );
        p.stop().await;
    }

    async fn a_password_change_revokes_the_other_sessions_and_logout_its_own(backend: Backend) {
        let (p, api) = platform(backend).await;
        let a = Account::register(&api).await;
        let other = api.login(&a.email, PASSWORD).await.body["refresh_token"].as_str().unwrap().to_owned();
        let session = api.login(&a.email, PASSWORD).await;
        let token = session.body["access_token"].as_str().unwrap().to_owned();
        let change = api
            .client
            .put("/api/v1/auth/me/password")
            .bearer(&token)
            .json(&json!({"current_password": PASSWORD, "new_password": "a brand new passphrase"}))
            .send()
            .await;
        assert_eq!(change.status, StatusCode::NO_CONTENT, "{backend:?}: {}", change.body);
        assert_eq!(api.post("/api/v1/auth/refresh", None, json!({"refresh_token": other})).await.status, 401);
        let next = api.login(&a.email, "a brand new passphrase").await;
        assert_eq!(next.status, StatusCode::OK);
        let refresh = next.body["refresh_token"].as_str().unwrap().to_owned();
        let out = api.post("/api/v1/auth/logout", Some(&token), json!({"refresh_token": refresh})).await;
        assert_eq!(out.status, StatusCode::NO_CONTENT);
        assert_eq!(
            api.post("/api/v1/auth/refresh", None, json!({"refresh_token": refresh})).await.status,
            401
        );
        p.stop().await;
    }

    async fn an_avatar_is_a_real_image_stored_and_served(backend: Backend) {
        let (p, api) = platform(backend).await;
        let a = Account::register(&api).await;
        let mut png = std::io::Cursor::new(Vec::new());
        image::RgbImage::from_pixel(4, 4, image::Rgb([1, 2, 3]))
            .write_to(&mut png, image::ImageFormat::Png)
            .unwrap();
        let avatar = api
            .client
            .put("/api/v1/auth/me/avatar")
            .bearer(&a.token)
            .body("image/png", png.into_inner())
            .send()
            .await;
        assert_eq!(avatar.status, StatusCode::OK, "{backend:?}: {}", avatar.body);
        let img_url = avatar.body["img_url"].as_str().unwrap();
        assert_eq!(api.client.get(img_url).send().await.status, StatusCode::OK);
        let fake = api
            .client
            .put("/api/v1/auth/me/avatar")
            .bearer(&a.token)
            .body("image/png", "definitely not a png")
            .send()
            .await;
        assert_eq!(fake.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        p.stop().await;
    }

    async fn a_password_reset_goes_through_the_mailbox_once(backend: Backend) {
        let (p, api) = platform(backend).await;
        let a = Account::register(&api).await;
        let forgot = |email: String| api.post("/api/v1/auth/password/forgot", None, json!({"email": email}));
        assert_eq!(forgot(a.email.clone()).await.status, 202, "{backend:?}");
        assert_eq!(forgot(unique_email("nobody")).await.status, 202, "an unknown address answers the same");
        // Mailed by the notification service, from auth's event.
        let mail = crate::support::wait_mail(&p, &a.email, "/reset-password?token=").await;
        let reset_token =
            mail.text.split("token=").nth(1).unwrap().split_whitespace().next().unwrap().to_owned();
        let reset = json!({"token": reset_token, "password": "a brand new passphrase"});
        let done = api.post("/api/v1/auth/password/reset", None, reset.clone()).await;
        assert_eq!(done.status, StatusCode::NO_CONTENT, "{}", done.body);
        let again = api.post("/api/v1/auth/password/reset", None, reset).await;
        assert!(again.status.is_client_error(), "a reset token is single-use");
        assert_eq!(api.login(&a.email, "a brand new passphrase").await.status, StatusCode::OK);
        p.stop().await;
    }

    async fn a_patient_keeps_a_profile_and_records_through_the_gateway(backend: Backend) {
        let (p, api) = platform(backend).await;
        let a = Account::register(&api).await;
        let token = &a.token;
        // The profile arrives by event.
        let profile = api.wait_profile(token, Duration::from_secs(10)).await;
        for field in ["id", "user_id", "name", "email", "cin", "birth_date", "gender", "phone", "address"] {
            assert!(profile.get(field).is_some(), "profile lacks {field}: {profile}");
        }
        assert_eq!(profile["cin"], a.cin);
        assert_eq!(profile["user_id"], a.user_id);
        assert_eq!(profile["address"]["city"], "Rabat");
        let patient_id = profile["id"].as_i64().unwrap();
        let moved = json!({"address": {"street": "3 Avenue Hassan II", "city": "Fès"}});
        let patched = api.client.patch("/api/v1/patients/me").bearer(token).json(&moved).send().await;
        assert_eq!(patched.status, StatusCode::OK, "{backend:?}: {}", patched.body);
        assert_eq!(patched.body["address"]["city"], "Fès");
        assert_eq!(
            api.get(&format!("/api/v1/patients/{patient_id}"), Some(token)).await.status,
            StatusCode::OK
        );
        let history = format!("/api/v1/patients/{patient_id}/medical-history");
        let entry = json!({"kind": "allergy", "description": "Penicillin: hives"});
        let added = api.post(&history, Some(token), entry).await;
        assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
        let list = api.get(&history, Some(token)).await;
        assert_eq!(list.status, StatusCode::OK);
        assert_eq!(list.body["total"], 1);
        assert_eq!(list.body["data"][0]["description"], "Penicillin: hives");
        let insurance = json!({"provider": "CNSS", "policy_number": "POL-123456"});
        let ins = api.client.put("/api/v1/patients/me/insurance").bearer(token).json(&insurance).send().await;
        assert_eq!(ins.status, StatusCode::OK, "{}", ins.body);
        assert_eq!(
            api.get("/api/v1/patients/me/insurance", Some(token)).await.body["policy_number"],
            "POL-123456"
        );
        let preferences = json!({"language": "fr", "timezone": "Europe/Paris"});
        let prefs =
            api.client.put("/api/v1/patients/me/preferences").bearer(token).json(&preferences).send().await;
        assert_eq!(prefs.status, StatusCode::OK, "{}", prefs.body);
        assert_eq!(
            api.get("/api/v1/patients/me/preferences", Some(token)).await.body["timezone"],
            "Europe/Paris"
        );
        let log = api.get("/api/v1/patients/me/access-log", Some(token)).await;
        assert_eq!(log.status, StatusCode::OK);
        assert!(log.body["total"].as_u64().unwrap() >= 4, "{}", log.body);
        for field in ["at", "actor_user_id", "actor_role", "action", "resource"] {
            assert!(log.body["data"][0].get(field).is_some(), "access log lacks {field}");
        }
        p.stop().await;
    }

    async fn another_patient_sees_nothing_of_the_first(backend: Backend) {
        let (p, api) = platform(backend).await;
        let a = Account::register(&api).await;
        let profile = api.wait_profile(&a.token, Duration::from_secs(10)).await;
        let patient_id = profile["id"].as_i64().unwrap();
        let (_, other, _) = api.register(&unique_email("omar"), &unique_cin()).await;
        api.wait_profile(&other, Duration::from_secs(10)).await;
        // 404, not 403: nothing says the record exists.
        assert_eq!(
            api.get(&format!("/api/v1/patients/{patient_id}"), Some(&other)).await.status,
            404,
            "{backend:?}"
        );
        let history = format!("/api/v1/patients/{patient_id}/medical-history");
        assert_eq!(api.get(&history, Some(&other)).await.status, 404);
        assert_eq!(api.get("/api/v1/patients", Some(&other)).await.status, 403);
        assert_eq!(api.get("/api/v1/admin/users", Some(&other)).await.status, 403);
        p.stop().await;
    }

    async fn admins_find_and_disable_accounts_and_their_reads_are_logged(backend: Backend) {
        let (p, api) = platform(backend).await;
        let a = Account::register(&api).await;
        let profile = api.wait_profile(&a.token, Duration::from_secs(10)).await;
        let patient_id = profile["id"].as_i64().unwrap();
        api.register(&unique_email("omar"), &unique_cin()).await;
        let admin = admin(&p, &api).await;
        let users = api.get("/api/v1/admin/users?role=patient&page=1", Some(&admin)).await;
        assert_eq!(users.status, StatusCode::OK, "{backend:?}");
        assert!(users.body["total"].as_u64().unwrap() >= 2);
        let found = api.get(&format!("/api/v1/admin/users?q={}", a.email), Some(&admin)).await;
        assert_eq!(found.body["total"], 1, "{}", found.body);
        assert_eq!(api.get("/api/v1/patients", Some(&admin)).await.status, StatusCode::OK);
        assert_eq!(api.get(&format!("/api/v1/patients/{patient_id}"), Some(&admin)).await.status, 200);

        let user = format!("/api/v1/admin/users/{}", a.user_id);
        let disable = api.post(&format!("{user}/disable"), Some(&admin), json!({})).await;
        assert_eq!(disable.status, StatusCode::NO_CONTENT, "{}", disable.body);
        assert_eq!(api.login(&a.email, PASSWORD).await.status, StatusCode::UNAUTHORIZED);
        let enable = api.post(&format!("{user}/enable"), Some(&admin), json!({})).await;
        assert_eq!(enable.status, StatusCode::NO_CONTENT);
        // Disabling revoked the tokens issued before it; enabling does not
        // bring them back: a new login does.
        assert_eq!(api.get("/api/v1/auth/me", Some(&a.token)).await.status, StatusCode::UNAUTHORIZED);
        let relogin = api.login(&a.email, PASSWORD).await;
        assert_eq!(relogin.status, StatusCode::OK);
        let token = relogin.body["access_token"].as_str().unwrap().to_owned();

        // The admin's read shows in the patient's access log.
        let log = api.get("/api/v1/patients/me/access-log?per_page=100", Some(&token)).await;
        assert!(
            log.body["data"].as_array().unwrap().iter().any(|e| e["actor_role"] == "admin"),
            "admin access not logged: {}",
            log.body
        );
        p.stop().await;
    }

    async fn deleting_an_account_takes_its_profile_along(backend: Backend) {
        let (p, api) = platform(backend).await;
        let a = Account::register(&api).await;
        let profile = api.wait_profile(&a.token, Duration::from_secs(10)).await;
        let patient_id = profile["id"].as_i64().unwrap();
        let admin = admin(&p, &api).await;
        let del = api
            .client
            .delete("/api/v1/auth/me")
            .bearer(&a.token)
            .json(&json!({"password": PASSWORD}))
            .send()
            .await;
        assert_eq!(del.status, StatusCode::NO_CONTENT, "{backend:?}: {}", del.body);
        assert_eq!(api.login(&a.email, PASSWORD).await.status, StatusCode::UNAUTHORIZED);
        eventually("the profile to go with the account", || async {
            let r = api.get(&format!("/api/v1/patients/{patient_id}"), Some(&admin)).await;
            (r.status == StatusCode::NOT_FOUND).then_some(())
        })
        .await;
        p.stop().await;
    }
}
