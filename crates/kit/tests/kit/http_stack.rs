//! The standard HTTP stack of every service (`kit::http::finish`), the
//! idempotency keys it carries, and mail over real SMTP.

use axum::{
    Router,
    http::StatusCode,
    routing::{get, post},
};
use kit::{
    identity::{AuthUser, Role},
    json::Json,
    mail::{Mail, MailError, Mailer, SmtpMailer},
    testing::{Backend, Call, SmtpBehavior, SmtpSink, TestClient, TestEnv, TestIssuer},
};
use sea_orm_migration::MigratorTrait;

use crate::support::Migrator;
use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

async fn boom() -> &'static str {
    panic!("handler bug")
}

/// Status, headers and body text of `call`'s answer.
async fn send(call: Call<'_>) -> (StatusCode, axum::http::HeaderMap, String) {
    let reply = call.send().await;
    let text = reply.text();
    (reply.status, reply.headers, text)
}

/// A JSON POST as `token`, with an `Idempotency-Key` when given.
fn post_json<'a>(app: &'a TestClient, path: &str, token: &str, key: Option<&str>, body: &str) -> Call<'a> {
    let call = app.post(path).bearer(token).body("application/json", body.to_owned());
    match key {
        Some(k) => call.header("idempotency-key", k),
        None => call,
    }
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
    let app = TestClient::router(kit::http::finish(api, &ctx));

    let (s, _, body) = send(app.get("/health/live")).await;
    assert_eq!((s, body.as_str()), (StatusCode::OK, r#"{"status":"ok"}"#));
    assert_eq!(send(app.get("/health/ready")).await.0, StatusCode::OK);
    let (s, h, body) = send(app.get("/nope").header("x-request-id", "req-42")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(h["content-type"], "application/problem+json");
    assert_eq!(h["x-request-id"], "req-42", "request ids are echoed");
    assert!(body.contains("\"status\":404"));
    let (s, h, _) = send(app.get("/echo")).await;
    assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED);
    assert!(!h["x-request-id"].is_empty(), "one is made when absent");
    let (s, h, _) = send(app.get("/boom")).await;
    assert_eq!(
        (s, &h["content-type"]),
        (StatusCode::INTERNAL_SERVER_ERROR, &"application/problem+json".parse().unwrap())
    );
    let big = format!("[{}1]", "1,".repeat(40_000));
    let (s, _, _) = send(post_json(&app, "/echo", &issuer.token(1, Role::Patient), None, &big)).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(send(app.get("/me")).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(send(app.get("/me").bearer(&issuer.token(7, Role::Doctor))).await.2, "7");

    let (_, _, metrics) = send(app.get("/metrics")).await;
    assert!(
        metrics.contains("http_requests_total") && metrics.contains("route=\"/health/live\""),
        "{metrics}"
    );
    assert!(!metrics.contains("/nope"), "raw paths never become labels");
}

kit::per_backend! {
    async fn idempotency_keys_replay_the_first_answer_once(backend: Backend) {
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
        let app = TestClient::router(kit::http::finish(api, &ctx));
        let token = issuer.token(1, Role::Patient);

        // Ten identical requests at once: one runs, the rest wait for it and replay its answer.
        let tries = (0..10).map(|_| send(post_json(&app, "/book", &token, Some("k-1"), r#"{"slot":1}"#)));
        let results = futures::future::join_all(tries).await;
        assert_eq!(runs.load(Ordering::SeqCst), 1, "{backend:?}: the handler ran more than once");
        for (s, _, body) in &results {
            assert_eq!(*s, StatusCode::CREATED, "{backend:?}: {body}");
            assert!(body.contains("\"run\":0"), "{body}");
        }
        let replayed = results.iter().filter(|(_, h, _)| h.contains_key("idempotent-replayed")).count();
        assert_eq!(replayed, 9, "{backend:?}: nine duplicates replayed the first answer");
        let (s, h, body) = send(post_json(&app, "/book", &token, Some("k-1"), r#"{"slot":1}"#)).await;
        assert_eq!(s, StatusCode::CREATED);
        assert_eq!(h["idempotent-replayed"], "true");
        assert!(body.contains("\"run\":0"));
        // Same key, other body: refused. Other user, same key: their own request.
        let (s, _, _) = send(post_json(&app, "/book", &token, Some("k-1"), r#"{"slot":2}"#)).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        let other = issuer.token(2, Role::Patient);
        assert_eq!(
            send(post_json(&app, "/book", &other, Some("k-1"), r#"{"slot":1}"#)).await.0,
            StatusCode::CREATED
        );
        assert_eq!(runs.load(Ordering::SeqCst), 2);
        env.cleanup().await;
    }
}

/// A handler that says "try again" (`answers[n]` for its n-th run, then 201).
fn flaky(runs: Arc<AtomicUsize>, answers: Vec<(StatusCode, Option<&'static str>)>) -> Router {
    Router::new().route(
        "/book",
        post(move || {
            let n = runs.fetch_add(1, Ordering::SeqCst);
            let answer = answers.get(n).copied();
            async move {
                match answer {
                    Some((status, retry_after)) => {
                        let mut res = axum::response::IntoResponse::into_response((status, "try again"));
                        if let Some(v) = retry_after {
                            res.headers_mut().insert("retry-after", v.parse().unwrap());
                        }
                        res
                    }
                    None => axum::response::IntoResponse::into_response((
                        StatusCode::CREATED,
                        Json(serde_json::json!({"run": n})),
                    )),
                }
            }
        }),
    )
}

kit::per_backend! {
    async fn try_again_answers_are_never_replayed(backend: Backend) {
        let env = TestEnv::new(backend);
        let issuer = TestIssuer::new();
        let ctx = env.context("idemretry", &issuer).await;
        Migrator::up(&ctx.db, None).await.unwrap();
        let runs = Arc::new(AtomicUsize::new(0));
        let answers = vec![
            (StatusCode::SERVICE_UNAVAILABLE, Some("1")),
            (StatusCode::TOO_MANY_REQUESTS, Some("1")),
            (StatusCode::CONFLICT, Some("1")),
            (StatusCode::INTERNAL_SERVER_ERROR, None),
            (StatusCode::REQUEST_TIMEOUT, None),
        ];
        let tries = answers.len();
        let app = TestClient::router(kit::http::finish(flaky(runs.clone(), answers.clone()), &ctx));
        let token = issuer.token(1, Role::Patient);
        // The client retries with the same key, as it must, and gets through.
        for (status, _) in &answers {
            let (s, h, _) = send(post_json(&app, "/book", &token, Some("k-retry"), "{}")).await;
            assert_eq!(s, *status, "{backend:?}");
            assert!(!h.contains_key("idempotent-replayed"), "{backend:?}: a try-again answer was replayed");
        }
        let (s, _, body) = send(post_json(&app, "/book", &token, Some("k-retry"), "{}")).await;
        assert_eq!(s, StatusCode::CREATED, "{backend:?}: {body}");
        assert!(body.contains(&format!("\"run\":{tries}")), "{body}");
        // That final answer is the one every later repeat gets.
        let (s, h, body) = send(post_json(&app, "/book", &token, Some("k-retry"), "{}")).await;
        assert_eq!((s, &h["idempotent-replayed"]), (StatusCode::CREATED, &"true".parse().unwrap()));
        assert!(body.contains(&format!("\"run\":{tries}")), "{body}");
        assert_eq!(runs.load(Ordering::SeqCst), tries + 1, "{backend:?}");
        env.cleanup().await;
    }
}

kit::per_backend! {
    async fn a_duplicate_of_a_request_that_fails_runs_once_the_first_is_done(backend: Backend) {
        let env = TestEnv::new(backend);
        let issuer = TestIssuer::new();
        let ctx = env.context("idemwait", &issuer).await;
        Migrator::up(&ctx.db, None).await.unwrap();
        let runs = Arc::new(AtomicUsize::new(0));
        let gate = Arc::new(tokio::sync::Notify::new());
        let (counter, opened) = (runs.clone(), gate.clone());
        // The first run waits until the duplicate is surely waiting, then says "try again".
        let api = Router::new().route(
            "/book",
            post(move || {
                let n = counter.fetch_add(1, Ordering::SeqCst);
                let opened = opened.clone();
                async move {
                    if n == 0 {
                        opened.notified().await;
                        let mut p = kit::Problem::service_unavailable("busy");
                        p.retry_after = Some(1);
                        return axum::response::IntoResponse::into_response(p);
                    }
                    axum::response::IntoResponse::into_response((
                        StatusCode::CREATED,
                        Json(serde_json::json!({"run": n})),
                    ))
                }
            }),
        );
        let app = TestClient::router(kit::http::finish(api, &ctx));
        let token = issuer.token(1, Role::Patient);
        let first = tokio::spawn({
            let (app, token) = (app.clone(), token.clone());
            async move { send(post_json(&app, "/book", &token, Some("k-wait"), "{}")).await }
        });
        while runs.load(Ordering::SeqCst) == 0 {
            tokio::task::yield_now().await;
        }
        let second = tokio::spawn({
            let (app, token) = (app.clone(), token.clone());
            async move { send(post_json(&app, "/book", &token, Some("k-wait"), "{}")).await }
        });
        // Whatever the timing, the duplicate can only run after the first released the key.
        gate.notify_one();
        let (first, second) = (first.await.unwrap(), second.await.unwrap());
        assert_eq!(first.0, StatusCode::SERVICE_UNAVAILABLE, "{backend:?}");
        assert_eq!(second.0, StatusCode::CREATED, "{backend:?}: {}", second.2);
        assert!(second.2.contains("\"run\":1"), "{}", second.2);
        assert_eq!(runs.load(Ordering::SeqCst), 2, "{backend:?}");
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
