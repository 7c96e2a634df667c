//! Demo data: the monolith's specialties, with their legacy ids, so
//! doctors seeded or imported with those `specialty_id`s find them.

use chrono::Utc;
use kit::ids::SpecialtyId;
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait, Set};

use crate::entity::specialty;

/// `legacy/make_sample.py`'s list, in id order (1-based). "Genaraliste" is
/// the monolith's spelling, kept so imported and seeded data agree; an
/// admin can rename it.
pub const LEGACY_SPECIALTIES: &[&str] = &[
    "Genaraliste",
    "Cardiology",
    "Dermatology",
    "Pediatrics",
    "Neurology",
    "Ophthalmology",
    "Orthopedics",
    "Psychiatry",
    "Gynecology",
    "Radiology",
    "Oncology",
    "Urology",
];

/// Inserts the legacy specialties when there are none yet (an admin's own
/// list is never touched). Expects a migrated database.
pub async fn seed_demo(db: &DatabaseConnection) -> anyhow::Result<()> {
    let txn = kit::db::begin_write(db).await?;
    if specialty::Entity::find().count(&txn).await? > 0 {
        return Ok(());
    }
    let now = Utc::now();
    let rows = LEGACY_SPECIALTIES.iter().zip(1i64..).map(|(name, id)| specialty::ActiveModel {
        id: Set(SpecialtyId(id)),
        name: Set((*name).to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
    });
    specialty::Entity::insert_many(rows).exec(&txn).await?;
    txn.commit().await?;
    Ok(())
}
