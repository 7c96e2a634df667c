//! Every Auth and Patients row of api.md, answered through the gateway, in
//! embedded mode and in distributed mode.

use std::time::Duration;

use kit::testing::eventually;

use crate::support::{
    Options, Platform,
    api::{Api, PASSWORD, registration, unique_cin, unique_email},
};
use reqwest::StatusCode;
use serde_json::json;

kit::per_backend! {
    async fn auth_and_patient_contract_through_the_gateway(backend: Backend) {
        let mode = crate::support::mode(backend);
        let platform = crate::support::start(mode, Options::default()).await;
        contract(&platform).await;
        platform.stop().await;
    }
}

async fn contract(p: &Platform) {
    let api = Api::new(&p.url());
    let mode = p.mode;

    // Platform rows.
    assert_eq!(api.get("/health/live", None).await.status, StatusCode::OK, "{mode:?}");
    assert_eq!(api.get("/health/ready", None).await.status, StatusCode::OK);
    let doc = api.get("/api/openapi.json", None).await;
    assert_eq!(doc.status, StatusCode::OK);
    assert!(doc.body["paths"]["/api/v1/auth/login"].is_object(), "merged OpenAPI lacks auth paths");
    assert!(doc.body["paths"]["/api/v1/patients/me"].is_object(), "merged OpenAPI lacks patient paths");
    let docs = api.client.get("/api/docs").send().await;
    assert_eq!(docs.status, StatusCode::OK);
    assert!(docs.text().to_lowercase().contains("<html"));
    assert_eq!(api.client.get("/metrics").send().await.status, StatusCode::OK);

    // Register: 201, 409, 422.
    let email = unique_email("amina");
    let cin = unique_cin();
    let r = api.post("/api/v1/auth/register", None, registration(&email, &cin)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["user"]["role"], "patient");
    assert_eq!(r.body["token_type"], "Bearer");
    assert!(r.body["expires_in"].as_i64().unwrap() > 0);
    let user_id = r.body["user"]["id"].as_i64().unwrap();
    let token = r.body["access_token"].as_str().unwrap().to_owned();
    let refresh1 = r.body["refresh_token"].as_str().unwrap().to_owned();
    let dup = api.post("/api/v1/auth/register", None, registration(&email.to_uppercase(), &cin)).await;
    assert_eq!(dup.status, StatusCode::CONFLICT, "{}", dup.body);
    let mut bad = registration(&unique_email("bad"), &cin);
    bad["email"] = json!("not-an-email");
    bad["birth_date"] = json!("2999-01-01");
    let bad = api.post("/api/v1/auth/register", None, bad).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.headers["content-type"], "application/problem+json");
    assert!(bad.body["errors"]["email"].is_array(), "{}", bad.body);

    // Login, me.
    let login = api.login(&email, PASSWORD).await;
    assert_eq!(login.status, StatusCode::OK, "{}", login.body);
    assert_eq!(login.body["user"]["id"], user_id);
    let refresh2 = login.body["refresh_token"].as_str().unwrap().to_owned();
    assert_eq!(api.login(&email, "wrong password!").await.status, StatusCode::UNAUTHORIZED);
    let me = api.get("/api/v1/auth/me", Some(&token)).await;
    assert_eq!(me.status, StatusCode::OK);
    for field in ["id", "name", "email", "role", "gender", "phone", "img_url"] {
        assert!(me.body.get(field).is_some(), "me lacks {field}: {}", me.body);
    }
    assert_eq!(api.get("/api/v1/auth/me", None).await.status, StatusCode::UNAUTHORIZED);
    let patched =
        api.client.patch("/api/v1/auth/me").bearer(&token).json(&json!({"name": "Amina B."})).send().await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.body);
    assert_eq!(patched.body["name"], "Amina B.");

    // Refresh rotation. Within the replay window the rotated token answers
    // the same successor again (a reload, two tabs); reuse after the window
    // revoking the family is tested in auth's refresh_rotation tests.
    let r = api.post("/api/v1/auth/refresh", None, json!({"refresh_token": refresh1})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let refresh1b = r.body["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(refresh1b, refresh1);
    let again = api.post("/api/v1/auth/refresh", None, json!({"refresh_token": refresh1})).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(
        again.body["refresh_token"],
        refresh1b.as_str(),
        "the same successor, not a new family member"
    );

    // Password change revokes other sessions.
    let session3 = api.login(&email, PASSWORD).await;
    let token3 = session3.body["access_token"].as_str().unwrap().to_owned();
    let change = api
        .client
        .put("/api/v1/auth/me/password")
        .bearer(&token3)
        .json(&json!({"current_password": PASSWORD, "new_password": "a brand new passphrase"}))
        .send()
        .await;
    assert_eq!(change.status, StatusCode::NO_CONTENT, "{}", change.body);
    assert_eq!(api.post("/api/v1/auth/refresh", None, json!({"refresh_token": refresh2})).await.status, 401);
    let session4 = api.login(&email, "a brand new passphrase").await;
    assert_eq!(session4.status, StatusCode::OK);
    let refresh4 = session4.body["refresh_token"].as_str().unwrap().to_owned();
    let out = api.post("/api/v1/auth/logout", Some(&token3), json!({"refresh_token": refresh4})).await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert_eq!(api.post("/api/v1/auth/refresh", None, json!({"refresh_token": refresh4})).await.status, 401);

    // Avatar: a real PNG, decoded and stored re-encoded in the object store.
    // The registration's session was revoked with the password change: a
    // fresh one.
    let token =
        api.login(&email, "a brand new passphrase").await.body["access_token"].as_str().unwrap().to_owned();
    let mut png = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_pixel(4, 4, image::Rgb([1, 2, 3]))
        .write_to(&mut png, image::ImageFormat::Png)
        .unwrap();
    let png = png.into_inner();
    let avatar = api.client.put("/api/v1/auth/me/avatar").bearer(&token).body("image/png", png).send().await;
    assert_eq!(avatar.status, StatusCode::OK);
    let img_url = avatar.body["img_url"].as_str().unwrap();
    assert_eq!(api.client.get(img_url).send().await.status, StatusCode::OK);
    let fake = api
        .client
        .put("/api/v1/auth/me/avatar")
        .bearer(&token)
        .body("image/png", "definitely not a png")
        .send()
        .await;
    assert_eq!(fake.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);

    // Forgot / reset through the (dev) mailbox.
    assert_eq!(api.post("/api/v1/auth/password/forgot", None, json!({"email": email})).await.status, 202);
    assert_eq!(
        api.post("/api/v1/auth/password/forgot", None, json!({"email": unique_email("nobody")})).await.status,
        202
    );
    // Mailed by the notification service, from auth's event.
    let mail = crate::support::wait_mail(p, &email, "/reset-password?token=").await;
    let text = &mail.text;
    let reset_token = text.split("token=").nth(1).unwrap().split_whitespace().next().unwrap().to_owned();
    let reset = api
        .post("/api/v1/auth/password/reset", None, json!({"token": reset_token, "password": PASSWORD}))
        .await;
    assert_eq!(reset.status, StatusCode::NO_CONTENT, "{}", reset.body);
    let again = api
        .post("/api/v1/auth/password/reset", None, json!({"token": reset_token, "password": PASSWORD}))
        .await;
    assert!(again.status.is_client_error(), "a reset token is single-use");
    let token = api.login(&email, PASSWORD).await.body["access_token"].as_str().unwrap().to_owned();

    // Discovery documents.
    let jwks = api.get("/.well-known/jwks.json", None).await;
    assert_eq!(jwks.status, StatusCode::OK);
    assert!(!jwks.body["keys"].as_array().unwrap().is_empty());
    let oidc = api.get("/.well-known/openid-configuration", None).await;
    assert_eq!(oidc.status, StatusCode::OK);
    assert!(oidc.body["jwks_uri"].as_str().unwrap().ends_with("/.well-known/jwks.json"));

    // Patient profile (arrives by event), PATCH, records.
    let (profile, _) = api.wait_profile(&token, Duration::from_secs(10)).await;
    for field in ["id", "user_id", "name", "email", "cin", "birth_date", "gender", "phone", "address"] {
        assert!(profile.get(field).is_some(), "profile lacks {field}: {profile}");
    }
    assert_eq!(profile["cin"], cin);
    assert_eq!(profile["user_id"], user_id);
    assert_eq!(profile["address"]["city"], "Rabat");
    let patient_id = profile["id"].as_i64().unwrap();
    let patched = api
        .client
        .patch("/api/v1/patients/me")
        .bearer(&token)
        .json(&json!({"address": {"street": "3 Avenue Hassan II", "city": "Fès"}}))
        .send()
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.body);
    assert_eq!(patched.body["address"]["city"], "Fès");
    let own = api.get(&format!("/api/v1/patients/{patient_id}"), Some(&token)).await;
    assert_eq!(own.status, StatusCode::OK);
    let history = api
        .post(
            &format!("/api/v1/patients/{patient_id}/medical-history"),
            Some(&token),
            json!({"kind": "allergy", "description": "Penicillin: hives"}),
        )
        .await;
    assert_eq!(history.status, StatusCode::CREATED, "{}", history.body);
    let list = api.get(&format!("/api/v1/patients/{patient_id}/medical-history"), Some(&token)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.body["total"], 1);
    assert_eq!(list.body["data"][0]["description"], "Penicillin: hives");
    let ins = api
        .client
        .put("/api/v1/patients/me/insurance")
        .bearer(&token)
        .json(&json!({"provider": "CNSS", "policy_number": "POL-123456"}))
        .send()
        .await;
    assert_eq!(ins.status, StatusCode::OK, "{}", ins.body);
    assert_eq!(
        api.get("/api/v1/patients/me/insurance", Some(&token)).await.body["policy_number"],
        "POL-123456"
    );
    let prefs = api
        .client
        .put("/api/v1/patients/me/preferences")
        .bearer(&token)
        .json(&json!({"language": "fr", "timezone": "Europe/Paris"}))
        .send()
        .await;
    assert_eq!(prefs.status, StatusCode::OK, "{}", prefs.body);
    assert_eq!(
        api.get("/api/v1/patients/me/preferences", Some(&token)).await.body["timezone"],
        "Europe/Paris"
    );
    let log = api.get("/api/v1/patients/me/access-log", Some(&token)).await;
    assert_eq!(log.status, StatusCode::OK);
    assert!(log.body["total"].as_u64().unwrap() >= 4, "{}", log.body);
    for field in ["at", "actor_user_id", "actor_role", "action", "resource"] {
        assert!(log.body["data"][0].get(field).is_some(), "access log lacks {field}");
    }

    // Another patient sees nothing of the first: 404, not 403.
    let (_, other_token, _) = api.register(&unique_email("omar"), &unique_cin()).await;
    api.wait_profile(&other_token, Duration::from_secs(10)).await;
    assert_eq!(api.get(&format!("/api/v1/patients/{patient_id}"), Some(&other_token)).await.status, 404);
    assert_eq!(
        api.get(&format!("/api/v1/patients/{patient_id}/medical-history"), Some(&other_token)).await.status,
        404
    );
    assert_eq!(api.get("/api/v1/patients", Some(&other_token)).await.status, 403);
    assert_eq!(api.get("/api/v1/admin/users", Some(&other_token)).await.status, 403);

    // Admin rows.
    let admin_email = unique_email("admin");
    p.create_admin(&admin_email, "admin-passphrase-1").await.unwrap();
    let admin = api.login(&admin_email, "admin-passphrase-1").await;
    assert_eq!(admin.status, StatusCode::OK, "{}", admin.body);
    let admin_token = admin.body["access_token"].as_str().unwrap().to_owned();
    let users = api.get("/api/v1/admin/users?role=patient&page=1", Some(&admin_token)).await;
    assert_eq!(users.status, StatusCode::OK);
    assert!(users.body["total"].as_u64().unwrap() >= 2);
    let found = api.get(&format!("/api/v1/admin/users?q={email}"), Some(&admin_token)).await;
    assert_eq!(found.body["total"], 1, "{}", found.body);
    assert_eq!(api.get("/api/v1/patients", Some(&admin_token)).await.status, StatusCode::OK);
    assert_eq!(api.get(&format!("/api/v1/patients/{patient_id}"), Some(&admin_token)).await.status, 200);
    let disable =
        api.post(&format!("/api/v1/admin/users/{user_id}/disable"), Some(&admin_token), json!({})).await;
    assert_eq!(disable.status, StatusCode::NO_CONTENT, "{}", disable.body);
    assert_eq!(api.login(&email, PASSWORD).await.status, StatusCode::UNAUTHORIZED);
    let enable =
        api.post(&format!("/api/v1/admin/users/{user_id}/enable"), Some(&admin_token), json!({})).await;
    assert_eq!(enable.status, StatusCode::NO_CONTENT);
    // Disabling revoked the tokens issued before it; enabling does not
    // bring them back: a new login does.
    assert_eq!(api.get("/api/v1/auth/me", Some(&token)).await.status, StatusCode::UNAUTHORIZED);
    let relogin = api.login(&email, PASSWORD).await;
    assert_eq!(relogin.status, StatusCode::OK);
    let token = relogin.body["access_token"].as_str().unwrap().to_owned();

    // The admin read shows in the patient's access log.
    let log = api.get("/api/v1/patients/me/access-log?per_page=100", Some(&token)).await;
    assert!(
        log.body["data"].as_array().unwrap().iter().any(|e| e["actor_role"] == "admin"),
        "admin access not logged: {}",
        log.body
    );

    // Account deletion removes the profile too (event).
    let del =
        api.client.delete("/api/v1/auth/me").bearer(&token).json(&json!({"password": PASSWORD})).send().await;
    assert_eq!(del.status, StatusCode::NO_CONTENT, "{}", del.body);
    assert_eq!(api.login(&email, PASSWORD).await.status, StatusCode::UNAUTHORIZED);
    eventually("the profile to go with the account", || async {
        let r = api.get(&format!("/api/v1/patients/{patient_id}"), Some(&admin_token)).await;
        (r.status == StatusCode::NOT_FOUND).then_some(())
    })
    .await;
}
