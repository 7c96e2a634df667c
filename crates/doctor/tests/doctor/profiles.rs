//! Profiles follow user and rating events and are announced.

use crate::support::*;

kit::per_backend! {
    async fn profiles_follow_user_events_and_are_announced(backend: Backend) {
        let s = start(backend).await;
        let app = &s.app;
        doctor::seed_demo(&s.ctx.db).await.unwrap();
        let admin = s.issuer.token(1, Role::Admin);
        let token = s.issuer.token(700, Role::Doctor);

        // Delivered twice (a redelivery, then a replay with a new id): one profile.
        let reg = doctor_registered(700, "Dr. Omar Idrissi", 2, "Casablanca");
        s.bus.publish(&reg).await.unwrap();
        s.bus.publish(&reg).await.unwrap();
        let me = wait_for(app, "/api/v1/doctors/me", Some(&token), StatusCode::OK).await;
        s.bus.publish(&doctor_registered(700, "Dr. Omar Idrissi", 2, "Casablanca")).await.unwrap();
        assert_eq!(me["name"], "Dr. Omar Idrissi");
        assert_eq!(me["specialty"], json!({"id": 2, "name": "Cardiology"}));
        assert_eq!(me["city"], "Casablanca");
        assert_eq!(me["timezone"], "Africa/Casablanca");
        assert_eq!(me["status"], "active");
        assert_eq!(me["languages"], json!([]));
        let id = me["id"].as_i64().unwrap();

        // A patient's registration makes no profile; an unknown specialty still does.
        let mut patient = doctor_registered(701, "Salma", 2, "Rabat");
        patient.data["role"] = json!("patient");
        s.bus.publish(&patient).await.unwrap();
        let odd = s.register(702, "Dr. New Field", 4242, "Fès").await;
        assert_eq!(odd["specialty"], json!({"id": 4242, "name": ""}));

        let (_, page) = call(app, "GET", "/api/v1/doctors", None, None).await;
        assert_eq!(page["total"], 2, "{backend:?}: {page}");

        // The creation is in the outbox, with the whole public picture.
        let events = outbox(&s.ctx).await;
        let changed = events
            .iter()
            .find(|(k, d)| k == catalog::DOCTOR_CHANGED && d["doctor_id"] == id)
            .expect("doctor.changed for the new profile");
        assert_eq!(changed.1["user_id"], 700);
        assert_eq!(changed.1["specialty_id"], 2);
        assert_eq!(changed.1["timezone"], "Africa/Casablanca");

        // Renamed and disabled account: name follows, profile leaves the directory.
        let upd = catalog::UserUpdated {
            user_id: 700,
            name: "Dr. Omar El Idrissi".into(),
            email: "d700@example.com".into(),
            gender: "male".into(),
            phone: "0612345678".into(),
            disabled: true,
        };
        s.bus.publish(&event(catalog::USER_UPDATED, &upd)).await.unwrap();
        let path = format!("/api/v1/doctors/{id}");
        wait_for(app, &path, None, StatusCode::NOT_FOUND).await;
        let (status, seen) = call(app, "GET", &path, Some(&admin), None).await;
        assert_eq!(status, StatusCode::OK, "admins still see inactive profiles");
        assert_eq!(seen["name"], "Dr. Omar El Idrissi");
        assert_eq!(seen["status"], "inactive");
        assert_eq!(
            call(app, "GET", &path, Some(&token), None).await.0,
            StatusCode::OK,
            "and so does its doctor"
        );
        let (_, page) = call(app, "GET", "/api/v1/doctors", None, None).await;
        assert_eq!(page["total"], 1);
        let inactive = outbox(&s.ctx)
            .await
            .into_iter()
            .any(|(k, d)| k == catalog::DOCTOR_CHANGED && d["doctor_id"] == id && d["status"] == "inactive");
        assert!(inactive, "{backend:?}: the status change was not announced");

        // Account deleted: profile gone, announced.
        let del = catalog::UserDeleted { user_id: 700, role: Role::Doctor };
        s.bus.publish(&event(catalog::USER_DELETED, &del)).await.unwrap();
        wait_for(app, "/api/v1/doctors/me", Some(&token), StatusCode::NOT_FOUND).await;
        assert_eq!(call(app, "GET", &path, Some(&admin), None).await.0, StatusCode::NOT_FOUND);
        let gone = outbox(&s.ctx)
            .await
            .into_iter()
            .any(|(k, d)| k == catalog::DOCTOR_DELETED && d["doctor_id"] == id);
        assert!(gone, "{backend:?}: doctor.deleted missing");
        s.stop().await;
    }
}

fn summary(doctor_id: i64, average: f64, count: i64, version: i64) -> Event {
    event(
        catalog::RATING_SUMMARY_CHANGED,
        catalog::RatingSummaryChanged { doctor_id, average, count, version },
    )
}

kit::per_backend! {
    async fn a_rating_summary_that_arrives_late_does_not_undo_a_newer_one(backend: Backend) {
        let s = start(backend).await;
        doctor::seed_demo(&s.ctx.db).await.unwrap();
        let a = s.register(851, "Dr. Late", 2, "Rabat").await["id"].as_i64().unwrap();
        let b = s.register(852, "Dr. Marker", 2, "Rabat").await["id"].as_i64().unwrap();
        for e in [summary(a, 4.0, 2, 2), summary(a, 5.0, 1, 1), summary(b, 3.0, 1, 1)] {
            s.bus.publish(&e).await.unwrap();
        }
        // Events are handled in order: once b's shows, a's late one was seen.
        kit::testing::eventually("the newer summary of b", || async {
            let (_, shown) = call(&s.app, "GET", &format!("/api/v1/doctors/{b}"), None, None).await;
            (shown["rating_count"] == 1).then_some(())
        })
        .await;
        let (_, shown) = call(&s.app, "GET", &format!("/api/v1/doctors/{a}"), None, None).await;
        assert_eq!(
            (shown["avg_rating"].as_f64(), shown["rating_count"].as_i64()),
            (Some(4.0), Some(2)),
            "{backend:?}"
        );
        s.stop().await;
    }
}
