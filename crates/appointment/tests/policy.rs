//! The booking rules a client shows before the user acts.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use kit::testing::backends;
use reqwest::StatusCode;
use support::Fixture;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cancellation_cut_off_is_public_and_matches_the_rule() {
    for backend in backends() {
        let f = Fixture::start(backend).await;
        let policy = f.get("/api/v1/appointments/policy", None).await;
        assert_eq!(policy.status, StatusCode::OK, "{backend:?}: {}", policy.body);
        assert_eq!(
            policy.body["cancellation_deadline_minutes"].as_i64(),
            Some(f.ctx.settings.cancellation_deadline_minutes),
            "{backend:?}"
        );
        // The static segment does not shadow appointment ids.
        let admin = f.admin.clone();
        assert_eq!(f.get("/api/v1/appointments/987654", Some(&admin)).await.status, StatusCode::NOT_FOUND);
        f.cleanup().await;
    }
}
