//! `GET /api/v1/admin/users/stats` and the `disabled` flag of the admin
//! list: counts equal to the accounts made; admins only.

use axum::http::StatusCode;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

use crate::accounts::{USERS, admin, doctor};
use crate::support::{Session, TestApp};

const STATS: &str = "/api/v1/admin/users/stats";

kit::per_backend! {
    async fn stats_count_accounts_per_role_month_and_disabled(backend: Backend) {
        let app = TestApp::start(backend).await;
        let root = admin(&app).await;
        let patient = app.register("one@example.com").await.access_token();
        app.register("two@example.com").await;
        assert_eq!(
            app.api.post(USERS).bearer(&root).json(&doctor()).send().await.status,
            StatusCode::CREATED
        );
        let found = app.api.get(&format!("{USERS}?q=two@example.com")).bearer(&root).send().await;
        assert_eq!(found.body["data"][0]["disabled"], false, "{}", found.body);
        let two = found.body["data"][0]["id"].as_i64().unwrap();
        let off = app.api.post(&format!("{USERS}/{two}/disable")).bearer(&root).json(&json!({})).send().await;
        assert_eq!(off.status, StatusCode::NO_CONTENT);
        let found = app.api.get(&format!("{USERS}?q=two@example.com")).bearer(&root).send().await;
        assert_eq!(found.body["data"][0]["disabled"], true);
        assert_eq!(found.body["data"][0]["email"], "two@example.com", "the row keeps its fields");

        let at: chrono::DateTime<chrono::Utc> = "2025-10-15T09:00:00Z".parse().unwrap();
        let backend_db = app.ctx.db.get_database_backend();
        let sql = "UPDATE users SET created_at = ? WHERE email = ?";
        let values = [at.into(), "one@example.com".into()];
        app.ctx.db.execute_raw(Statement::from_sql_and_values(backend_db, sql, values)).await.unwrap();

        let all = app.api.get(STATS).bearer(&root).send().await;
        assert_eq!(all.status, StatusCode::OK, "{}", all.body);
        assert_eq!(all.body["total"], 4);
        assert_eq!(all.body["by_role"], json!({"patient": 2, "doctor": 1, "admin": 1}));
        assert_eq!(all.body["disabled"], 1);
        let months = all.body["signups_by_month"].as_array().unwrap();
        assert_eq!(months[0], json!({"month": "2025-10", "count": 1}));
        let this_month = chrono::Utc::now().format("%Y-%m").to_string();
        assert_eq!(months.last(), Some(&json!({"month": this_month, "count": 3})));
        assert!(months[1..months.len() - 1].iter().all(|m| m["count"] == 0), "the months between are zeros");

        let ranged =
            app.api.get(&format!("{STATS}?from=2025-10-01&to=2025-10-31")).bearer(&root).send().await;
        assert_eq!(ranged.body["by_role"], json!({"patient": 1, "doctor": 0, "admin": 0}), "{}", ranged.body);
        assert_eq!(ranged.body["disabled"], 0);
        let reversed =
            app.api.get(&format!("{STATS}?from=2026-02-01&to=2026-01-01")).bearer(&root).send().await;
        assert_eq!(reversed.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(app.api.get(STATS).bearer(&patient).send().await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.api.get(STATS).send().await.status, StatusCode::UNAUTHORIZED);
        app.cleanup().await;
    }
}
