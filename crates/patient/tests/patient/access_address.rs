//! The record access log names the address a request came from, as
//! `kit::client_ip` decided it: the socket peer for an untrusted caller
//! (forwarding headers ignored), the gateway's sealed word for the client,
//! or, with a trusted proxy in front, the hop it recorded.

use kit::{
    client_ip::{TrustedProxies, seal},
    identity::Role,
    testing::{TestClient, TestEnv},
};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Statement};

use crate::support::TestApp;

const PATIENT: i64 = 301;

const ME: &str = "/api/v1/patients/me";

/// A patient service behind a "load balancer" at 127.0.0.2 (127.0.0.1 is
/// anyone), patient 301 registered; its base URL and the patient's token.
async fn served(backend: kit::testing::Backend) -> (TestApp, String, String) {
    let mut env = TestEnv::new(backend);
    env.settings.trusted_proxies = TrustedProxies::parse("127.0.0.2").unwrap();
    let app = TestApp::start_in(env).await;
    app.register(PATIENT, "AB123456").await;
    let base = app.serve().await;
    let token = app.token(PATIENT, Role::Patient);
    (app, base, token)
}

async fn last_address(app: &TestApp) -> Option<String> {
    let db = &app.ctx.db;
    let sql = "SELECT client_ip FROM access_log ORDER BY id DESC LIMIT 1";
    let row =
        db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
    row.try_get_by_index(0).unwrap()
}

kit::per_backend! {
    async fn an_untrusted_callers_forwarding_headers_and_made_up_seal_are_ignored(backend: Backend) {
        let (app, base, token) = served(backend).await;
        let r = TestClient::url(&base)
            .get(ME)
            .bearer(&token)
            .header("x-forwarded-for", "203.0.113.66")
            .header("forwarded", "for=203.0.113.67")
            .header(seal::HEADER, "k1:bm90IGEgc2VhbA==")
            .send()
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(last_address(&app).await.as_deref(), Some("127.0.0.1"), "{backend:?}");
        app.cleanup().await;
    }

    async fn the_gateways_sealed_word_is_believed_from_any_peer(backend: Backend) {
        let (app, base, token) = served(backend).await;
        let sealed = seal::seal(&app.ctx.keyring, "198.51.100.23".parse().unwrap());
        let r = TestClient::url(&base).get(ME).bearer(&token).header(seal::HEADER, &sealed).send().await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(last_address(&app).await.as_deref(), Some("198.51.100.23"), "{backend:?}");
        app.cleanup().await;
    }

    async fn a_trusted_proxys_right_most_hop_is_believed(backend: Backend) {
        let (app, base, token) = served(backend).await;
        let proxy = TestClient::url_from(&base, "127.0.0.2".parse().unwrap());
        let r = proxy.get(ME).bearer(&token).header("x-forwarded-for", "10.9.9.9, 192.0.2.44").send().await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(last_address(&app).await.as_deref(), Some("192.0.2.44"), "{backend:?}");
        app.cleanup().await;
    }

    async fn the_patients_own_view_does_not_show_addresses(backend: Backend) {
        let (app, base, token) = served(backend).await;
        let anyone = TestClient::url(&base);
        assert_eq!(anyone.get(ME).bearer(&token).send().await.status, StatusCode::OK);
        assert_eq!(last_address(&app).await.as_deref(), Some("127.0.0.1"), "an entry with an address");
        let log = anyone.get(&format!("{ME}/access-log")).bearer(&token).send().await.body;
        assert!(log["data"][0].get("client_ip").is_none(), "{log}");
        app.cleanup().await;
    }
}
