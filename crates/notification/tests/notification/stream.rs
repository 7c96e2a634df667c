//! Server-sent events across instances: a client connected to instance A
//! receives notifications whose events either instance handled (on the
//! MySQL backend each instance has its own Redis pub/sub subscriber, so
//! what B handles reaches A only through Redis).

use std::time::Duration;

use futures::StreamExt;
use kit::{
    events::{Event, catalog},
    identity::Role,
    testing::{Backend, TestClient, TestEnv, TestIssuer, eventually},
};
use serde_json::json;

use crate::support::serve;
use kit::ids::UserId;

kit::per_backend! {
    async fn a_stream_on_one_instance_hears_what_the_other_handled(backend: Backend) {
        let env = TestEnv::new(backend);
        let issuer = TestIssuer::new();
        let a_ctx = env.context("notification", &issuer).await;
        let mut b_ctx = env.context("notification", &issuer).await;
        if backend == Backend::MySql {
            // B gets its own subscriber: A hears B only through Redis.
            b_ctx.fanout = kit::fanout::from_settings(&env.settings, b_ctx.shutdown.clone()).unwrap();
        }
        let a = serve(a_ctx.clone()).await;
        let b = serve(b_ctx.clone()).await;
        let registered = catalog::UserRegistered {
            user_id: UserId(700),
            name: "Salma Tazi".into(),
            email: "salma@example.com".into(),
            role: Role::Patient,
            gender: "female".into(),
            phone: "0600000700".into(),
            cin_sealed: None,
            birth_date: None,
            address: None,
            doctor: None,
        };
        let event =
            Event::new("test", catalog::EventType::UserRegistered, None, serde_json::to_value(registered).unwrap());
        a_ctx.bus.publish(&event).await.unwrap();
        let via_b = TestClient::url(&b);
        let user = issuer.token(700, Role::Patient);
        eventually("the welcome, through B", || async {
            let list = via_b.get("/api/v1/notifications").bearer(&user).send().await.body;
            (list["total"] == 1).then_some(())
        })
        .await;

        // The stream on A, token in the query as browsers' EventSource sends
        // it, read as it comes (a plain client: a `TestClient` reads whole answers).
        let http = reqwest::Client::new();
        let res =
            http.get(format!("{a}/api/v1/notifications/stream?access_token={user}")).send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
        let mut body = res.bytes_stream();
        tokio::time::sleep(Duration::from_millis(200)).await;

        // Twenty admin messages, through B's API; their events land on A or B.
        let admin = issuer.token(1, Role::Admin);
        for i in 0..20 {
            let msg = json!({"user_id": 700, "title": format!("Message {i}"), "message": "hello", "channels": ["in_app"]});
            let r = via_b.post("/api/v1/notifications").bearer(&admin).json(&msg).send().await;
            assert_eq!(r.status, 201, "{}", r.body);
        }
        let mut seen = String::new();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while (0..20).any(|i| !seen.contains(&format!("\"Message {i}\""))) {
            let chunk = tokio::time::timeout_at(deadline, body.next()).await.expect("all 20 within 10 s");
            seen.push_str(&String::from_utf8_lossy(&chunk.unwrap().unwrap()));
        }
        assert!(seen.contains("event: notification"), "{seen}");
        let unauthenticated = TestClient::url(&a).get("/api/v1/notifications/stream").send().await;
        assert_eq!(unauthenticated.status, 401);
        a_ctx.shutdown.cancel();
        b_ctx.shutdown.cancel();
        env.cleanup().await;
    }
}
