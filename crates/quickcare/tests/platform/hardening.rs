//! What an outside probe must not find: a role check that comes after body
//! validation, a missing security header, an avatar that only one instance
//! (or only one process lifetime) can serve.

use std::time::Duration;

use crate::support::{
    Mode, Options, Platform,
    api::{Api, PASSWORD, Reply, unique_cin, unique_email},
};
use base64::{Engine, engine::general_purpose::STANDARD};
use kit::{
    security_headers::{DOCS_POLICY, HTML_POLICY, NON_HTML_POLICY},
    testing::TestClient,
};
use reqwest::{Method, StatusCode};
use serde_json::json;
use sha2::{Digest, Sha256};

/// Logs in an admin, a doctor and a patient; returns their tokens.
async fn people(p: &Platform, api: &Api) -> (String, String, String) {
    let admin_email = unique_email("admin");
    p.create_admin(&admin_email, PASSWORD).await.unwrap();
    let admin = api.login(&admin_email, PASSWORD).await.body["access_token"].as_str().unwrap().to_owned();
    let specialty = api.post("/api/v1/specialties", Some(&admin), json!({"name": unique_email("s")})).await;
    assert_eq!(specialty.status, StatusCode::CREATED, "{}", specialty.body);
    let doctor_email = unique_email("doc");
    let created = api
        .post(
            "/api/v1/doctors",
            Some(&admin),
            json!({"name": "Dr Who", "email": doctor_email, "password": PASSWORD, "gender": "male",
                "phone": "0522333444", "birth_date": "1970-01-01", "address": {"street": "2 Rue", "city": "Fès"},
                "degree": "MD", "specialty_id": specialty.body["id"]}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let doctor = api.login(&doctor_email, PASSWORD).await.body["access_token"].as_str().unwrap().to_owned();
    let (_, patient, _) = api.register(&unique_email("pat"), &unique_cin()).await;
    api.wait_profile(&patient, Duration::from_secs(10)).await;
    (admin, doctor, patient)
}

const A: &str = "admin";
const D: &str = "doctor";
const P: &str = "patient";

/// Every role-restricted operation and the roles it admits.
const RESTRICTED: &[(&str, &str, &[&str])] = &[
    ("GET", "/api/v1/admin/users", &[A]),
    ("GET", "/api/v1/admin/users/stats", &[A]),
    ("GET", "/api/v1/patients/stats", &[A]),
    ("GET", "/api/v1/doctors/stats", &[A]),
    ("GET", "/api/v1/appointments/stats", &[A]),
    ("GET", "/api/v1/ratings/stats", &[A]),
    ("GET", "/api/v1/notification-deliveries/stats", &[A]),
    ("POST", "/api/v1/notification-templates/{key}/preview", &[A]),
    ("POST", "/api/v1/admin/users", &[A]),
    ("POST", "/api/v1/admin/users/{id}/disable", &[A]),
    ("POST", "/api/v1/admin/users/{id}/enable", &[A]),
    ("POST", "/api/v1/doctors", &[A]),
    ("PATCH", "/api/v1/doctors/{id}", &[A]),
    ("DELETE", "/api/v1/doctors/{id}", &[A]),
    ("GET", "/api/v1/doctor-applications", &[A]),
    ("GET", "/api/v1/doctor-applications/{id}/cv", &[A]),
    ("POST", "/api/v1/doctor-applications/{id}/approve", &[A]),
    ("POST", "/api/v1/doctor-applications/{id}/reject", &[A]),
    ("DELETE", "/api/v1/doctor-applications/{id}", &[A]),
    ("POST", "/api/v1/specialties", &[A]),
    ("PATCH", "/api/v1/specialties/{id}", &[A]),
    ("DELETE", "/api/v1/specialties/{id}", &[A]),
    ("POST", "/api/v1/notifications", &[A]),
    ("GET", "/api/v1/notification-templates", &[A]),
    ("PUT", "/api/v1/notification-templates/{key}", &[A]),
    ("GET", "/api/v1/notification-deliveries", &[A]),
    ("GET", "/api/v1/ratings/moderation", &[A]),
    ("POST", "/api/v1/ratings/{id}/approve", &[A]),
    ("POST", "/api/v1/ratings/{id}/reject", &[A]),
    ("GET", "/api/v1/doctors/me", &[D]),
    ("PATCH", "/api/v1/doctors/me", &[D]),
    ("GET", "/api/v1/doctors/me/credentials", &[D]),
    ("POST", "/api/v1/doctors/me/credentials", &[D]),
    ("DELETE", "/api/v1/doctors/me/credentials/{cid}", &[D]),
    ("POST", "/api/v1/appointments/{id}/complete", &[D]),
    ("POST", "/api/v1/appointments/{id}/no-show", &[D]),
    ("POST", "/api/v1/appointments/{id}/check-in", &[D]),
    ("POST", "/api/v1/appointments/{id}/check-out", &[D]),
    ("GET", "/api/v1/patients", &[A, D]),
    ("POST", "/api/v1/schedules", &[A, D]),
    ("PATCH", "/api/v1/schedules/{id}", &[A, D]),
    ("DELETE", "/api/v1/schedules/{id}", &[A, D]),
    ("GET", "/api/v1/reports/appointments", &[A, D]),
    ("GET", "/api/v1/reports/travel-times", &[A, D]),
    ("GET", "/api/v1/patients/me", &[P]),
    ("PATCH", "/api/v1/patients/me", &[P]),
    ("GET", "/api/v1/patients/me/insurance", &[P]),
    ("PUT", "/api/v1/patients/me/insurance", &[P]),
    ("GET", "/api/v1/patients/me/preferences", &[P]),
    ("PUT", "/api/v1/patients/me/preferences", &[P]),
    ("GET", "/api/v1/patients/me/access-log", &[P]),
    ("POST", "/api/v1/ratings", &[P]),
    ("POST", "/api/v1/patients/{id}/medical-history", &[P, D]),
];

kit::per_backend! {
    async fn roles_are_checked_before_path_query_and_body(backend: Backend) {
        let mode = crate::support::mode(backend);
        let p = crate::support::start(mode, Options::default()).await;
        let api = Api::new(&p.url());
        let (admin, doctor, patient) = people(&p, &api).await;
        let doc = api.get("/api/openapi.json", None).await.body;
        let mut checked = 0;
        for (method, template, allowed) in RESTRICTED {
            let op = &doc["paths"][template][method.to_lowercase()];
            assert!(op.is_object(), "{method} {template} is not in the OpenAPI document");
            assert!(op["responses"]["403"].is_object(), "{method} {template} does not document 403");
            // Ids that do not parse, queries that do not parse, bodies that
            // are empty or malformed: the role still decides first.
            let path =
                template.replace("{id}", "not-a-number").replace("{cid}", "x").replace("{key}", "nope");
            let query = "?page=abc&per_page=-1&from=yesterday&status=%00";
            for (role, token) in [(A, &admin), (D, &doctor), (P, &patient)] {
                if allowed.contains(&role) {
                    continue;
                }
                for body in ["", "{", "{\"unexpected\": true}"] {
                    let mut req = api
                        .client
                        .request(Method::from_bytes(method.as_bytes()).unwrap(), &format!("{path}{query}"))
                        .bearer(token);
                    if *method != "GET" {
                        req = req.body("application/json", body);
                    }
                    let res = req.send().await;
                    assert_eq!(
                        res.status,
                        StatusCode::FORBIDDEN,
                        "{mode:?}: {role} {method} {path} with body {body:?}"
                    );
                    assert_eq!(res.header("content-type"), Some("application/problem+json"));
                    checked += 1;
                }
            }
            // Without a token: 401, before anything else too.
            let res = api
                .client
                .request(Method::from_bytes(method.as_bytes()).unwrap(), &format!("{path}{query}"))
                .body("application/json", "{")
                .send()
                .await;
            assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{mode:?}: anonymous {method} {path}");
        }
        assert!(checked > 150, "{checked}");
        p.stop().await;
    }
}

fn header<'a>(r: &'a Reply, name: &str) -> &'a str {
    r.header(name).unwrap_or("")
}

/// The hashes (`'sha256-…'`) of a page's inline scripts and event handlers.
fn inline_script_hashes(html: &str) -> Vec<String> {
    let hash = |code: &str| format!("'sha256-{}'", STANDARD.encode(Sha256::digest(code.as_bytes())));
    let mut out = Vec::new();
    for chunk in html.split("<script").skip(1) {
        let Some((tag, rest)) = chunk.split_once('>') else { continue };
        let code = rest.split("</script>").next().unwrap_or("");
        if !tag.contains("src=") && !code.is_empty() {
            out.push(hash(code));
        }
    }
    for chunk in html.split(" on").skip(1) {
        let name: String = chunk.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        if let Some(value) = chunk[name.len()..].strip_prefix("=\"").and_then(|v| v.split('"').next())
            && !name.is_empty()
        {
            out.push(hash(value));
        }
    }
    out
}

kit::per_backend! {
    async fn every_answer_carries_the_security_headers(backend: Backend) {
        let mode = crate::support::mode(backend);
        let p = crate::support::start(mode, Options::default()).await;
        let api = Api::new(&p.url());
        let http = &api.client;

        // HTML: the strict policy, and no HSTS over plain HTTP.
        let page = http.get("/").send().await;
        assert!(header(&page, "content-type").starts_with("text/html"));
        assert_eq!(header(&page, "content-security-policy"), HTML_POLICY);
        for (name, value) in [
            ("x-content-type-options", "nosniff"),
            ("referrer-policy", "no-referrer"),
            ("permissions-policy", "camera=(), microphone=(), geolocation=()"),
        ] {
            assert_eq!(header(&page, name), value, "{mode:?} {name}");
        }
        assert_eq!(header(&page, "strict-transport-security"), "");
        let over_tls = http.get("/").header("x-forwarded-proto", "https").send().await;
        assert!(header(&over_tls, "strict-transport-security").starts_with("max-age="), "HSTS behind TLS");

        // The docs page: its own policy, which admits each of its inline
        // scripts by hash and no inline script otherwise.
        let docs = http.get("/api/docs").send().await;
        assert_eq!(header(&docs, "content-security-policy"), DOCS_POLICY);
        let html = docs.text();
        for hash in inline_script_hashes(&html) {
            assert!(
                DOCS_POLICY.contains(&hash),
                "the docs page runs an inline script not in its policy: {hash}"
            );
        }

        // Tokens and PHI are never cached; nothing is sniffed.
        let email = unique_email("hdr");
        let register = http
            .post("/api/v1/auth/register")
            .json(&crate::support::api::registration(&email, &unique_cin()))
            .send()
            .await;
        assert_eq!(register.status, StatusCode::CREATED);
        assert_eq!(header(&register, "cache-control"), "no-store", "register");
        let session = &register.body;
        let token = session["access_token"].as_str().unwrap().to_owned();
        api.wait_profile(&token, Duration::from_secs(10)).await;
        let login = http.post("/api/v1/auth/login").json(&json!({"email": email, "password": PASSWORD})).send().await;
        assert_eq!(header(&login, "cache-control"), "no-store", "login");
        let refresh =
            http.post("/api/v1/auth/refresh").json(&json!({"refresh_token": session["refresh_token"]})).send().await;
        assert_eq!(refresh.status, StatusCode::OK);
        assert_eq!(header(&refresh, "cache-control"), "no-store", "refresh");
        let me = api.get("/api/v1/patients/me", Some(&token)).await;
        let id = me.body["id"].as_i64().unwrap();
        for path in [
            "/api/v1/auth/me".to_owned(),
            "/api/v1/patients/me".to_owned(),
            format!("/api/v1/patients/{id}"),
            format!("/api/v1/patients/{id}/medical-history"),
            "/api/v1/patients/me/insurance".to_owned(),
            "/api/v1/patients/me/access-log".to_owned(),
            "/api/v1/appointments".to_owned(),
            "/api/v1/notifications".to_owned(),
            "/api/v1/no-such-route".to_owned(),
        ] {
            let res = http.get(&path).bearer(&token).send().await;
            assert_eq!(header(&res, "cache-control"), "no-store", "{mode:?} {path}");
            assert_eq!(header(&res, "x-content-type-options"), "nosniff", "{path}");
            assert_eq!(header(&res, "content-security-policy"), NON_HTML_POLICY, "{path}");
            assert_eq!(header(&res, "referrer-policy"), "no-referrer", "{path}");
        }

        // Every service sets them itself, not only the gateway.
        if mode == Mode::Distributed {
            for direct in [p.auth_direct(), p.patient_direct()] {
                let res = TestClient::url(&direct).get("/api/v1/patients/me").bearer(&token).send().await;
                assert_eq!(header(&res, "x-content-type-options"), "nosniff", "{direct}");
                assert_eq!(header(&res, "cache-control"), "no-store", "{direct}");
                assert_eq!(header(&res, "permissions-policy"), "camera=(), microphone=(), geolocation=()");
            }
        }
        p.stop().await;
    }
}

kit::per_backend! {
    async fn avatars_live_in_the_object_store_and_survive_a_restart(backend: Backend) {
        let mode = crate::support::mode(backend);
        let mut p = crate::support::start(mode, Options::default()).await;
        let api = Api::new(&p.url());
        let (_, token, _) = api.register(&unique_email("face"), &unique_cin()).await;
        let mut png = std::io::Cursor::new(Vec::new());
        image::RgbaImage::from_pixel(16, 16, image::Rgba([9, 99, 199, 255]))
            .write_to(&mut png, image::ImageFormat::Png)
            .unwrap();
        let put =
            api.client.put("/api/v1/auth/me/avatar").bearer(&token).body("image/png", png.into_inner()).send().await;
        assert_eq!(put.status, StatusCode::OK);
        let url = put.body["img_url"].as_str().unwrap().to_owned();
        let file = url.rsplit('/').next().unwrap().to_owned();
        let first = api.client.get(&url).send().await;
        assert_eq!(first.status, StatusCode::OK);
        assert_eq!(header(&first, "content-type"), "image/png");
        let bytes = &first.bytes;
        assert_eq!(image::load_from_memory(bytes).unwrap().width(), 16);
        // The platform's object store (the uploads dir here), not a
        // directory of whichever process took the upload.
        let uploads: Vec<String> = std::fs::read_dir(p.dir.path().join("uploads"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(uploads.iter().any(|name| name.ends_with(&file)), "{mode:?}: {uploads:?}");
        assert!(!p.dir.path().join("avatars").exists());

        if mode == Mode::Distributed {
            let auth = p.auth.as_mut().unwrap();
            auth.kill9().await;
            auth.start().unwrap();
            auth.wait_ready().await.unwrap();
            for base in [p.url(), p.auth_direct()] {
                let again = TestClient::url(&base).get(&url).send().await;
                assert_eq!(again.status, StatusCode::OK, "{base} after a restart");
                assert_eq!(&again.bytes, bytes);
            }
        }
        p.stop().await;
    }
}
