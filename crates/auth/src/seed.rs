//! Demo accounts for `quickcare up`: the admin and a few patients, created
//! through the same path as a registration, so their `user.registered`
//! events give them patient profiles too. Running it twice changes nothing.

use kit::{events::catalog::Address, identity::Role, service::ServiceContext};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::{entity::user, routes::session::NewUser, state::AppState};

pub const ADMIN_EMAIL: &str = "admin@example.com";
pub const ADMIN_PASSWORD: &str = "admin2025";
pub const PATIENT_PASSWORD: &str = "password123";

const PATIENTS: &[(&str, &str, &str, &str, &str)] = &[
    ("Amina El Amrani", "amina@example.com", "female", "Casablanca", "BE123456"),
    ("Youssef Benali", "youssef@example.com", "male", "Rabat", "AB654321"),
    ("Fatima Chraibi", "fatima@example.com", "female", "Marrakech", "EE112233"),
    ("Omar Idrissi", "omar@example.com", "male", "Fès", "C998877"),
    ("Salma Tazi", "salma@example.com", "female", "Tanger", "K445566"),
    ("Karim Alaoui", "karim@example.com", "male", "Agadir", "J778899"),
];

pub async fn demo(ctx: &ServiceContext) -> anyhow::Result<()> {
    let state = AppState::new(ctx.clone());
    let exists = |email: &'static str| {
        let db = ctx.db.clone();
        async move {
            user::Entity::find().filter(user::Column::Email.eq(email)).one(&db).await.map(|u| u.is_some())
        }
    };
    if !exists(ADMIN_EMAIL).await? {
        let new = NewUser {
            name: "Admin",
            email: ADMIN_EMAIL,
            password: ADMIN_PASSWORD,
            gender: "female",
            phone: "0600000000",
            role: Role::Admin,
        };
        crate::routes::session::create_user(&state, new, Default::default())
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    for (i, (name, email, gender, city, cin)) in PATIENTS.iter().enumerate() {
        if exists(email).await? {
            continue;
        }
        let new = NewUser {
            name,
            email,
            password: PATIENT_PASSWORD,
            gender,
            phone: &format!("06{:08}", 12_345_678 + i),
            role: Role::Patient,
        };
        let address = Address { street: format!("{} Rue Tazi", 10 + i), city: (*city).to_owned() };
        let birth = chrono::NaiveDate::from_ymd_opt(1970 + i as i32 * 5, 1 + i as u32, 10);
        crate::routes::session::create_user(
            &state,
            new,
            crate::routes::session::ProfileSeed {
                cin: Some(cin),
                birth_date: birth,
                address: Some(address),
                doctor: None,
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    Ok(())
}
