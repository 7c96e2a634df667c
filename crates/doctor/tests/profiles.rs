//! The doctor service on its own (router in process, real databases and
//! bus): specialties, profiles from user events, the public directory,
//! a doctor's own profile and credentials, and what lands in the outbox.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use axum::{
    Router,
    body::Body,
    http::{Request, StatusCode},
};
use http_body_util::BodyExt;
use kit::{
    events::{Bus, Event, catalog},
    identity::Role,
    service::ServiceContext,
    testing::{Backend, TestEnv, TestIssuer, backends},
};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use tower::ServiceExt;

async fn call(
    app: &Router,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = Request::builder().method(method).uri(path);
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    if body.is_some() {
        req = req.header("content-type", "application/json");
    }
    let req = req.body(body.map(|b| Body::from(b.to_string())).unwrap_or_default()).unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

/// POSTs to an `/internal/` path as `service`, with its service credential.
async fn internal_post(
    app: &Router,
    ctx: &ServiceContext,
    service: &str,
    path: &str,
    body: Value,
) -> (StatusCode, Value) {
    let req = Request::post(path)
        .header(kit::internal::HEADER, kit::internal::credential(&ctx.keyring, service))
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

fn event(kind: &str, data: impl serde::Serialize) -> Event {
    Event::new("test", kind, None, serde_json::to_value(data).unwrap())
}

fn doctor_registered(user_id: i64, name: &str, specialty_id: i64, city: &str) -> Event {
    event(
        catalog::USER_REGISTERED,
        catalog::UserRegistered {
            user_id,
            name: name.into(),
            email: format!("d{user_id}@example.com"),
            role: Role::Doctor,
            gender: "female".into(),
            phone: "0612345678".into(),
            cin_sealed: None,
            birth_date: chrono::NaiveDate::from_ymd_opt(1980, 5, 17),
            address: Some(catalog::Address { street: "1 Rue Tazi".into(), city: city.into() }),
            doctor: Some(catalog::DoctorProfileSeed { degree: "MD".into(), specialty_id, timezone: None }),
        },
    )
}

/// Polls `path` until it answers `want` (events arrive asynchronously).
async fn wait_for(app: &Router, path: &str, token: Option<&str>, want: StatusCode) -> Value {
    for _ in 0..300 {
        let (status, body) = call(app, "GET", path, token, None).await;
        if status == want {
            return body;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("{path} never answered {want}");
}

/// Kinds of the events in the service's outbox, oldest first.
async fn outbox(ctx: &ServiceContext) -> Vec<(String, Value)> {
    let backend = ctx.db.get_database_backend();
    let rows = ctx
        .db
        .query_all_raw(Statement::from_string(backend, "SELECT kind, payload FROM kit_outbox ORDER BY id"))
        .await
        .unwrap();
    rows.into_iter()
        .map(|r| {
            let kind: String = r.try_get_by_index(0).unwrap();
            let payload: String = r.try_get_by_index(1).unwrap();
            (kind, serde_json::from_str::<Value>(&payload).unwrap()["data"].clone())
        })
        .collect()
}

struct Service {
    env: TestEnv,
    ctx: ServiceContext,
    app: Router,
    bus: std::sync::Arc<dyn Bus>,
    issuer: std::sync::Arc<TestIssuer>,
}

async fn start(backend: Backend) -> Service {
    let env = TestEnv::new(backend);
    let issuer = TestIssuer::new();
    let ctx = env.context("doctor", &issuer).await;
    let expected = if backend == Backend::MySql { "mysql" } else { "sqlite" };
    assert_eq!(kit::db::backend_name(&ctx.db), expected);
    let bus = ctx.bus.clone();
    let app = doctor::start(ctx.clone()).await.unwrap().router;
    Service { env, ctx, app, bus, issuer }
}

impl Service {
    async fn stop(self) {
        self.ctx.shutdown.cancel();
        self.env.cleanup().await;
    }

    /// Registers a doctor account through the bus and waits for the profile.
    async fn register(&self, user_id: i64, name: &str, specialty_id: i64, city: &str) -> Value {
        self.bus.publish(&doctor_registered(user_id, name, specialty_id, city)).await.unwrap();
        let token = self.issuer.token(user_id, Role::Doctor);
        wait_for(&self.app, "/api/v1/doctors/me", Some(&token), StatusCode::OK).await
    }

    /// Sets a rating directly (quicker than summary events, for listing tests).
    async fn rate(&self, doctor_id: i64, avg: f64, count: i64) {
        let backend = self.ctx.db.get_database_backend();
        let sql =
            format!("UPDATE doctors SET avg_rating = {avg}, rating_count = {count} WHERE id = {doctor_id}");
        self.ctx.db.execute_raw(Statement::from_string(backend, sql)).await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn specialties_are_public_to_read_and_admin_to_change() {
    for backend in backends() {
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profiles_follow_user_events_and_are_announced() {
    for backend in backends() {
        let s = start(backend).await;
        let app = &s.app;
        doctor::seed_demo(&s.ctx.db).await.unwrap();
        let admin = s.issuer.token(1, Role::Admin);
        let token = s.issuer.token(700, Role::Doctor);

        // Delivered twice (a redelivery, then a replay with a new id): one profile.
        let reg = doctor_registered(700, "Dr. Omar Idrissi", 2, "Casablanca");
        s.bus.publish(&reg).await.unwrap();
        s.bus.publish(&reg).await.unwrap();
        let me = wait_for(app, "/api/v1/doctors/me", Some(&token), StatusCode::OK).await;
        s.bus.publish(&doctor_registered(700, "Dr. Omar Idrissi", 2, "Casablanca")).await.unwrap();
        assert_eq!(me["name"], "Dr. Omar Idrissi");
        assert_eq!(me["specialty"], json!({"id": 2, "name": "Cardiology"}));
        assert_eq!(me["city"], "Casablanca");
        assert_eq!(me["timezone"], "Africa/Casablanca");
        assert_eq!(me["status"], "active");
        assert_eq!(me["languages"], json!([]));
        let id = me["id"].as_i64().unwrap();

        // A patient's registration makes no profile; an unknown specialty still does.
        let mut patient = doctor_registered(701, "Salma", 2, "Rabat");
        patient.data["role"] = json!("patient");
        s.bus.publish(&patient).await.unwrap();
        let odd = s.register(702, "Dr. New Field", 4242, "Fès").await;
        assert_eq!(odd["specialty"], json!({"id": 4242, "name": ""}));

        let (_, page) = call(app, "GET", "/api/v1/doctors", None, None).await;
        assert_eq!(page["total"], 2, "{backend:?}: {page}");

        // The creation is in the outbox, with the whole public picture.
        let events = outbox(&s.ctx).await;
        let changed = events
            .iter()
            .find(|(k, d)| k == catalog::DOCTOR_CHANGED && d["doctor_id"] == id)
            .expect("doctor.changed for the new profile");
        assert_eq!(changed.1["user_id"], 700);
        assert_eq!(changed.1["specialty_id"], 2);
        assert_eq!(changed.1["timezone"], "Africa/Casablanca");

        // Renamed and disabled account: name follows, profile leaves the directory.
        let upd = catalog::UserUpdated {
            user_id: 700,
            name: "Dr. Omar El Idrissi".into(),
            email: "d700@example.com".into(),
            gender: "male".into(),
            phone: "0612345678".into(),
            disabled: true,
        };
        s.bus.publish(&event(catalog::USER_UPDATED, &upd)).await.unwrap();
        let path = format!("/api/v1/doctors/{id}");
        wait_for(app, &path, None, StatusCode::NOT_FOUND).await;
        let (status, seen) = call(app, "GET", &path, Some(&admin), None).await;
        assert_eq!(status, StatusCode::OK, "admins still see inactive profiles");
        assert_eq!(seen["name"], "Dr. Omar El Idrissi");
        assert_eq!(seen["status"], "inactive");
        assert_eq!(
            call(app, "GET", &path, Some(&token), None).await.0,
            StatusCode::OK,
            "and so does its doctor"
        );
        let (_, page) = call(app, "GET", "/api/v1/doctors", None, None).await;
        assert_eq!(page["total"], 1);
        let inactive = outbox(&s.ctx)
            .await
            .into_iter()
            .any(|(k, d)| k == catalog::DOCTOR_CHANGED && d["doctor_id"] == id && d["status"] == "inactive");
        assert!(inactive, "{backend:?}: the status change was not announced");

        // Account deleted: profile gone, announced.
        let del = catalog::UserDeleted { user_id: 700, role: Role::Doctor };
        s.bus.publish(&event(catalog::USER_DELETED, &del)).await.unwrap();
        wait_for(app, "/api/v1/doctors/me", Some(&token), StatusCode::NOT_FOUND).await;
        assert_eq!(call(app, "GET", &path, Some(&admin), None).await.0, StatusCode::NOT_FOUND);
        let gone = outbox(&s.ctx)
            .await
            .into_iter()
            .any(|(k, d)| k == catalog::DOCTOR_DELETED && d["doctor_id"] == id);
        assert!(gone, "{backend:?}: doctor.deleted missing");
        s.stop().await;
    }
}

fn summary(doctor_id: i64, average: f64, count: i64, version: i64) -> Event {
    event(
        catalog::RATING_SUMMARY_CHANGED,
        catalog::RatingSummaryChanged { doctor_id, average, count, version },
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rating_summary_that_arrives_late_does_not_undo_a_newer_one() {
    for backend in backends() {
        let s = start(backend).await;
        doctor::seed_demo(&s.ctx.db).await.unwrap();
        let a = s.register(851, "Dr. Late", 2, "Rabat").await["id"].as_i64().unwrap();
        let b = s.register(852, "Dr. Marker", 2, "Rabat").await["id"].as_i64().unwrap();
        for e in [summary(a, 4.0, 2, 2), summary(a, 5.0, 1, 1), summary(b, 3.0, 1, 1)] {
            s.bus.publish(&e).await.unwrap();
        }
        // Events are handled in order: once b's shows, a's late one was seen.
        for _ in 0..300 {
            if call(&s.app, "GET", &format!("/api/v1/doctors/{b}"), None, None).await.1["rating_count"] == 1 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        let (_, shown) = call(&s.app, "GET", &format!("/api/v1/doctors/{a}"), None, None).await;
        assert_eq!(
            (shown["avg_rating"].as_f64(), shown["rating_count"].as_i64()),
            (Some(4.0), Some(2)),
            "{backend:?}"
        );
        s.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_directory_filters_sorts_and_pages() {
    for backend in backends() {
        let s = start(backend).await;
        let app = &s.app;
        doctor::seed_demo(&s.ctx.db).await.unwrap();
        let a = s.register(801, "Dr. Amina Benali", 2, "Rabat").await["id"].as_i64().unwrap();
        let b = s.register(802, "Dr. Karim Chraibi", 2, "Casablanca").await["id"].as_i64().unwrap();
        let c = s.register(803, "Dr. Zineb Alaoui", 3, "Casablanca").await["id"].as_i64().unwrap();
        let d = s.register(804, "Dr. Hamza O'Brien", 3, "Marrakech").await["id"].as_i64().unwrap();
        s.rate(a, 4.5, 10).await;
        s.rate(b, 3.0, 2).await;
        s.rate(c, 4.9, 30).await;

        let ids = |page: &Value| -> Vec<i64> {
            page["data"].as_array().unwrap().iter().map(|x| x["id"].as_i64().unwrap()).collect()
        };
        let get = |q: &str| {
            let path = format!("/api/v1/doctors{q}");
            async move { call(app, "GET", &path, None, None).await }
        };

        // Default: best rated first, ties by id.
        let (status, page) = get("").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(ids(&page), vec![c, a, b, d], "{backend:?}: {page}");
        let first = &page["data"][0];
        assert_eq!(first["specialty"], json!({"id": 3, "name": "Dermatology"}));
        assert_eq!(first["avg_rating"], 4.9);
        assert_eq!(first["rating_count"], 30);
        assert!(first.get("bio").is_none(), "the summary is not the detail");

        assert_eq!(ids(&get("?sort=name").await.1), vec![a, d, b, c]);
        assert_eq!(ids(&get("?specialty_id=2").await.1), vec![a, b]);
        assert_eq!(ids(&get("?city=casa").await.1), vec![c, b]);
        assert_eq!(ids(&get("?name=ZINEB").await.1), vec![c]);
        assert_eq!(ids(&get("?name=o%27brien").await.1), vec![d], "quotes are data");
        assert_eq!(ids(&get("?name=%25").await.1), Vec::<i64>::new(), "% matches literally");
        assert_eq!(ids(&get("?min_rating=4.5").await.1), vec![c, a]);
        assert_eq!(ids(&get("?specialty_id=3&city=casa&min_rating=1").await.1), vec![c]);

        // Pages.
        let (_, p2) = get("?per_page=3&page=2").await;
        assert_eq!(
            (p2["page"].as_u64(), p2["per_page"].as_u64(), p2["total"].as_u64()),
            (Some(2), Some(3), Some(4))
        );
        assert_eq!(ids(&p2), vec![d]);

        // Bad values: 422 naming the parameter.
        for (q, field) in [("?sort=price", "sort"), ("?min_rating=7", "min_rating")] {
            let (status, body) = get(q).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{q}");
            assert!(body["errors"][field].is_array(), "{body}");
        }

        // The detail adds bio, languages, status, timezone; unknown ids are 404.
        let (status, detail) = get(&format!("/{a}")).await;
        assert_eq!(status, StatusCode::OK);
        for key in ["bio", "languages", "status", "timezone", "specialty", "avg_rating"] {
            assert!(detail.get(key).is_some(), "{key} missing: {detail}");
        }
        assert_eq!(get("/999999").await.0, StatusCode::NOT_FOUND);
        s.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctors_edit_their_own_profile_and_credentials() {
    for backend in backends() {
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
        assert_eq!(kind, catalog::DOCTOR_CHANGED);
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
        assert_eq!((kind.as_str(), data["doctor_id"].as_i64()), (catalog::DOCTOR_DELETED, Some(id)));
        s.stop().await;
    }
}

#[test]
fn the_openapi_document_lists_every_route() {
    let doc = doctor::openapi();
    let paths: Vec<&String> = doc.paths.paths.keys().collect();
    for p in [
        "/api/v1/specialties",
        "/api/v1/specialties/{id}",
        "/api/v1/doctors",
        "/api/v1/doctors/{id}",
        "/api/v1/doctors/me",
        "/api/v1/doctors/me/credentials",
        "/api/v1/doctors/me/credentials/{cid}",
    ] {
        assert!(doc.paths.paths.contains_key(p), "{p} missing from {paths:?}");
    }
}

/// Submits an application through the public form (multipart).
async fn submit(app: &Router, name: &str, email: &str, file: &str, cv: &[u8]) -> (StatusCode, Value) {
    let boundary = "xQuickCareBoundary";
    let mut body = Vec::new();
    for (field, value) in [("name", name), ("email", email), ("details", "Cardiologist in Rabat")] {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"cv\"; filename=\"{file}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(cv);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let req = Request::builder()
        .method("POST")
        .uri("/api/v1/doctor-applications")
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(Body::from(body))
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice::<Value>(&bytes).unwrap_or(Value::Null))
}

/// Submits an application with a PDF CV.
async fn apply(app: &Router, name: &str, email: &str) -> i64 {
    let (status, body) = submit(app, name, email, "cv.pdf", b"%PDF-1.4\n%curriculum").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_i64().unwrap()
}

/// A ZIP archive of `entries`, deflated, as Word writes a DOCX.
fn docx(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for (name, data) in entries {
        out.start_file(*name, options).unwrap();
        out.write_all(data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cv_archives_are_inspected_and_files_served_as_attachments() {
    for backend in backends() {
        let s = start(backend).await;
        let admin = s.issuer.token(1, Role::Admin);
        let body = b"<w:document><w:body><w:p>Dr Applicant, cardiology</w:p></w:body></w:document>";
        let real = docx(&[("[Content_Types].xml", b"<Types/>"), ("word/document.xml", body)]);
        let (status, created) = submit(&s.app, "Dr Docx", "docx@example.com", "cv.docx", &real).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");

        // 64 MiB of zeros deflate to about 64 KB (1000:1); a real bomb
        // nests or repeats such entries up to the upload limit.
        let bomb = docx(&[("word/document.xml", &vec![0u8; 64 * 1024 * 1024])]);
        assert!(bomb.len() < 2 * 1024 * 1024, "{}", bomb.len());
        let (status, problem) = submit(&s.app, "Dr Bomb", "bomb@example.com", "cv.docx", &bomb).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "zip bomb: {problem}");
        assert!(problem["errors"]["cv"].is_array(), "{problem}");
        let (status, _) = submit(
            &s.app,
            "Dr Sheet",
            "sheet@example.com",
            "cv.docx",
            &docx(&[("xl/workbook.xml", b"<x/>")]),
        )
        .await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "a ZIP that is not a Word document");
        let (status, problem) =
            call(&s.app, "POST", "/api/v1/doctor-applications", None, Some(json!({}))).await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "not a form: {problem}");
        assert!(
            problem["detail"].as_str().unwrap().contains("multipart"),
            "a problem+json answer: {problem}"
        );

        let id = created["id"].as_i64().unwrap();
        let req = Request::get(format!("/api/v1/doctor-applications/{id}/cv"))
            .header("authorization", format!("Bearer {admin}"))
            .body(Body::empty())
            .unwrap();
        let res = s.app.clone().oneshot(req).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let h = res.headers();
        assert_eq!(
            h["content-type"],
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        );
        assert!(h["content-disposition"].to_str().unwrap().starts_with("attachment;"), "{h:?}");
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["cache-control"], "no-store");
        assert_eq!(res.into_body().collect().await.unwrap().to_bytes().as_ref(), real.as_slice());
        s.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn application_steps_are_events_and_the_sealed_token_redeems() {
    for backend in backends() {
        let s = start(backend).await;
        let admin = s.issuer.token(1, Role::Admin);
        let id = apply(&s.app, "Dr Applicant", "Applicant@Example.com").await;
        let other = apply(&s.app, "Dr Other", "other@example.com").await;
        let (status, _) =
            call(&s.app, "POST", &format!("/api/v1/doctor-applications/{id}/approve"), Some(&admin), None)
                .await;
        assert_eq!(status, StatusCode::OK);
        let reason = json!({"reason": "  Licence number missing "});
        let path = format!("/api/v1/doctor-applications/{other}/reject");
        assert_eq!(call(&s.app, "POST", &path, Some(&admin), Some(reason)).await.0, StatusCode::OK);

        let events: Vec<(String, Value)> =
            outbox(&s.ctx).await.into_iter().filter(|(k, _)| k.contains("application")).collect();
        let kinds: Vec<&str> = events.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            kinds,
            [
                catalog::DOCTOR_APPLICATION_SUBMITTED,
                catalog::DOCTOR_APPLICATION_SUBMITTED,
                catalog::DOCTOR_APPLICATION_APPROVED,
                catalog::DOCTOR_APPLICATION_REJECTED
            ],
            "{backend:?}"
        );
        let submitted: catalog::DoctorApplicationSubmitted =
            serde_json::from_value(events[0].1.clone()).unwrap();
        assert_eq!((submitted.application_id, submitted.email.as_str()), (id, "applicant@example.com"));
        let approved: catalog::DoctorApplicationApproved =
            serde_json::from_value(events[2].1.clone()).unwrap();
        let ttl = approved.expires_at - chrono::Utc::now();
        assert!(ttl > chrono::Duration::hours(23) && ttl <= chrono::Duration::hours(24), "{ttl}");
        let token = s.ctx.keyring.open_str(&approved.token_sealed).unwrap();
        assert!(!events[2].1.to_string().contains(&token), "the token is not in the event in clear");
        let rejected: catalog::DoctorApplicationRejected =
            serde_json::from_value(events[3].1.clone()).unwrap();
        assert_eq!(rejected.reason, "Licence number missing");

        // The token the event carries is the one that redeems, once, and
        // only auth may redeem it: the call is internal.
        let redeem = json!({"token": token});
        let public = "/api/v1/doctor-applications/redeem";
        // (405: the path is `/{id}`'s now, which only DELETE answers.)
        let at_public = call(&s.app, "POST", public, None, Some(redeem.clone())).await.0;
        assert_eq!(at_public, StatusCode::METHOD_NOT_ALLOWED);
        let (redeem_path, release_path) =
            (kit::internal::registration::REDEEM, kit::internal::registration::RELEASE);
        let as_service =
            |service: &'static str| internal_post(&s.app, &s.ctx, service, redeem_path, redeem.clone());
        assert_eq!(as_service("patient").await.0, StatusCode::NOT_FOUND, "{backend:?}");
        let (status, body) = as_service("auth").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["application_id"], id);
        assert_eq!(as_service("auth").await.0, StatusCode::GONE);

        // Released with the redeemer's claim (only), it redeems again.
        let release = |claim: &Value| json!({"token": token, "claim": claim});
        let wrong = internal_post(&s.app, &s.ctx, "auth", release_path, release(&json!("not-it"))).await;
        assert_eq!(wrong.0, StatusCode::NOT_FOUND);
        let released = internal_post(&s.app, &s.ctx, "auth", release_path, release(&body["claim"])).await;
        assert_eq!(released.0, StatusCode::NO_CONTENT, "{backend:?}");
        assert_eq!(as_service("auth").await.0, StatusCode::OK, "{backend:?}");
        s.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_approval_racing_a_rejection_never_approves_a_rejected_application() {
    for backend in backends() {
        let s = start(backend).await;
        let admin = s.issuer.token(1, Role::Admin);
        let mut ids = Vec::new();
        for i in 0..10 {
            ids.push(apply(&s.app, &format!("Dr Race {i}"), &format!("race{i}@example.com")).await);
        }
        futures::future::join_all(ids.iter().map(|id| {
            let (app, admin) = (&s.app, &admin);
            async move {
                let approve = format!("/api/v1/doctor-applications/{id}/approve");
                let reject = format!("/api/v1/doctor-applications/{id}/reject");
                let reason = json!({"reason": "race"});
                tokio::join!(
                    call(app, "POST", &approve, Some(admin), None),
                    call(app, "POST", &reject, Some(admin), Some(reason))
                )
            }
        }))
        .await;
        let (_, page) =
            call(&s.app, "GET", "/api/v1/doctor-applications?per_page=100", Some(&admin), None).await;
        let events = outbox(&s.ctx).await;
        for id in ids {
            let status =
                page["data"].as_array().unwrap().iter().find(|a| a["id"] == id).unwrap()["status"].clone();
            let decisions: Vec<&str> = events
                .iter()
                .filter(|(k, d)| d["application_id"] == id && !k.contains("submitted"))
                .map(|(k, _)| if k.contains("approved") { "approved" } else { "rejected" })
                .collect();
            // Approve then reject is allowed; reject then approve is not.
            assert!(
                decisions == ["rejected"] || decisions == ["approved", "rejected"],
                "{backend:?}: application {id} decided {decisions:?}"
            );
            assert_eq!(status, "rejected", "{backend:?}: application {id}");
        }
        s.stop().await;
    }
}
