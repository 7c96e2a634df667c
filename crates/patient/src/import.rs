//! Records brought over from the legacy monolith (`quickcare import-legacy`).
//!
//! A legacy patient keeps its id and its address keeps the address id; the
//! cin is sealed with the platform keyring like every new one. Every
//! imported account also gets its `user_directory` row (the read model
//! `user.registered` would have built), and a newly imported record
//! announces `patient.registered`, from which the appointment and rating
//! services build theirs. No `user.registered` is replayed, so history
//! sends no mail. Re-running is idempotent: rows equal to what is stored
//! are left alone (the cin compared opened, since every seal differs).

use chrono::NaiveDate;
use kit::{
    Result,
    crypto::Keyring,
    events::catalog,
    ids::{PatientId, UserId},
};
use sea_orm::{
    ActiveModelTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, IntoActiveModel,
    prelude::DateTimeUtc,
};

use crate::entity::{address, directory, patient};

/// An account as the patient service shows it beside a record.
#[derive(Clone, Debug)]
pub struct DirectoryEntry {
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    /// `admin` | `doctor` | `patient`.
    pub role: String,
    pub gender: String,
    pub phone: String,
}

/// One legacy `addresses` row, as its patient's address.
#[derive(Clone, Debug)]
pub struct LegacyAddress {
    pub id: i64,
    pub street: String,
    pub city: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// One legacy `patients` row with its user's address, validated by the
/// importer (its user imported, one record per user).
#[derive(Clone, Debug)]
pub struct LegacyPatient {
    pub id: PatientId,
    pub user_id: UserId,
    /// The user's name, for `patient.registered`.
    pub name: String,
    /// Plaintext, sealed here.
    pub cin: String,
    pub birth_date: NaiveDate,
    pub address: Option<LegacyAddress>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// What one import did to one table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub written: usize,
    pub unchanged: usize,
}

/// What one import did, per table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub directory: Counts,
    pub addresses: Counts,
    pub patients: Counts,
}

/// Writes the directory and the records in one transaction: all or none.
pub async fn import(
    db: &DatabaseConnection,
    keyring: &Keyring,
    directory: &[DirectoryEntry],
    patients: &[LegacyPatient],
) -> Result<Outcome> {
    let txn = kit::db::begin_write(db).await?;
    let mut outcome = Outcome::default();
    for entry in directory {
        let wanted = directory::Model {
            user_id: entry.user_id,
            name: entry.name.clone(),
            email: entry.email.clone(),
            role: entry.role.clone(),
            gender: entry.gender.clone(),
            phone: entry.phone.clone(),
            disabled: false,
        };
        let stored = directory::Entity::find_by_id(entry.user_id).one(&txn).await?;
        // A disabled flag set on QuickCare stays.
        let wanted = directory::Model { disabled: stored.as_ref().is_some_and(|s| s.disabled), ..wanted };
        upsert(&txn, stored.as_ref(), wanted, &mut outcome.directory).await?;
    }
    for legacy in patients {
        if let Some(a) = &legacy.address {
            let wanted = address::Model {
                id: address::AddressId(a.id),
                rue: a.street.clone(),
                ville: a.city.clone(),
                created_at: a.created_at,
                updated_at: a.updated_at,
            };
            let stored = address::Entity::find_by_id(wanted.id).one(&txn).await?;
            upsert(&txn, stored.as_ref(), wanted, &mut outcome.addresses).await?;
        }
        let stored = patient::Entity::find_by_id(legacy.id).one(&txn).await?;
        let cin = match &stored {
            Some(s) if keyring.open_str(&s.cin).is_ok_and(|c| c == legacy.cin) => s.cin.clone(),
            _ => keyring.seal_str(&legacy.cin),
        };
        let wanted = patient::Model {
            id: legacy.id,
            cin,
            birth_date: legacy.birth_date,
            user_id: legacy.user_id,
            address_id: legacy.address.as_ref().map(|a| address::AddressId(a.id)),
            created_at: legacy.created_at,
            updated_at: legacy.updated_at,
        };
        let is_new = stored.is_none();
        upsert(&txn, stored.as_ref(), wanted, &mut outcome.patients).await?;
        if is_new {
            announce(&txn, legacy).await?;
        }
    }
    txn.commit().await?;
    Ok(outcome)
}

/// Inserts `wanted`, updates the stored row to it, or leaves an equal one.
async fn upsert<M, A>(
    txn: &DatabaseTransaction,
    stored: Option<&M>,
    wanted: M,
    counts: &mut Counts,
) -> Result<()>
where
    M: PartialEq + IntoActiveModel<A>,
    A: ActiveModelTrait + sea_orm::ActiveModelBehavior + Send,
    <A::Entity as EntityTrait>::Model: IntoActiveModel<A>,
{
    match stored {
        Some(s) if *s == wanted => counts.unchanged += 1,
        Some(_) => {
            wanted.into_active_model().reset_all().update(txn).await?;
            counts.written += 1;
        }
        None => {
            <A::Entity as EntityTrait>::insert(wanted.into_active_model().reset_all()).exec(txn).await?;
            counts.written += 1;
        }
    }
    Ok(())
}

/// `patient.registered`, as a registration would have announced it.
async fn announce(txn: &DatabaseTransaction, legacy: &LegacyPatient) -> Result<()> {
    let announced = catalog::PatientRegistered {
        patient_id: legacy.id,
        user_id: legacy.user_id,
        name: legacy.name.clone(),
    };
    kit::events::publish(
        txn,
        "patient",
        catalog::EventType::PatientRegistered,
        Some(format!("patient/{}", legacy.id)),
        &announced,
    )
    .await?;
    Ok(())
}
