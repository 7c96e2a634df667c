//! Two patient instances behind the gateway: traffic spreads over both,
//! survives losing one, and returns to it when it is back.

use std::time::Duration;

use kit::testing::eventually_within;

use crate::support::{
    Mode, Options,
    api::{Api, unique_cin, unique_email},
};

/// Requests instance `base` has served on `route`, from its own /metrics.
async fn served(base: &str, route: &str) -> f64 {
    let text = kit::testing::TestClient::url(base).get("/metrics").send().await.text();
    text.lines()
        .filter(|l| l.starts_with("http_requests_total{") && l.contains(&format!("route=\"{route}\"")))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

const ROUTE: &str = "/api/v1/patients/me";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_spread_fail_over_and_rejoin() {
    if !crate::support::modes().contains(&Mode::Distributed) {
        return;
    }
    let mut p =
        crate::support::start(Mode::Distributed, Options { patient_instances: 2, ..Options::default() })
            .await;
    let api = Api::new(&p.url());
    let (_, token, _) = api.register(&unique_email("lb"), &unique_cin()).await;
    api.wait_profile(&token, Duration::from_secs(10)).await;

    let before = [served(&p.patients[0].url(), ROUTE).await, served(&p.patients[1].url(), ROUTE).await];
    for _ in 0..40 {
        assert_eq!(api.get(ROUTE, Some(&token)).await.status, 200);
    }
    let after = [served(&p.patients[0].url(), ROUTE).await, served(&p.patients[1].url(), ROUTE).await];
    assert!(
        after[0] - before[0] >= 10.0 && after[1] - before[1] >= 10.0,
        "not spread: {before:?} → {after:?}"
    );

    // Lose one: idempotent GETs keep succeeding (retried on the other).
    p.patients[1].kill9().await;
    for _ in 0..40 {
        let r = api.get(ROUTE, Some(&token)).await;
        assert_eq!(r.status, 200, "a GET failed after one instance died: {}", r.body);
    }

    // Bring it back on the same port: health checks let it rejoin.
    p.patients[1].start().unwrap();
    p.patients[1].wait_ready().await.unwrap();
    let rejoined = served(&p.patients[1].url(), ROUTE).await;
    eventually_within("the restarted instance to get traffic again", Duration::from_secs(30), || async {
        for _ in 0..10 {
            assert_eq!(api.get(ROUTE, Some(&token)).await.status, 200);
        }
        (served(&p.patients[1].url(), ROUTE).await > rejoined).then_some(())
    })
    .await;
    p.stop().await;
}
