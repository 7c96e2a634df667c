//! The auth service on its own (router in process, real databases and bus).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use axum::{
    Router,
    body::Body,
    http::{Request, StatusCode},
};
use http_body_util::BodyExt;
use kit::{
    identity::JwtVerifier,
    service::ServiceContext,
    testing::{TestEnv, TestIssuer, backends},
};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use tower::ServiceExt;

async fn start(env: &TestEnv) -> (ServiceContext, Router) {
    let mut ctx = env.context("auth", &TestIssuer::new()).await;
    let source = Arc::new(auth::LocalJwks::new(ctx.db.clone(), ctx.keyring.clone()));
    ctx.verifier = Arc::new(JwtVerifier::new(source).with_revocations(env.revocations().await));
    let handle = auth::start(ctx.clone()).await.unwrap();
    (ctx, handle.router)
}

async fn call(
    app: &Router,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Body,
    ct: &str,
) -> (StatusCode, Value) {
    let mut req = Request::builder().method(method).uri(path).header("content-type", ct);
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let res = app.clone().oneshot(req.body(body).unwrap()).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

async fn json(
    app: &Router,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Value,
) -> (StatusCode, Value) {
    call(app, method, path, token, Body::from(body.to_string()), "application/json").await
}

fn registration(email: &str) -> Value {
    json!({"name": "Omar", "email": email, "password": "long enough pw", "gender": "male", "phone": "0611223344",
           "cin": "AB12345", "birth_date": "1985-06-01", "address": {"street": "2 Rue Fassi", "city": "Fès"}})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legacy_bcrypt_logins_are_upgraded_to_argon2id() {
    for backend in backends() {
        let env = TestEnv::new(backend);
        let (ctx, app) = start(&env).await;
        let backend_kind = ctx.db.get_database_backend();
        // A row as the monolith left it: bcrypt $2y$ of "password123".
        ctx.db
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
        let login = json!({"email": "legacy@example.com", "password": "password123"});
        assert_eq!(json(&app, "POST", "/api/v1/auth/login", None, login.clone()).await.0, StatusCode::OK);
        let row = ctx
            .db
            .query_one_raw(Statement::from_string(
                backend_kind,
                "SELECT password FROM users WHERE email = 'legacy@example.com'",
            ))
            .await
            .unwrap()
            .unwrap();
        let stored: String = row.try_get_by_index(0).unwrap();
        assert!(stored.starts_with("$argon2id$"), "{backend:?}: not upgraded: {stored}");
        assert_eq!(
            json(&app, "POST", "/api/v1/auth/login", None, login).await.0,
            StatusCode::OK,
            "still works"
        );
        env.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotation_keeps_issued_tokens_valid_and_publishes_two_keys() {
    for backend in backends() {
        let env = TestEnv::new(backend);
        let (ctx, app) = start(&env).await;
        let (status, session) =
            json(&app, "POST", "/api/v1/auth/register", None, registration("rot@example.com")).await;
        assert_eq!(status, StatusCode::CREATED, "{session}");
        let old = session["access_token"].as_str().unwrap().to_owned();
        // No plaintext cin in the event the registration wrote.
        let outbox = ctx
            .db
            .query_one_raw(Statement::from_string(
                ctx.db.get_database_backend(),
                "SELECT payload FROM kit_outbox",
            ))
            .await
            .unwrap()
            .unwrap();
        let payload: String = outbox.try_get_by_index(0).unwrap();
        assert!(payload.contains("cin_sealed") && !payload.contains("AB12345"));

        auth::rotate_signing_key(&ctx.db, &ctx.keyring).await.unwrap();
        let (_, jwks) = json(&app, "GET", "/.well-known/jwks.json", None, Value::Null).await;
        assert_eq!(jwks["keys"].as_array().unwrap().len(), 2);
        assert_eq!(json(&app, "GET", "/api/v1/auth/me", Some(&old), Value::Null).await.0, StatusCode::OK);
        auth::rotate_signing_key(&ctx.db, &ctx.keyring).await.unwrap();
        ctx.verifier.refresh(true).await;
        assert_eq!(
            json(&app, "GET", "/api/v1/auth/me", Some(&old), Value::Null).await.0,
            StatusCode::UNAUTHORIZED,
            "two rotations later the first key is gone"
        );
        env.cleanup().await;
    }
}

/// A real PNG of one colour.
fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_pixel(width, height, image::Rgba([10, 120, 200, 255]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A PNG chunk with its CRC.
fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let body = [kind.as_slice(), data].concat();
    [(data.len() as u32).to_be_bytes().as_slice(), &body, &crc32fast::hash(&body).to_be_bytes()].concat()
}

/// `png` with a `tEXt` chunk right after its header (8 + 25 bytes).
fn with_text(png: &[u8], key: &str, text: &str) -> Vec<u8> {
    let text = chunk(b"tEXt", format!("{key}\0{text}").as_bytes());
    [&png[..33], &text, &png[33..]].concat()
}

/// A few hundred bytes whose header claims 100,000 × 100,000 pixels
/// (40 GB decoded).
fn pixel_bomb() -> Vec<u8> {
    let mut bomb = png(1, 1);
    bomb[16..20].copy_from_slice(&100_000u32.to_be_bytes());
    bomb[20..24].copy_from_slice(&100_000u32.to_be_bytes());
    let crc = crc32fast::hash(&bomb[12..29]);
    bomb[29..33].copy_from_slice(&crc.to_be_bytes());
    bomb
}

/// A real JPEG with a comment segment (`FF FE`) holding `comment`.
fn jpeg_with_comment(comment: &[u8]) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(8, 8, image::Rgb([200, 10, 10]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    let jpeg = out.into_inner();
    let len = ((comment.len() + 2) as u16).to_be_bytes();
    [&jpeg[..2], &[0xFF, 0xFE], len.as_slice(), comment, &jpeg[2..]].concat()
}

async fn fetch(app: &Router, path: &str) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let res = app.clone().oneshot(Request::get(path).body(Body::empty()).unwrap()).await.unwrap();
    let (parts, body) = res.into_parts();
    (parts.status, parts.headers, body.collect().await.unwrap().to_bytes().to_vec())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn avatars_are_decoded_within_limits_and_stored_re_encoded() {
    let env = TestEnv::new(kit::testing::Backend::Sqlite);
    let (ctx, app) = start(&env).await;
    let (_, session) =
        json(&app, "POST", "/api/v1/auth/register", None, registration("pic@example.com")).await;
    let token = session["access_token"].as_str().unwrap();
    let put = |body: Vec<u8>, ct: &'static str| {
        call(&app, "PUT", "/api/v1/auth/me/avatar", Some(token), Body::from(body), ct)
    };

    // A photo with a location in its metadata: accepted, stored without it.
    let tagged = with_text(&png(8, 8), "GPS", "34.020882,-6.841650");
    assert!(image::load_from_memory(&tagged).is_ok(), "the test file is a valid PNG");
    let (status, body) = put(tagged, "image/png").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let url = body["img_url"].as_str().unwrap().to_owned();
    let (status, headers, stored) = fetch(&app, &url).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "image/png");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["cache-control"], "public, max-age=86400, immutable", "avatars opt into caching");
    assert!(!String::from_utf8_lossy(&stored).contains("34.020882"), "metadata survived re-encoding");
    let decoded = image::load_from_memory(&stored).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (8, 8));
    // It lives in the object store, not on some instance's disk.
    let key = format!("avatars/{}", url.rsplit('/').next().unwrap());
    assert_eq!(ctx.objects.get(&key).await.unwrap().as_ref(), stored.as_slice());

    // Large pictures are scaled down to 512 pixels.
    let (status, body) = put(png(1200, 600), "image/png").await;
    assert_eq!(status, StatusCode::OK);
    let (_, _, stored) = fetch(&app, body["img_url"].as_str().unwrap()).await;
    let decoded = image::load_from_memory(&stored).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (512, 256));
    assert_eq!(fetch(&app, &url).await.0, StatusCode::NOT_FOUND, "the replaced avatar is removed");
    assert!(ctx.objects.get(&key).await.is_err());

    // Hostile files.
    let html = "<html><body><script>alert(document.cookie)</script></body></html>";
    let polyglot = with_text(&png(8, 8), "Comment", html);
    assert!(image::load_from_memory(&polyglot).is_ok(), "the polyglot decodes as a PNG");
    assert_eq!(put(polyglot, "image/png").await.0, StatusCode::UNSUPPORTED_MEDIA_TYPE, "PNG/HTML polyglot");
    let trailing = [png(8, 8), html.as_bytes().to_vec()].concat();
    assert_eq!(put(trailing, "image/png").await.0, StatusCode::UNSUPPORTED_MEDIA_TYPE, "HTML after IEND");
    let jpeg = jpeg_with_comment(b"<svg onload=alert(1)>");
    assert!(image::load_from_memory(&jpeg).is_ok(), "the JPEG decodes");
    assert_eq!(put(jpeg, "image/jpeg").await.0, StatusCode::UNSUPPORTED_MEDIA_TYPE, "JPEG/SVG polyglot");
    assert_eq!(put(jpeg_with_comment(b"taken in Fes"), "image/jpeg").await.0, StatusCode::OK);
    let (status, body) = put(pixel_bomb(), "image/png").await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "pixel bomb: {body}");
    let fake = [b"\x89PNG\r\n\x1a\n".as_slice(), &[0u8; 32]].concat();
    assert_eq!(put(fake, "image/png").await.0, StatusCode::UNSUPPORTED_MEDIA_TYPE, "magic bytes alone");

    // Declared type and size rules as before.
    assert_eq!(put(png(8, 8), "image/jpeg").await.0, StatusCode::UNSUPPORTED_MEDIA_TYPE, "type mismatch");
    assert_eq!(put(b"<svg/>".to_vec(), "image/png").await.0, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(put(png(8, 8), "text/plain").await.0, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let huge = [png(8, 8), vec![0u8; 5 * 1024 * 1024]].concat();
    assert_eq!(put(huge, "image/png").await.0, StatusCode::PAYLOAD_TOO_LARGE);
    let (status, _) =
        call(&app, "GET", "/api/v1/auth/avatars/..%2F..%2Fetc%2Fpasswd", None, Body::empty(), "x").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_refreshes_with_one_token_have_one_winner() {
    for backend in backends() {
        let env = TestEnv::new(backend);
        let (_, app) = start(&env).await;
        let (_, session) =
            json(&app, "POST", "/api/v1/auth/register", None, registration("race@example.com")).await;
        let body = json!({"refresh_token": session["refresh_token"]});
        let tries = (0..8).map(|_| json(&app, "POST", "/api/v1/auth/refresh", None, body.clone()));
        let results = futures::future::join_all(tries).await;
        let ok = results.iter().filter(|(s, _)| *s == StatusCode::OK).count();
        assert!(ok <= 1, "{backend:?}: {ok} refreshes won with one token");
        env.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_create_doctor_accounts_that_announce_their_profile() {
    for backend in backends() {
        let env = TestEnv::new(backend);
        let (ctx, app) = start(&env).await;
        auth::create_admin(&ctx, "Root", "root@example.com", "admin pass 1").await.unwrap();
        let login = json!({"email": "root@example.com", "password": "admin pass 1"});
        let (_, session) = json(&app, "POST", "/api/v1/auth/login", None, login).await;
        let admin = session["access_token"].as_str().unwrap().to_owned();
        let (_, patient) =
            json(&app, "POST", "/api/v1/auth/register", None, registration("pat@example.com")).await;
        let patient = patient["access_token"].as_str().unwrap().to_owned();

        let doctor = json!({"name": "Dr Alami", "email": "alami@example.com", "password": "doctor pass 1",
            "gender": "male", "phone": "0600000001", "role": "doctor", "birth_date": "1975-02-03",
            "address": {"street": "1 Av. Hassan II", "city": "Rabat"},
            "doctor": {"degree": "MD", "specialty_id": 3, "timezone": "Africa/Casablanca"}});
        let path = "/api/v1/admin/users";
        assert_eq!(json(&app, "POST", path, Some(&patient), doctor.clone()).await.0, StatusCode::FORBIDDEN);
        let (status, created) = json(&app, "POST", path, Some(&admin), doctor.clone()).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        assert_eq!(created["role"], "doctor");
        assert_eq!(json(&app, "POST", path, Some(&admin), doctor.clone()).await.0, StatusCode::CONFLICT);
        let mut bad_zone = doctor.clone();
        bad_zone["email"] = json!("other@example.com");
        bad_zone["doctor"]["timezone"] = json!("Mars/Olympus");
        assert_eq!(json(&app, "POST", path, Some(&admin), bad_zone.clone()).await.0, 422);
        bad_zone["role"] = json!("patient");
        assert_eq!(json(&app, "POST", path, Some(&admin), bad_zone.clone()).await.0, 422);
        bad_zone["role"] = json!("doctor");
        bad_zone["doctor"] = Value::Null;
        assert_eq!(json(&app, "POST", path, Some(&admin), bad_zone).await.0, 422);

        // The doctor can log in, and user.registered carries the profile seed.
        let login = json!({"email": "alami@example.com", "password": "doctor pass 1"});
        assert_eq!(json(&app, "POST", "/api/v1/auth/login", None, login).await.0, StatusCode::OK);
        let rows = ctx
            .db
            .query_all_raw(Statement::from_string(
                ctx.db.get_database_backend(),
                "SELECT payload FROM kit_outbox WHERE kind = 'quickcare.user.registered.v1'",
            ))
            .await
            .unwrap();
        let seeds: Vec<Value> = rows
            .iter()
            .map(|r| serde_json::from_str::<Value>(&r.try_get_by_index::<String>(0).unwrap()).unwrap())
            .filter(|e| e["data"]["role"] == "doctor")
            .map(|e| e["data"].clone())
            .collect();
        assert_eq!(seeds.len(), 1);
        assert_eq!(seeds[0]["doctor"]["specialty_id"], 3);
        assert_eq!(seeds[0]["address"]["city"], "Rabat");
        env.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_request_is_an_event_whose_sealed_secret_resets_once() {
    for backend in backends() {
        let env = TestEnv::new(backend);
        let (ctx, app) = start(&env).await;
        let (status, _) =
            json(&app, "POST", "/api/v1/auth/register", None, registration("reset@example.com")).await;
        assert_eq!(status, StatusCode::CREATED);
        for email in ["Reset@Example.com", "nobody@example.com"] {
            let (status, _) =
                json(&app, "POST", "/api/v1/auth/password/forgot", None, json!({"email": email})).await;
            assert_eq!(status, StatusCode::ACCEPTED, "the same answer either way");
        }
        // One event, for the existing account, written with the reset row.
        let rows = ctx
            .db
            .query_all_raw(Statement::from_string(
                ctx.db.get_database_backend(),
                "SELECT payload FROM kit_outbox WHERE kind = 'quickcare.user.password_reset_requested.v1'",
            ))
            .await
            .unwrap();
        assert_eq!(rows.len(), 1);
        let payload: String = rows[0].try_get_by_index(0).unwrap();
        let event: Value = serde_json::from_str(&payload).unwrap();
        let data: kit::events::catalog::PasswordResetRequested =
            serde_json::from_value(event["data"].clone()).unwrap();
        assert_eq!(data.email, "reset@example.com");
        let ttl = data.expires_at - chrono::Utc::now();
        assert!(ttl > chrono::Duration::minutes(59) && ttl <= chrono::Duration::minutes(60), "{ttl}");
        let secret = ctx.keyring.open_str(&data.secret_sealed).unwrap();
        assert!(!payload.contains(&secret), "the secret is not in the event in clear");

        let reset = json!({"token": secret, "password": "brand new pw"});
        let (status, body) = json(&app, "POST", "/api/v1/auth/password/reset", None, reset.clone()).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
        assert_eq!(
            json(&app, "POST", "/api/v1/auth/password/reset", None, reset).await.0,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        let login = json!({"email": "reset@example.com", "password": "brand new pw"});
        assert_eq!(json(&app, "POST", "/api/v1/auth/login", None, login).await.0, StatusCode::OK);
        env.cleanup().await;
    }
}
