//! The booking rules a client shows before the user acts.

use reqwest::StatusCode;

use crate::support::TestApp;

kit::per_backend! {
    async fn the_cancellation_cut_off_is_public_and_matches_the_rule(backend: Backend) {
        let app = TestApp::start(backend).await;
        let policy = app.api.get("/api/v1/appointments/policy").send().await;
        assert_eq!(policy.status, StatusCode::OK, "{}", policy.body);
        assert_eq!(
            policy.body["cancellation_deadline_minutes"].as_i64(),
            Some(app.ctx.settings.cancellation_deadline_minutes),
        );
        // The static segment does not shadow appointment ids.
        assert_eq!(app.appointment(&app.admin, 987654).await.status, StatusCode::NOT_FOUND);
        app.cleanup().await;
    }
}
