//! `GET /api/v1/patients/stats`: records per month and per gender (from
//! the user directory); admins only, and not mistaken for `/patients/{id}`.

use axum::http::StatusCode;
use kit::{events::catalog, identity::Role};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

use crate::support::TestApp;

kit::per_backend! {
    async fn stats_count_patients_per_month_and_gender(backend: Backend) {
        let app = TestApp::start(backend).await;
        let admin = app.token(1, Role::Admin);
        app.register(301, "AA100001").await;
        app.register(302, "AA100002").await;
        let mut him = app.registration(303, "AA100003");
        him.gender = "male".into();
        app.publish(catalog::EventType::UserRegistered, &him).await;
        app.profile_of(303).await;
        let backend_db = app.ctx.db.get_database_backend();
        for (user_id, created) in
            [(301, "2025-12-31T23:59:00Z"), (302, "2026-02-01T00:00:00Z"), (303, "2026-02-10T12:00:00Z")]
        {
            let at: chrono::DateTime<chrono::Utc> = created.parse().unwrap();
            let sql = "UPDATE patients SET created_at = ? WHERE user_id = ?";
            let values = [at.into(), i64::from(user_id).into()];
            app.ctx.db.execute_raw(Statement::from_sql_and_values(backend_db, sql, values)).await.unwrap();
        }

        let all = app.api.get("/api/v1/patients/stats").bearer(&admin).send().await;
        assert_eq!(all.status, StatusCode::OK, "{}", all.body);
        assert_eq!(
            all.body,
            json!({
                "total": 3,
                "by_gender": {"female": 2, "male": 1, "unknown": 0},
                "by_month": [
                    {"month": "2025-12", "count": 1},
                    {"month": "2026-01", "count": 0},
                    {"month": "2026-02", "count": 2},
                ],
            })
        );
        let ranged =
            app.api.get("/api/v1/patients/stats?from=2026-01-01&to=2026-02-09").bearer(&admin).send().await;
        assert_eq!(
            ranged.body["by_gender"],
            json!({"female": 1, "male": 0, "unknown": 0}),
            "{}",
            ranged.body
        );
        assert_eq!(
            app.api
                .get("/api/v1/patients/stats?from=2026-02-01&to=2026-01-01")
                .bearer(&admin)
                .send()
                .await
                .status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            app.api.get("/api/v1/patients/stats").bearer(&app.token(301, Role::Patient)).send().await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.api.get("/api/v1/patients/stats").bearer(&app.token(9, Role::Doctor)).send().await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(app.api.get("/api/v1/patients/stats").send().await.status, StatusCode::UNAUTHORIZED);
        app.cleanup().await;
    }
}
