//! The patient service on its own (router in process, real databases and
//! bus): profiles from events, who may see what, care relationships.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use axum::{
    Router,
    body::Body,
    http::{Request, StatusCode},
};
use chrono::Utc;
use http_body_util::BodyExt;
use kit::{
    events::{Event, catalog},
    identity::Role,
    testing::{TestEnv, TestIssuer, backends},
};
use serde_json::{Value, json};
use tower::ServiceExt;

async fn call(
    app: &Router,
    method: &str,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req =
        Request::builder().method(method).uri(path).header("authorization", format!("Bearer {token}"));
    if body.is_some() {
        req = req.header("content-type", "application/json");
    }
    let req = req.body(body.map(|b| Body::from(b.to_string())).unwrap_or_default()).unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

fn event(kind: &str, data: Value) -> Event {
    Event::new("test", kind, None, data)
}

fn registered(user_id: i64, ctx: &kit::service::ServiceContext, cin: &str) -> Event {
    event(
        catalog::USER_REGISTERED,
        serde_json::to_value(catalog::UserRegistered {
            user_id,
            name: format!("Patient {user_id}"),
            email: format!("p{user_id}@example.com"),
            role: Role::Patient,
            gender: "female".into(),
            phone: "0612345678".into(),
            cin_sealed: Some(ctx.keyring.seal_str(cin)),
            birth_date: chrono::NaiveDate::from_ymd_opt(1990, 1, 1),
            address: Some(catalog::Address { street: "1 Rue Tazi".into(), city: "Rabat".into() }),
            doctor: None,
        })
        .unwrap(),
    )
}

async fn wait_profile(app: &Router, token: &str) -> Value {
    for _ in 0..200 {
        let (status, body) = call(app, "GET", "/api/v1/patients/me", token, None).await;
        if status == StatusCode::OK {
            return body;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("profile never appeared");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_are_shown_only_to_self_admin_and_treating_doctors() {
    for backend in backends() {
        let env = TestEnv::new(backend);
        let issuer = TestIssuer::new();
        let ctx = env.context("patient", &issuer).await;
        let bus = ctx.bus.clone();
        let handle = patient::start(ctx.clone()).await.unwrap();
        let app = handle.router;
        let (a, b, doctor, admin) = (101, 102, 900, 1);
        let ta = issuer.token(a, Role::Patient);
        let tb = issuer.token(b, Role::Patient);
        let td = issuer.token(doctor, Role::Doctor);
        let tadmin = issuer.token(admin, Role::Admin);

        // The same registration delivered twice yields one profile.
        let reg = registered(a, &ctx, "AB123456");
        bus.publish(&reg).await.unwrap();
        bus.publish(&reg).await.unwrap();
        bus.publish(&registered(b, &ctx, "CD654321")).await.unwrap();
        let pa = wait_profile(&app, &ta).await;
        wait_profile(&app, &tb).await;
        assert_eq!(pa["cin"], "AB123456");
        let id_a = pa["id"].as_i64().unwrap();
        let (_, list) = call(&app, "GET", "/api/v1/patients", &tadmin, None).await;
        assert_eq!(list["total"], 2, "{backend:?}: {list}");

        // Strangers get 404; the doctor too, until an appointment exists.
        let path = format!("/api/v1/patients/{id_a}");
        assert_eq!(call(&app, "GET", &path, &tb, None).await.0, StatusCode::NOT_FOUND);
        assert_eq!(call(&app, "GET", &path, &td, None).await.0, StatusCode::NOT_FOUND);
        assert_eq!(
            call(&app, "GET", "/api/v1/patients/999999", &tadmin, None).await.0,
            StatusCode::NOT_FOUND
        );
        let (_, mine) = call(&app, "GET", "/api/v1/patients", &td, None).await;
        assert_eq!(mine["total"], 0);

        let booked = catalog::AppointmentChanged {
            appointment_id: 1,
            patient_id: id_a,
            patient_user_id: a,
            doctor_id: 5,
            doctor_user_id: doctor,
            status: "pending".into(),
            start_at: Utc::now(),
            end_at: Utc::now(),
            travel_time_minutes: None,
        };
        bus.publish(&event(catalog::APPOINTMENT_BOOKED, serde_json::to_value(&booked).unwrap()))
            .await
            .unwrap();
        let mut seen = false;
        for _ in 0..200 {
            if call(&app, "GET", &path, &td, None).await.0 == StatusCode::OK {
                seen = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        assert!(seen, "{backend:?}: the treating doctor cannot see the record");
        let (_, mine) = call(&app, "GET", "/api/v1/patients", &td, None).await;
        assert_eq!(mine["total"], 1, "a doctor lists only their patients");

        // The doctor writes history; an admin may read but not write it.
        let hist = format!("{path}/medical-history");
        let entry = json!({"kind": "allergy", "description": "Penicillin"});
        assert_eq!(call(&app, "POST", &hist, &td, Some(entry.clone())).await.0, StatusCode::CREATED);
        assert_eq!(call(&app, "POST", &hist, &tadmin, Some(entry.clone())).await.0, StatusCode::FORBIDDEN);
        assert_eq!(call(&app, "POST", &hist, &tb, Some(entry)).await.0, StatusCode::NOT_FOUND);
        let bad = json!({"kind": "rumour", "description": ""});
        let (status, body) = call(&app, "POST", &hist, &ta, Some(bad)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["errors"]["kind"].is_array() && body["errors"]["description"].is_array(), "{body}");

        // Validation of preferences; roles on own-record routes.
        let prefs = json!({"language": "fr", "timezone": "Mars/Olympus"});
        let (status, body) = call(&app, "PUT", "/api/v1/patients/me/preferences", &ta, Some(prefs)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(call(&app, "GET", "/api/v1/patients/me", &td, None).await.0, StatusCode::FORBIDDEN);

        // Every access is in the log, with its actor.
        let (_, log) = call(&app, "GET", "/api/v1/patients/me/access-log?per_page=100", &ta, None).await;
        let actors: Vec<&str> =
            log["data"].as_array().unwrap().iter().map(|e| e["actor_role"].as_str().unwrap()).collect();
        assert!(
            actors.contains(&"doctor") && actors.contains(&"admin") && actors.contains(&"patient"),
            "{log}"
        );

        // Account deletion removes the record.
        let deleted = catalog::UserDeleted { user_id: a, role: Role::Patient };
        bus.publish(&event(catalog::USER_DELETED, serde_json::to_value(&deleted).unwrap())).await.unwrap();
        let mut gone = false;
        for _ in 0..200 {
            if call(&app, "GET", &path, &tadmin, None).await.0 == StatusCode::NOT_FOUND {
                gone = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        assert!(gone, "{backend:?}: record survived account deletion");
        ctx.shutdown.cancel();
        env.cleanup().await;
    }
}
