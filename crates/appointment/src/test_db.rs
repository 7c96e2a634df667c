//! A migrated SQLite database of the service, for the unit tests of rules
//! that need one, with the directory rows and slots they start from.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{NaiveTime, Utc};
use kit::{
    ids::{DoctorId, PatientId, ScheduleId, SpecialtyId, UserId},
    testing::{Backend, TestEnv},
};
use sea_orm::{ActiveModelTrait, DatabaseConnection, IntoActiveModel, Set};

use crate::entity::{doctor, patient, schedule};

/// A fresh database; keep the [`TestEnv`] alive while using it.
pub async fn sqlite() -> (TestEnv, DatabaseConnection) {
    let env = TestEnv::new(Backend::Sqlite);
    let db = kit::db::connect(&env.settings, "appointment").await.unwrap();
    crate::migrate(&db).await.unwrap();
    (env, db)
}

/// Doctor `id` (user `100 + id`) in UTC.
pub async fn doctor(db: &DatabaseConnection, id: i64) -> doctor::Model {
    doctor::Model {
        doctor_id: DoctorId(id),
        user_id: UserId(100 + id),
        name: format!("Dr {id}"),
        specialty_id: SpecialtyId(1),
        city: None,
        timezone: "UTC".into(),
        status: doctor::Status::Active,
    }
    .into_active_model()
    .insert(db)
    .await
    .unwrap()
}

/// Patient `id` (user `200 + id`).
pub async fn patient(db: &DatabaseConnection, id: i64) -> PatientId {
    patient::Model {
        patient_id: PatientId(id),
        user_id: UserId(200 + id),
        name: format!("P {id}"),
        reminder_minutes: None,
    }
    .into_active_model()
    .insert(db)
    .await
    .unwrap()
    .patient_id
}

/// A weekly slot of `doctor` on `day` from `start` (`HH:MM`), 30 minutes.
pub async fn weekly_slot(db: &DatabaseConnection, doctor: DoctorId, day: &str, start: &str) -> ScheduleId {
    let start = NaiveTime::parse_from_str(start, "%H:%M").unwrap();
    let now = Utc::now();
    schedule::ActiveModel {
        doctor_id: Set(doctor),
        day: Set(Some(day.into())),
        specific_date: Set(None),
        start: Set(start),
        end: Set(crate::slots::default_end(start)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap()
    .id
}
