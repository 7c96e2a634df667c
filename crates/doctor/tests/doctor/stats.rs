//! `GET /api/v1/doctors/stats`: profiles per month and status, pending
//! applications; admins only, and not mistaken for `/doctors/{id}`.

use sea_orm::{ConnectionTrait, Statement};

use crate::{applications::apply, support::*};

kit::per_backend! {
    async fn stats_count_profiles_per_month_and_the_pending_applications(backend: Backend) {
        let s = start(backend).await;
        let admin = s.issuer.token(1, Role::Admin);
        let mut ids = Vec::new();
        for (user_id, name) in [(801, "Dr Nov"), (802, "Dr Jan"), (803, "Dr Jan Two")] {
            ids.push(s.register(user_id, name, 1, "Rabat").await["id"].as_i64().unwrap());
        }
        let db = &s.ctx.db;
        let backend_db = db.get_database_backend();
        for (id, created, status) in
            [(ids[0], "2025-11-05 10:00:00", "active"), (ids[1], "2026-01-02 00:00:00", "inactive"), (ids[2], "2026-01-31 23:00:00", "active")]
        {
            let at: chrono::DateTime<chrono::Utc> = format!("{}Z", created.replace(' ', "T")).parse().unwrap();
            let sql = "UPDATE doctors SET created_at = ?, status = ? WHERE id = ?";
            db.execute_raw(Statement::from_sql_and_values(backend_db, sql, [at.into(), status.into(), id.into()]))
                .await
                .unwrap();
        }
        let waiting = apply(&s, "Dr Waiting", "waiting@example.com").await;
        let refused = apply(&s, "Dr Refused", "refused@example.com").await;
        let reason = json!({"reason": "Licence number missing"});
        let path = format!("/api/v1/doctor-applications/{refused}/reject");
        assert_eq!(s.api.post(&path).bearer(&admin).json(&reason).send().await.status, StatusCode::OK);
        assert!(waiting > 0);

        let Reply { status, body: all, .. } = s.api.get("/api/v1/doctors/stats").bearer(&admin).send().await;
        assert_eq!(status, StatusCode::OK, "{all}");
        assert_eq!(
            all,
            json!({
                "total": 3,
                "by_status": {"active": 2, "inactive": 1},
                "by_month": [
                    {"month": "2025-11", "count": 1},
                    {"month": "2025-12", "count": 0},
                    {"month": "2026-01", "count": 2},
                ],
                "pending_applications": 1,
            })
        );
        let Reply { body: ranged, .. } = s.api.get("/api/v1/doctors/stats?from=2026-01-01").bearer(&admin).send().await;
        assert_eq!((ranged["total"].as_i64(), ranged["by_status"]["inactive"].as_i64()), (Some(2), Some(1)));
        let reversed = "/api/v1/doctors/stats?from=2026-02-01&to=2026-01-01";
        assert_eq!(s.api.get(reversed).bearer(&admin).send().await.status, StatusCode::UNPROCESSABLE_ENTITY);
        let doctor = s.issuer.token(801, Role::Doctor);
        let patient = s.issuer.token(900, Role::Patient);
        assert_eq!(s.api.get("/api/v1/doctors/stats").bearer(&doctor).send().await.status, StatusCode::FORBIDDEN);
        assert_eq!(s.api.get("/api/v1/doctors/stats").bearer(&patient).send().await.status, StatusCode::FORBIDDEN);
        assert_eq!(s.api.get("/api/v1/doctors/stats").send().await.status, StatusCode::UNAUTHORIZED);
        s.stop().await;
    }
}
