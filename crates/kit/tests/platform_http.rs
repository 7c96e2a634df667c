//! The standard HTTP stack of every service (`kit::http::finish`), the
//! idempotency keys it carries, and mail over real SMTP.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::{
    Router,
    body::Body,
    http::{Request, StatusCode},
    routing::{get, post},
};
use http_body_util::BodyExt;
use kit::{
    identity::{AuthUser, Role},
    json::Json,
    mail::{Mail, MailError, Mailer, SmtpMailer},
    testing::{Backend, SmtpBehavior, SmtpSink, TestEnv, TestIssuer, backends},
};
use sea_orm_migration::MigratorTrait;
use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};
use tower::ServiceExt;

struct Migrator;
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn sea_orm_migration::MigrationTrait>> {
        kit::db::kit_migrations()
    }
}

async fn boom() -> &'static str {
    panic!("handler bug")
}

async fn send(app: &Router, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, String) {
    let res = app.clone().oneshot(req).await.unwrap();
    let (parts, body) = res.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes();
    (parts.status, parts.headers, String::from_utf8_lossy(&bytes).into_owned())
}

fn post_json(path: &str, token: &str, key: Option<&str>, body: &str) -> Request<Body> {
    let mut r = Request::post(path)
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {token}"));
    if let Some(k) = key {
        r = r.header("idempotency-key", k);
    }
    r.body(Body::from(body.to_owned())).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_stack_answers_health_metrics_problems_and_request_ids() {
    let env = TestEnv::new(Backend::Sqlite);
    let issuer = TestIssuer::new();
    let ctx = env.context("stack", &issuer).await;
    Migrator::up(&ctx.db, None).await.unwrap();
    let api = Router::new()
        .route("/boom", get(boom))
        .route("/echo", post(|Json(v): Json<serde_json::Value>| async move { Json(v) }))
        .route("/me", get(|u: AuthUser| async move { u.user_id.to_string() }));
    let app = kit::http::finish(api, &ctx);

    let (s, _, body) = send(&app, Request::get("/health/live").body(Body::empty()).unwrap()).await;
    assert_eq!((s, body.as_str()), (StatusCode::OK, r#"{"status":"ok"}"#));
    assert_eq!(
        send(&app, Request::get("/health/ready").body(Body::empty()).unwrap()).await.0,
        StatusCode::OK
    );
    let (s, h, body) =
        send(&app, Request::get("/nope").header("x-request-id", "req-42").body(Body::empty()).unwrap()).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(h["content-type"], "application/problem+json");
    assert_eq!(h["x-request-id"], "req-42", "request ids are echoed");
    assert!(body.contains("\"status\":404"));
    let (s, h, _) = send(&app, Request::get("/echo").body(Body::empty()).unwrap()).await;
    assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED);
    assert!(!h["x-request-id"].is_empty(), "one is made when absent");
    let (s, h, _) = send(&app, Request::get("/boom").body(Body::empty()).unwrap()).await;
    assert_eq!(
        (s, &h["content-type"]),
        (StatusCode::INTERNAL_SERVER_ERROR, &"application/problem+json".parse().unwrap())
    );
    let big = format!("[{}1]", "1,".repeat(40_000));
    let (s, _, _) = send(&app, post_json("/echo", &issuer.token(1, Role::Patient), None, &big)).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        send(&app, Request::get("/me").body(Body::empty()).unwrap()).await.0,
        StatusCode::UNAUTHORIZED
    );
    let me = Request::get("/me").header("authorization", format!("Bearer {}", issuer.token(7, Role::Doctor)));
    assert_eq!(send(&app, me.body(Body::empty()).unwrap()).await.2, "7");

    let (_, _, metrics) = send(&app, Request::get("/metrics").body(Body::empty()).unwrap()).await;
    assert!(
        metrics.contains("http_requests_total") && metrics.contains("route=\"/health/live\""),
        "{metrics}"
    );
    assert!(!metrics.contains("/nope"), "raw paths never become labels");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idempotency_keys_replay_the_first_answer_once() {
    for backend in backends() {
        let env = TestEnv::new(backend);
        let issuer = TestIssuer::new();
        let ctx = env.context("idem", &issuer).await;
        Migrator::up(&ctx.db, None).await.unwrap();
        let runs = Arc::new(AtomicUsize::new(0));
        let counter = runs.clone();
        let api = Router::new().route(
            "/book",
            post(move |Json(v): Json<serde_json::Value>| {
                let n = counter.fetch_add(1, Ordering::SeqCst);
                async move {
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    (StatusCode::CREATED, Json(serde_json::json!({"run": n, "got": v})))
                }
            }),
        );
        let app = kit::http::finish(api, &ctx);
        let token = issuer.token(1, Role::Patient);

        // Ten identical requests at once: one runs, the rest replay or wait (409).
        let tries = (0..10).map(|_| send(&app, post_json("/book", &token, Some("k-1"), r#"{"slot":1}"#)));
        let results = futures::future::join_all(tries).await;
        assert_eq!(runs.load(Ordering::SeqCst), 1, "{backend:?}: the handler ran more than once");
        for (s, _, _) in &results {
            assert!(*s == StatusCode::CREATED || *s == StatusCode::CONFLICT, "{s}");
        }
        let (s, h, body) = send(&app, post_json("/book", &token, Some("k-1"), r#"{"slot":1}"#)).await;
        assert_eq!(s, StatusCode::CREATED);
        assert_eq!(h["idempotent-replayed"], "true");
        assert!(body.contains("\"run\":0"));
        // Same key, other body: refused. Other user, same key: their own request.
        let (s, _, _) = send(&app, post_json("/book", &token, Some("k-1"), r#"{"slot":2}"#)).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        let other = issuer.token(2, Role::Patient);
        assert_eq!(
            send(&app, post_json("/book", &other, Some("k-1"), r#"{"slot":1}"#)).await.0,
            StatusCode::CREATED
        );
        assert_eq!(runs.load(Ordering::SeqCst), 2);
        env.cleanup().await;
    }
}

fn mail() -> Mail {
    Mail {
        to: "Amina <amina@example.com>".into(),
        subject: "Votre rendez-vous".into(),
        text: "Bonjour".into(),
        html: Some("<p>Bonjour</p>".into()),
        attachments: vec![],
        message_id: None,
    }
}

#[tokio::test]
async fn smtp_delivers_and_tells_transient_from_permanent_failures() {
    let sink = SmtpSink::start().await;
    let mailer = SmtpMailer::new(&sink.url(), "QuickCare <no-reply@quickcare.local>").unwrap();
    mailer.send(&mail()).await.unwrap();
    let got = sink.wait_for(1, std::time::Duration::from_secs(5)).await;
    assert!(got[0].to[0].contains("amina@example.com"));
    assert!(got[0].data.contains("Votre rendez-vous") && got[0].data.contains("text/html"));

    let busy = SmtpSink::start_with(SmtpBehavior { fail_first: 1, code: 451 }).await;
    let mailer = SmtpMailer::new(&busy.url(), "no-reply@quickcare.local").unwrap();
    assert!(matches!(mailer.send(&mail()).await, Err(MailError::Transient(_))));
    mailer.send(&mail()).await.unwrap();
    let refusing = SmtpSink::start_with(SmtpBehavior { fail_first: 1, code: 550 }).await;
    let mailer = SmtpMailer::new(&refusing.url(), "no-reply@quickcare.local").unwrap();
    assert!(matches!(mailer.send(&mail()).await, Err(MailError::Permanent(_))));
}
