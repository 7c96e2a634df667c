//! Specialties: listed with how many active doctors practise each;
//! created, renamed and deleted by admins. Names are unique whatever
//! their case, and a specialty a profile still points at cannot go.

use std::collections::HashMap;

use chrono::Utc;
use kit::{Error, OnConstraint, Result, ids::SpecialtyId};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::entity::{doctor, specialty};

#[derive(Debug, Serialize, ToSchema)]
pub struct Specialty {
    pub id: SpecialtyId,
    pub name: String,
    /// Active doctors practising it.
    pub doctor_count: i64,
}

/// The answer to a second specialty of the same name (any case).
pub fn name_taken() -> Error {
    Error::conflict("a specialty with this name already exists")
}

/// The answer to deleting a specialty `users` profiles still point at.
pub fn still_in_use(users: u64) -> Error {
    Error::conflict(format!(
        "{users} doctor profile(s) still use this specialty; move them to another one first"
    ))
}

/// The unique index is the judge of duplicates (no check-then-insert
/// race). Its name differs by backend's message (SQLite names
/// `specialities.name`, MySQL `uniq_specialities_name`); the table name is
/// in both, and its only other key is the generated id.
const NAME_KEY: &str = "specialities";

/// Every specialty by name, with its active doctors counted.
pub async fn list(db: &DatabaseConnection) -> Result<Vec<Specialty>> {
    let counts: HashMap<SpecialtyId, i64> = doctor::Entity::find()
        .select_only()
        .column(doctor::Column::SpecialtyId)
        .column_as(doctor::Column::Id.count(), "n")
        .filter(doctor::Column::Status.eq(doctor::Status::Active))
        .group_by(doctor::Column::SpecialtyId)
        .into_tuple::<(SpecialtyId, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let rows = specialty::Entity::find()
        .order_by_asc(specialty::Column::Name)
        .order_by_asc(specialty::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|s| Specialty { doctor_count: counts.get(&s.id).copied().unwrap_or(0), id: s.id, name: s.name })
        .collect())
}

/// A new specialty named `name` (trimmed); 409 when the name is taken.
pub async fn create(db: &DatabaseConnection, name: &str) -> Result<Specialty> {
    let now = Utc::now();
    let txn = kit::db::begin_write(db).await?;
    let row = specialty::ActiveModel {
        name: Set(name.trim().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .on_constraint(NAME_KEY, name_taken)?;
    txn.commit().await.on_constraint(NAME_KEY, name_taken)?;
    Ok(Specialty { id: row.id, name: row.name, doctor_count: 0 })
}

/// Renames specialty `id` to `name` (trimmed); 409 when the name is taken.
pub async fn rename(db: &DatabaseConnection, id: SpecialtyId, name: &str) -> Result<Specialty> {
    let txn = kit::db::begin_write(db).await?;
    let row = specialty::Entity::find_by_id(id).one(&txn).await?.ok_or(Error::NotFound)?;
    let mut active = row.into_active_model();
    active.name = Set(name.trim().to_owned());
    active.updated_at = Set(Utc::now());
    let row = active.update(&txn).await.on_constraint(NAME_KEY, name_taken)?;
    let doctor_count = doctor::Entity::find()
        .filter(doctor::Column::SpecialtyId.eq(id))
        .filter(doctor::Column::Status.eq(doctor::Status::Active))
        .count(&txn)
        .await?;
    txn.commit().await.on_constraint(NAME_KEY, name_taken)?;
    Ok(Specialty {
        id: row.id,
        name: row.name,
        doctor_count: i64::try_from(doctor_count).unwrap_or(i64::MAX),
    })
}

/// Deletes specialty `id` unless a profile (active or not) still uses it.
pub async fn delete(db: &DatabaseConnection, id: SpecialtyId) -> Result<()> {
    let txn = kit::db::begin_write(db).await?;
    // The row lock (MySQL; SQLite's write transaction already serialises)
    // makes a concurrent profile change to this specialty wait, so none can
    // slip in between the count and the delete (see `profiles::patch::apply`).
    specialty::Entity::find_by_id(id).lock_exclusive().one(&txn).await?.ok_or(Error::NotFound)?;
    // Inactive doctors count too: their profiles still point at it.
    let users = doctor::Entity::find().filter(doctor::Column::SpecialtyId.eq(id)).count(&txn).await?;
    if users > 0 {
        return Err(still_in_use(users));
    }
    specialty::Entity::delete_by_id(id).exec(&txn).await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use kit::testing::{Backend, TestEnv, TestIssuer};

    use super::*;

    async fn db() -> (TestEnv, DatabaseConnection) {
        let env = TestEnv::new(Backend::Sqlite);
        let db = env.context("doctor", &TestIssuer::new()).await.db;
        crate::migrate(&db).await.unwrap();
        (env, db)
    }

    #[tokio::test]
    async fn a_name_is_taken_whatever_its_case_and_spacing() {
        let (_env, db) = db().await;
        let first = create(&db, " Nephrology ").await.unwrap();
        assert_eq!(first.name, "Nephrology");
        for name in ["nephrology", "  NEPHROLOGY"] {
            let e = create(&db, name).await.unwrap_err();
            assert_eq!(e.to_string(), name_taken().to_string(), "{name}");
            assert!(matches!(e, Error::Conflict(_)));
        }
        let other = create(&db, "Urology").await.unwrap();
        assert!(matches!(rename(&db, other.id, "NEPHROLOGY").await, Err(Error::Conflict(_))));
    }

    #[tokio::test]
    async fn an_unknown_specialty_is_not_found() {
        let (_env, db) = db().await;
        assert!(matches!(rename(&db, SpecialtyId(404), "X").await, Err(Error::NotFound)));
        assert!(matches!(delete(&db, SpecialtyId(404)).await, Err(Error::NotFound)));
    }
}
