//! Revoked access tokens stop working within seconds everywhere: at the
//! gateway and at every service instance called directly (two patient
//! instances when distributed), after a disable, a password change, a
//! refresh-token reuse and a deletion; a token issued afterwards works.

use std::time::Duration;

use kit::testing::eventually_within;

use crate::support::{
    Mode, Options, Platform,
    api::{Api, PASSWORD, unique_cin, unique_email},
};
use reqwest::StatusCode;
use serde_json::json;

/// Every place a token is verified: the gateway, auth and each patient
/// instance directly (the same URL when embedded).
fn verifiers(p: &Platform) -> Vec<(Api, &'static str)> {
    let mut out = vec![(Api::new(&p.url()), "/api/v1/auth/me"), (Api::new(&p.url()), "/api/v1/patients/me")];
    if p.mode == Mode::Distributed {
        out.push((Api::new(&p.auth_direct()), "/api/v1/auth/me"));
        for patient in &p.patients {
            out.push((Api::new(&patient.url()), "/api/v1/patients/me"));
        }
    }
    out
}

/// Polls every verifier until each refuses `token` with 401.
async fn refused_everywhere(p: &Platform, token: &str, what: &str) {
    for (api, path) in verifiers(p) {
        let refusal = format!("{what}: {} {path} to refuse the token", api.base());
        eventually_within(&refusal, Duration::from_secs(15), || async {
            (api.get(path, Some(token)).await.status == StatusCode::UNAUTHORIZED).then_some(())
        })
        .await;
    }
}

async fn accepted_everywhere(p: &Platform, token: &str, what: &str) {
    for (api, path) in verifiers(p) {
        let r = api.get(path, Some(token)).await;
        assert_eq!(r.status, StatusCode::OK, "{what}: {} {path}: {}", api.base(), r.body);
    }
}

fn token(r: &crate::support::api::Reply) -> (String, String) {
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    (
        r.body["access_token"].as_str().unwrap().to_owned(),
        r.body["refresh_token"].as_str().unwrap().to_owned(),
    )
}

kit::per_backend! {
    async fn revoked_tokens_stop_everywhere_within_seconds(backend: Backend) {
        let mode = crate::support::mode(backend);
        let p = crate::support::start(mode, Options { patient_instances: 2, ..Options::default() }).await;
        let api = Api::new(&p.url());
        let email = unique_email("revoked");
        let (user_id, first, _) = api.register(&email, &unique_cin()).await;
        api.wait_profile(&first, Duration::from_secs(10)).await;
        accepted_everywhere(&p, &first, "before").await;

        // Disabled by an admin: the token dies; after re-enabling, a new one works.
        let admin_email = unique_email("admin");
        p.create_admin(&admin_email, "admin-passphrase-1").await.unwrap();
        let (admin, _) = token(&api.login(&admin_email, "admin-passphrase-1").await);
        let r = api.post(&format!("/api/v1/admin/users/{user_id}/disable"), Some(&admin), json!({})).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
        refused_everywhere(&p, &first, "disabled").await;
        let r = api.post(&format!("/api/v1/admin/users/{user_id}/enable"), Some(&admin), json!({})).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
        let (kept, _) = token(&api.login(&email, PASSWORD).await);
        accepted_everywhere(&p, &kept, "re-enabled").await;

        // A password change ends the other sessions and keeps the caller's.
        let (other, _) = token(&api.login(&email, PASSWORD).await);
        let body = json!({"current_password": PASSWORD, "new_password": "a new long password"});
        let r = api.client.put("/api/v1/auth/me/password").bearer(&kept).json(&body).send().await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
        refused_everywhere(&p, &other, "password changed").await;
        accepted_everywhere(&p, &kept, "the session that changed it").await;

        // A refresh token used again after its successor was used (no
        // race between tabs, a copy): its session's access tokens die.
        let (_, refresh) = token(&api.login(&email, "a new long password").await);
        let (_, successor) =
            token(&api.post("/api/v1/auth/refresh", None, json!({"refresh_token": refresh})).await);
        let (rotated, _) =
            token(&api.post("/api/v1/auth/refresh", None, json!({"refresh_token": successor})).await);
        accepted_everywhere(&p, &rotated, "rotated").await;
        let reuse = api.post("/api/v1/auth/refresh", None, json!({"refresh_token": refresh})).await;
        assert_eq!(reuse.status, StatusCode::UNAUTHORIZED);
        refused_everywhere(&p, &rotated, "refresh reuse").await;
        accepted_everywhere(&p, &kept, "another session").await;

        // A deleted account's tokens die with it.
        let body = json!({"password": "a new long password"});
        let r = api.client.delete("/api/v1/auth/me").bearer(&kept).json(&body).send().await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
        refused_everywhere(&p, &kept, "deleted").await;
        p.stop().await;
    }
}
