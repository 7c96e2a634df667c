//! Read your own writes inside an event handler: an appointment booked by
//! a patient whose registration has not reached this service yet still
//! becomes their messages — the contact is learned from the real auth
//! service, in the handler's transaction — and the registration that
//! arrives afterwards is a no-op (one welcome, not two).

use std::time::Duration;

use kit::ids::{AppointmentId, DoctorId, PatientId, UserId};
use kit::{
    events::{Event, InProcessBus, catalog},
    identity::Role,
    testing::{TestClient, TestEnv, TestIssuer, eventually},
};
use serde_json::json;

kit::per_backend! {
    async fn a_booking_that_overtakes_the_registration_still_reaches_the_patient(backend: Backend) {
        let env = TestEnv::new(backend);
        let issuer = TestIssuer::new();
        // Auth's events go to a bus nobody reads: here they never arrive
        // by themselves, as when they are still on their way.
        let mut auth_ctx = env.context("auth", &issuer).await;
        auth_ctx.bus = InProcessBus::new();
        let auth = auth::start(auth_ctx.clone()).await.unwrap();
        let ctx = env.context("notification", &issuer).await;
        ctx.peers.register_local("auth", auth.router.clone());
        let handle = notification::start(ctx.clone()).await.unwrap();

        let registration = json!({"name": "Salma Idrissi", "email": format!("salma-{}@example.com", env.settings.namespace),
            "password": "correct horse battery", "gender": "female", "phone": "0612345678", "cin": "BK998877",
            "birth_date": "1991-02-03", "address": {"street": "4 Rue Fes", "city": "Rabat"}});
        let res = TestClient::router(auth.router.clone()).post("/api/v1/auth/register").json(&registration).send().await;
        assert_eq!(res.status, 201, "{backend:?}");
        let user_id = res.body["user"]["id"].as_i64().unwrap();

        let booked = catalog::AppointmentChanged {
            appointment_id: AppointmentId(501),
            patient_id: PatientId(61),
            patient_user_id: UserId(user_id),
            doctor_id: DoctorId(5),
            doctor_user_id: UserId(0),
            status: catalog::AppointmentStatus::Pending,
            start_at: "2030-12-03T09:00:00Z".parse().unwrap(),
            end_at: "2030-12-03T09:30:00Z".parse().unwrap(),
            travel_time_minutes: None,
        };
        let event = Event::new(
            "appointment",
            catalog::EventType::AppointmentBooked,
            None,
            serde_json::to_value(booked).unwrap(),
        );
        ctx.bus.publish(&event).await.unwrap();
        // The welcome and the booking: both need the contact, learned from auth.
        let notification = TestClient::router(handle.router.clone());
        inbox(&notification, &issuer, user_id, 2).await;

        // The registration arrives after all: handled once already, so nothing new.
        let registered =
            kit::events::first_written(&auth_ctx.db, catalog::EventType::UserRegistered, &format!("user/{user_id}"))
                .await
                .unwrap()
                .unwrap();
        ctx.bus.publish(&registered).await.unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(
            inbox(&notification, &issuer, user_id, 2).await.len(),
            2,
            "{backend:?}: a second welcome"
        );
        ctx.shutdown.cancel();
        auth_ctx.shutdown.cancel();
        env.cleanup().await;
    }
}

/// The user's in-app notifications once there are `n` of them.
async fn inbox(notification: &TestClient, issuer: &TestIssuer, user_id: i64, n: usize) -> Vec<String> {
    eventually(&format!("{n} notifications for user {user_id}"), || async {
        let token = issuer.token(user_id, Role::Patient);
        let v = notification.get("/api/v1/notifications").bearer(&token).send().await.body;
        let titles: Vec<String> = v["data"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|n| n["title"].as_str().unwrap_or_default().to_owned())
            .collect();
        (titles.len() >= n).then_some(titles)
    })
    .await
}
