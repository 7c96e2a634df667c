//! The record access log names the address a request came from, as
//! `kit::client_ip` decided it: the socket peer for an untrusted caller
//! (forwarding headers ignored), the gateway's sealed word for the client,
//! or, with a trusted proxy in front, the hop it recorded.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{net::SocketAddr, time::Duration};

use kit::{
    client_ip::{TrustedProxies, seal},
    events::{Event, catalog},
    identity::Role,
    testing::{TestEnv, TestIssuer, backends},
};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Statement};

fn registered(user_id: i64, ctx: &kit::service::ServiceContext) -> Event {
    let data = catalog::UserRegistered {
        user_id,
        name: "Patient".into(),
        email: format!("p{user_id}@example.com"),
        role: Role::Patient,
        gender: "female".into(),
        phone: "0612345678".into(),
        cin_sealed: Some(ctx.keyring.seal_str("AB123456")),
        birth_date: chrono::NaiveDate::from_ymd_opt(1990, 1, 1),
        address: Some(catalog::Address { street: "1 Rue Tazi".into(), city: "Rabat".into() }),
        doctor: None,
    };
    Event::new("test", catalog::USER_REGISTERED, None, serde_json::to_value(data).unwrap())
}

async fn last_address(db: &sea_orm::DatabaseConnection) -> Option<String> {
    let sql = "SELECT client_ip FROM access_log ORDER BY id DESC LIMIT 1";
    let row =
        db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
    row.try_get_by_index(0).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_access_log_records_the_real_client() {
    for backend in backends() {
        let mut env = TestEnv::new(backend);
        // 127.0.0.2 plays a load balancer; 127.0.0.1 is anyone.
        env.settings.trusted_proxies = TrustedProxies::parse("127.0.0.2").unwrap();
        let issuer = TestIssuer::new();
        let ctx = env.context("patient", &issuer).await;
        let handle = patient::start(ctx.clone()).await.unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/api/v1/patients/me", listener.local_addr().unwrap());
        let router = handle.router.clone();
        tokio::spawn(async move {
            axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await.unwrap();
        });
        let token = issuer.token(301, Role::Patient);
        ctx.bus.publish(&registered(301, &ctx)).await.unwrap();
        let anyone = reqwest::Client::new();
        let mut ready = false;
        for _ in 0..200 {
            if anyone.get(&url).bearer_auth(&token).send().await.unwrap().status() == StatusCode::OK {
                ready = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        assert!(ready, "{backend:?}: profile never appeared");

        // An untrusted caller's forwarding headers and a made-up seal are ignored.
        let r = anyone
            .get(&url)
            .bearer_auth(&token)
            .header("x-forwarded-for", "203.0.113.66")
            .header("forwarded", "for=203.0.113.67")
            .header(seal::HEADER, "k1:bm90IGEgc2VhbA==")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(last_address(&ctx.db).await.as_deref(), Some("127.0.0.1"), "{backend:?}");

        // The gateway's sealed word is believed from any peer.
        let sealed = seal::seal(&ctx.keyring, "198.51.100.23".parse().unwrap());
        let r = anyone.get(&url).bearer_auth(&token).header(seal::HEADER, sealed).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(last_address(&ctx.db).await.as_deref(), Some("198.51.100.23"), "{backend:?}");

        // A trusted proxy's record is believed: the right-most hop it added.
        let proxy = reqwest::Client::builder().local_address("127.0.0.2".parse().ok()).build().unwrap();
        let r = proxy
            .get(&url)
            .bearer_auth(&token)
            .header("x-forwarded-for", "10.9.9.9, 192.0.2.44")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(last_address(&ctx.db).await.as_deref(), Some("192.0.2.44"), "{backend:?}");

        // The patient's own view does not show addresses.
        let log: serde_json::Value = anyone
            .get(format!("{url}/access-log"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(log["data"][0].get("client_ip").is_none(), "{log}");
        env.cleanup().await;
    }
}
