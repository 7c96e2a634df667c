//! Profiles follow user and rating events and are announced.

use crate::support::*;
use kit::ids::{DoctorId, UserId};

/// The service with the demo specialties.
async fn seeded(backend: Backend) -> TestApp {
    let s = start(backend).await;
    doctor::seed_demo(&s.ctx.db).await.unwrap();
    s
}

/// `user.updated`: account 700 renamed and disabled.
fn renamed_and_disabled() -> Event {
    let upd = catalog::UserUpdated {
        user_id: UserId(700),
        name: "Dr. Omar El Idrissi".into(),
        email: "d700@example.com".into(),
        gender: "male".into(),
        phone: "0612345678".into(),
        disabled: true,
    };
    event(catalog::EventType::UserUpdated, &upd)
}

kit::per_backend! {
    async fn a_registration_delivered_twice_makes_one_announced_profile(backend: Backend) {
        let s = seeded(backend).await;
        let token = s.issuer.token(700, Role::Doctor);
        // Delivered twice (a redelivery, then a replay with a new id): one profile.
        let reg = doctor_registered(700, "Dr. Omar Idrissi", 2, "Casablanca");
        s.bus.publish(&reg).await.unwrap();
        s.bus.publish(&reg).await.unwrap();
        let me = s.wait_for("/api/v1/doctors/me", Some(&token), StatusCode::OK).await;
        s.bus.publish(&doctor_registered(700, "Dr. Omar Idrissi", 2, "Casablanca")).await.unwrap();
        assert_eq!(me["name"], "Dr. Omar Idrissi");
        assert_eq!(me["specialty"], json!({"id": 2, "name": "Cardiology"}));
        assert_eq!(me["city"], "Casablanca");
        assert_eq!(me["timezone"], "Africa/Casablanca");
        assert_eq!(me["status"], "active");
        assert_eq!(me["languages"], json!([]));
        let id = me["id"].as_i64().unwrap();
        // One profile for the three deliveries: once a later registration is
        // handled (so the replay was too), the directory holds two.
        s.register(702, "Dr. New Field", 4242, "Fès").await;
        let Reply { body: page, .. } = s.api.get("/api/v1/doctors").send().await;
        assert_eq!(page["total"], 2, "{backend:?}: {page}");

        // The creation is in the outbox, with the whole public picture.
        let events = outbox(&s.ctx).await;
        let changed = events
            .iter()
            .find(|(k, d)| k == catalog::EventType::DoctorChanged.as_str() && d["doctor_id"] == id)
            .expect("doctor.changed for the new profile");
        assert_eq!(changed.1["user_id"], 700);
        assert_eq!(changed.1["specialty_id"], 2);
        assert_eq!(changed.1["timezone"], "Africa/Casablanca");
        s.stop().await;
    }

    async fn a_patient_registration_makes_no_profile_and_an_unknown_specialty_still_does(backend: Backend) {
        let s = seeded(backend).await;
        s.register(700, "Dr. Omar Idrissi", 2, "Casablanca").await;
        let mut patient = doctor_registered(701, "Salma", 2, "Rabat");
        patient.data["role"] = json!("patient");
        s.bus.publish(&patient).await.unwrap();
        let odd = s.register(702, "Dr. New Field", 4242, "Fès").await;
        assert_eq!(odd["specialty"], json!({"id": 4242, "name": ""}));
        let Reply { body: page, .. } = s.api.get("/api/v1/doctors").send().await;
        assert_eq!(page["total"], 2, "{backend:?}: {page}");
        s.stop().await;
    }

    async fn a_renamed_and_disabled_account_leaves_the_directory(backend: Backend) {
        let s = seeded(backend).await;
        let api = &s.api;
        let admin = s.issuer.token(1, Role::Admin);
        let token = s.issuer.token(700, Role::Doctor);
        let id = s.register(700, "Dr. Omar Idrissi", 2, "Casablanca").await["id"].as_i64().unwrap();
        s.register(702, "Dr. New Field", 4242, "Fès").await;

        // Name follows, profile leaves the directory.
        s.bus.publish(&renamed_and_disabled()).await.unwrap();
        let path = format!("/api/v1/doctors/{id}");
        s.wait_for(&path, None, StatusCode::NOT_FOUND).await;
        let Reply { status, body: seen, .. } = api.get(&path).bearer(&admin).send().await;
        assert_eq!(status, StatusCode::OK, "admins still see inactive profiles");
        assert_eq!(seen["name"], "Dr. Omar El Idrissi");
        assert_eq!(seen["status"], "inactive");
        assert_eq!(
            api.get(&path).bearer(&token).send().await.status,
            StatusCode::OK,
            "and so does its doctor"
        );
        let Reply { body: page, .. } = api.get("/api/v1/doctors").send().await;
        assert_eq!(page["total"], 1);
        let inactive = outbox(&s.ctx)
            .await
            .into_iter()
            .any(|(k, d)| k == catalog::EventType::DoctorChanged.as_str() && d["doctor_id"] == id && d["status"] == "inactive");
        assert!(inactive, "{backend:?}: the status change was not announced");
        s.stop().await;
    }

    async fn a_deleted_account_takes_its_profile_along_announced(backend: Backend) {
        let s = seeded(backend).await;
        let api = &s.api;
        let admin = s.issuer.token(1, Role::Admin);
        let token = s.issuer.token(700, Role::Doctor);
        let id = s.register(700, "Dr. Omar Idrissi", 2, "Casablanca").await["id"].as_i64().unwrap();
        s.bus.publish(&renamed_and_disabled()).await.unwrap();
        let path = format!("/api/v1/doctors/{id}");
        s.wait_for(&path, None, StatusCode::NOT_FOUND).await;

        // Deleted (here while disabled): the profile goes, announced.
        let del = catalog::UserDeleted { user_id: UserId(700), role: Role::Doctor };
        s.bus.publish(&event(catalog::EventType::UserDeleted, &del)).await.unwrap();
        s.wait_for("/api/v1/doctors/me", Some(&token), StatusCode::NOT_FOUND).await;
        assert_eq!(api.get(&path).bearer(&admin).send().await.status, StatusCode::NOT_FOUND);
        let gone = outbox(&s.ctx)
            .await
            .into_iter()
            .any(|(k, d)| k == catalog::EventType::DoctorDeleted.as_str() && d["doctor_id"] == id);
        assert!(gone, "{backend:?}: doctor.deleted missing");
        s.stop().await;
    }
}

fn summary(doctor_id: i64, average: f64, count: i64, version: i64) -> Event {
    event(
        catalog::EventType::RatingSummaryChanged,
        catalog::RatingSummaryChanged { doctor_id: DoctorId(doctor_id), average, count, version },
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
            let Reply { body: shown, .. } = s.api.get(&format!("/api/v1/doctors/{b}")).send().await;
            (shown["rating_count"] == 1).then_some(())
        })
        .await;
        let Reply { body: shown, .. } = s.api.get(&format!("/api/v1/doctors/{a}")).send().await;
        assert_eq!(
            (shown["avg_rating"].as_f64(), shown["rating_count"].as_i64()),
            (Some(4.0), Some(2)),
            "{backend:?}"
        );
        s.stop().await;
    }
}
