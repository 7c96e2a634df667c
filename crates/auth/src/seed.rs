//! Demo accounts for `quickcare up`: the admin, a few patients and twenty
//! doctors, created through the same path as a registration, so their
//! `user.registered` events give them patient and doctor profiles too.
//! Running it twice changes nothing.

use kit::{
    events::catalog::{Address, DoctorProfileSeed},
    identity::Role,
    service::ServiceContext,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::{accounts::NewUser, entity::user, state::AppState};

pub const ADMIN_EMAIL: &str = "admin@example.com";
pub const ADMIN_PASSWORD: &str = "admin2025";
pub const PATIENT_PASSWORD: &str = "password123";
pub const DOCTOR_PASSWORD: &str = "doctor2025";

const FIRST: &[&str] =
    &["Amina", "Youssef", "Fatima", "Omar", "Salma", "Karim", "Nadia", "Hamza", "Leïla", "Mehdi"];
const LAST: &[&str] = &["El Amrani", "Benali", "Chraibi", "Idrissi", "Tazi", "Alaoui", "Berrada", "Fassi"];
const CITIES: &[&str] = &["Casablanca", "Rabat", "Marrakech", "Fès", "Tanger", "Agadir", "Meknès", "Oujda"];
/// The legacy specialty list has twelve entries (ids 1..=12).
const SPECIALTIES: i64 = 12;
pub const DEMO_DOCTORS: usize = 20;

const PATIENTS: &[(&str, &str, &str, &str, &str)] = &[
    ("Amina El Amrani", "amina@example.com", "female", "Casablanca", "BE123456"),
    ("Youssef Benali", "youssef@example.com", "male", "Rabat", "AB654321"),
    ("Fatima Chraibi", "fatima@example.com", "female", "Marrakech", "EE112233"),
    ("Omar Idrissi", "omar@example.com", "male", "Fès", "C998877"),
    ("Salma Tazi", "salma@example.com", "female", "Tanger", "K445566"),
    ("Karim Alaoui", "karim@example.com", "male", "Agadir", "J778899"),
];

pub async fn demo(ctx: &ServiceContext) -> anyhow::Result<()> {
    let state = AppState::new(ctx.clone())?;
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
        crate::accounts::create_user(&state, new, Default::default())
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
        crate::accounts::create_user(
            &state,
            new,
            crate::accounts::ProfileSeed {
                cin: Some(cin),
                birth_date: birth,
                address: Some(address),
                doctor: None,
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    for i in 0..DEMO_DOCTORS {
        let (first, last) = (FIRST[i % FIRST.len()], LAST[(i * 3 + 1) % LAST.len()]);
        let email = format!("dr{}@example.com", i + 1);
        let taken = user::Entity::find().filter(user::Column::Email.eq(&email)).one(&ctx.db).await?.is_some();
        if taken {
            continue;
        }
        let name = format!("Dr {first} {last}");
        let new = NewUser {
            name: &name,
            email: &email,
            password: DOCTOR_PASSWORD,
            gender: if i % 2 == 0 { "female" } else { "male" },
            phone: &format!("05{:08}", 22_000_000 + i),
            role: Role::Doctor,
        };
        // One doctor practises from Paris, so the demo shows zone handling.
        let timezone = if i == 7 { "Europe/Paris" } else { "Africa/Casablanca" };
        let seed = crate::accounts::ProfileSeed {
            cin: None,
            birth_date: chrono::NaiveDate::from_ymd_opt(1960 + (i as i32 % 25), 1 + (i as u32 % 12), 5),
            address: Some(Address {
                street: format!("{} Avenue Mohammed V", 5 + i),
                city: CITIES[i % CITIES.len()].into(),
            }),
            doctor: Some(DoctorProfileSeed {
                degree: ["MD", "PhD", "MD, PhD"][i % 3].into(),
                specialty_id: kit::ids::SpecialtyId((i as i64 % SPECIALTIES) + 1),
                timezone: Some(timezone.into()),
            }),
        };
        crate::accounts::create_user(&state, new, seed).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    Ok(())
}
