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
//! A legacy record or address whose id QuickCare has since given a row of
//! its own is never written over it: the importer asks
//! [`taken_patients`] and [`taken_addresses`] first and leaves it out.
//!
//! Imported appointments give the care relationships ([`care`]): which
//! doctor may open which record, as the appointment events would have.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
pub use kit::import::Counts;
use kit::{
    Result,
    crypto::Keyring,
    events::catalog,
    identity::Role,
    ids::{PatientId, UserId},
    import::{AppointmentFact, Watermarks, upsert},
};
use sea_orm::{DatabaseConnection, DatabaseTransaction, EntityTrait, prelude::DateTimeUtc};

use crate::entity::{address, care, directory, patient};

/// An account as the patient service shows it beside a record.
#[derive(Clone, Debug)]
pub struct DirectoryEntry {
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    pub role: Role,
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

/// What one import did, per table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub directory: Counts,
    pub addresses: Counts,
    pub patients: Counts,
}

/// Of the legacy `rows`, the ids QuickCare has given records of its own since an
/// earlier import ([`kit::import::made_on_quickcare`]): the importer
/// leaves those legacy rows out, and what hangs off them, instead of
/// writing over the platform's.
pub async fn taken_patients(db: &DatabaseConnection, rows: &[LegacyPatient]) -> Result<BTreeSet<i64>> {
    let legacy: Vec<_> = rows.iter().map(|p| (p.id.0, p.created_at)).collect();
    kit::import::made_on_quickcare::<patient::Entity, _>(
        db,
        patient::Column::Id,
        patient::Column::CreatedAt,
        &legacy,
    )
    .await
}

/// Of the legacy patients' addresses (`rows`), the ids QuickCare has given addresses of its own since an
/// earlier import ([`kit::import::made_on_quickcare`]): the importer
/// leaves those legacy rows out, and what hangs off them, instead of
/// writing over the platform's.
pub async fn taken_addresses(db: &DatabaseConnection, rows: &[LegacyPatient]) -> Result<BTreeSet<i64>> {
    let legacy: Vec<_> =
        rows.iter().filter_map(|p| p.address.as_ref()).map(|a| (a.id, a.created_at)).collect();
    kit::import::made_on_quickcare::<address::Entity, _>(
        db,
        address::Column::Id,
        address::Column::CreatedAt,
        &legacy,
    )
    .await
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
            role: entry.role,
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

/// The care relationships of imported appointments, one per doctor and
/// patient: open since the first booking, counting the active ones. A
/// relationship the platform has seen since (a later `last_seen_at`) is
/// left as it is. Facts naming an unknown doctor account (0) give none.
/// Each relationship is counted from the facts given, so they must hold
/// every imported appointment of each patient they name (the importer's
/// delta runs pass all of a changed patient's). The last of the patient
/// service's import writes: this run's `marks` ([`kit::import::advance`])
/// are recorded in the same transaction, so the legacy rows count as
/// absorbed here only once all of them committed.
pub async fn care(db: &DatabaseConnection, facts: &[AppointmentFact], marks: &Watermarks) -> Result<Counts> {
    let mut wanted: BTreeMap<(UserId, PatientId), care::Model> = BTreeMap::new();
    for f in facts.iter().filter(|f| f.appointment.doctor_user_id.0 > 0) {
        let key = (f.appointment.doctor_user_id, f.appointment.patient_id);
        let row = wanted.entry(key).or_insert(care::Model {
            doctor_user_id: key.0,
            patient_id: key.1,
            active_appointments: 0,
            first_seen_at: f.booked_at,
            last_seen_at: f.changed_at,
        });
        row.active_appointments += i32::from(f.active);
        row.first_seen_at = row.first_seen_at.min(f.booked_at);
        row.last_seen_at = row.last_seen_at.max(f.changed_at);
    }
    let txn = kit::db::begin_write(db).await?;
    let mut counts = Counts::default();
    for (key, row) in wanted {
        let stored = care::Entity::find_by_id(key).one(&txn).await?;
        match &stored {
            Some(s) if s.last_seen_at > row.last_seen_at => counts.unchanged += 1,
            _ => upsert(&txn, stored.as_ref(), row, &mut counts).await?,
        }
    }
    kit::import::advance(&txn, marks).await?;
    txn.commit().await?;
    Ok(counts)
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
