//! Specialties, doctor profiles and applications brought over from the
//! legacy monolith (`quickcare import-legacy`).
//!
//! Every row keeps its legacy id (links, bookmarks and support tickets
//! stay valid; explicit ids move both backends' autoincrement past them).
//! Nothing is announced. The profiles' `doctor.changed` would have
//! built the appointment and notification services' doctor directories
//! (its only consumers; it sends no mail), but the importer writes those
//! itself from [`Outcome::profiles`] — every imported profile as stored
//! here, in that event's shape — through each service's `import` module,
//! so they are complete when the import ends and each is built one way
//! (no event arriving later to write the same rows again). Applications'
//! events would mail applicants and admins, and history must not. An approved application's legacy token is stored as its
//! digest, like a token minted here, so it registers its doctor until its
//! legacy expiry. CVs are checked by content like an upload and stored in
//! the platform's object store under a key of their application's id.
//!
//! Re-running is idempotent: rows equal to what is stored are left alone,
//! and what only QuickCare knows (bio, languages, picture, the rating
//! summary the rating service keeps current, a redeemed token) stays as
//! stored — with its `updated_at`, when nothing legacy changed since. A profile is written with an empty rating summary: the
//! platform's averages come from the imported ratings, never from the
//! monolith's `avg_rating`. A legacy row whose id QuickCare has since
//! given a row of its own is never written over it: the importer asks
//! [`taken_specialties`], [`taken_doctors`] and [`taken_applications`]
//! first and leaves it out, with what hangs off it.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use kit::{
    Error, Result,
    crypto::secret_digest,
    events::catalog,
    ids::{ApplicationId, DoctorId, SpecialtyId, UserId},
    import::{Counts, upsert},
    objects::{Objects, ObjectsError},
};
use sea_orm::{DatabaseConnection, DatabaseTransaction, EntityTrait, prelude::DateTimeUtc};

use crate::{
    announce,
    applications::MAX_CV_BYTES,
    cv::{self, CvKind},
    entity::{
        application,
        doctor::{self, Status},
        specialty,
    },
};

pub use crate::entity::doctor::DEFAULT_TIMEZONE;

/// One legacy `specialities` row, its name trimmed and unique (any case).
#[derive(Clone, Debug)]
pub struct LegacySpecialty {
    pub id: SpecialtyId,
    pub name: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// One legacy `doctors` row, validated by the importer: its user is an
/// imported doctor account with no other profile, its specialty imported.
#[derive(Clone, Debug)]
pub struct LegacyDoctor {
    pub id: DoctorId,
    pub user_id: UserId,
    /// The account's name (auth owns it; the profile keeps a copy).
    pub name: String,
    pub birth_date: NaiveDate,
    pub degree: String,
    pub status: Status,
    pub specialty_id: SpecialtyId,
    /// The city of the account's legacy address, as a registration sets it.
    pub city: Option<String>,
    /// IANA zone of the doctor's slots: [`DEFAULT_TIMEZONE`], the monolith's.
    pub timezone: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// A CV file that passed the upload's checks (size, content, DOCX archive
/// limits). Only [`Cv::check`] makes one.
#[derive(Clone, Debug)]
pub struct Cv {
    kind: CvKind,
    bytes: Vec<u8>,
}

impl Cv {
    /// Judges a legacy file as an upload is judged; the error says why it
    /// is refused. CPU-bound: call it off the async workers.
    pub fn check(bytes: Vec<u8>) -> std::result::Result<Self, String> {
        if bytes.len() > MAX_CV_BYTES {
            return Err("larger than 2 MB".to_owned());
        }
        let kind = cv::check(&bytes).map_err(|rejected| rejected.to_string())?;
        Ok(Self { kind, bytes })
    }
}

/// One legacy `applications` row, validated by the importer (an email
/// address, a registration token no other application has).
#[derive(Clone, Debug)]
pub struct LegacyApplication {
    pub id: ApplicationId,
    pub name: String,
    pub email: String,
    pub details: String,
    pub status: application::Status,
    /// The monolith's registration token, in clear; stored as its digest.
    pub token: Option<String>,
    pub token_expiry: Option<DateTimeUtc>,
    /// The legacy file name, e.g. `CV_1714050000.pdf`.
    pub cv_name: String,
    /// The file itself, when the importer was given it and it passed.
    pub cv: Option<Cv>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// What one import did, per table, and to the CV files in the object
/// store, and every imported profile as it now stands (what the
/// platform's own changes made of it included), as `doctor.changed`
/// carries it: what the other services' doctor directories are built from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    pub specialties: Counts,
    pub doctors: Counts,
    pub applications: Counts,
    pub cv_files: Counts,
    pub profiles: Vec<catalog::DoctorChanged>,
}

/// Of the legacy `rows`, the ids QuickCare has given specialties of its own since an
/// earlier import ([`kit::import::made_on_quickcare`]): the importer
/// leaves those legacy rows out, and what hangs off them, instead of
/// writing over the platform's.
pub async fn taken_specialties(db: &DatabaseConnection, rows: &[LegacySpecialty]) -> Result<BTreeSet<i64>> {
    let legacy: Vec<_> = rows.iter().map(|s| (s.id.0, s.created_at)).collect();
    kit::import::made_on_quickcare::<specialty::Entity, _>(
        db,
        specialty::Column::Id,
        specialty::Column::CreatedAt,
        &legacy,
    )
    .await
}

/// Of the legacy `rows`, the ids QuickCare has given profiles of its own since an
/// earlier import ([`kit::import::made_on_quickcare`]): the importer
/// leaves those legacy rows out, and what hangs off them, instead of
/// writing over the platform's.
pub async fn taken_doctors(db: &DatabaseConnection, rows: &[LegacyDoctor]) -> Result<BTreeSet<i64>> {
    let legacy: Vec<_> = rows.iter().map(|d| (d.id.0, d.created_at)).collect();
    kit::import::made_on_quickcare::<doctor::Entity, _>(
        db,
        doctor::Column::Id,
        doctor::Column::CreatedAt,
        &legacy,
    )
    .await
}

/// Of the legacy `rows`, the ids QuickCare has given applications of its own since an
/// earlier import ([`kit::import::made_on_quickcare`]): the importer
/// leaves those legacy rows out, and what hangs off them, instead of
/// writing over the platform's.
pub async fn taken_applications(
    db: &DatabaseConnection,
    rows: &[LegacyApplication],
) -> Result<BTreeSet<i64>> {
    let legacy: Vec<_> = rows.iter().map(|a| (a.id.0, a.created_at)).collect();
    kit::import::made_on_quickcare::<application::Entity, _>(
        db,
        application::Column::Id,
        application::Column::CreatedAt,
        &legacy,
    )
    .await
}

/// Stores the CV files, then writes specialties, profiles and applications
/// in one transaction: all rows or none. A specialty name another
/// specialty holds on the platform answers the usual 409.
pub async fn import(
    db: &DatabaseConnection,
    objects: &Objects,
    specialties: &[LegacySpecialty],
    doctors: &[LegacyDoctor],
    applications: &[LegacyApplication],
) -> Result<Outcome> {
    let mut outcome = Outcome::default();
    for a in applications {
        if let Some(file) = &a.cv {
            store_cv(objects, a.id, file, &mut outcome.cv_files).await?;
        }
    }
    let txn = kit::db::begin_write(db).await?;
    // Names are unique whatever their case: which id holds each, as the
    // import renames them in id order.
    let mut names: HashMap<String, SpecialtyId> = specialty::Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .map(|s| (s.name.to_lowercase(), s.id))
        .collect();
    for s in specialties {
        let stored = specialty::Entity::find_by_id(s.id).one(&txn).await?;
        let name = s.name.to_lowercase();
        if names.get(&name).is_some_and(|holder| *holder != s.id) {
            return Err(Error::conflict(format!(
                "the specialty name {:?} is taken on the platform by another id",
                s.name
            )));
        }
        if let Some(old) = &stored {
            names.remove(&old.name.to_lowercase());
        }
        names.insert(name, s.id);
        let wanted = specialty::Model {
            id: s.id,
            name: s.name.clone(),
            created_at: s.created_at,
            updated_at: s.updated_at,
        };
        upsert(&txn, stored.as_ref(), wanted, &mut outcome.specialties).await?;
    }
    for d in doctors {
        let stored = profile(&txn, d, &mut outcome.doctors).await?;
        outcome.profiles.push(announce::picture(&stored));
    }
    for a in applications {
        let stored = application::Entity::find_by_id(a.id).one(&txn).await?;
        let wanted = application_row(a, stored.as_ref());
        let wanted = match &stored {
            Some(s) if application::Model { updated_at: s.updated_at, ..wanted.clone() } == *s => s.clone(),
            _ => wanted,
        };
        upsert(&txn, stored.as_ref(), wanted, &mut outcome.applications).await?;
    }
    txn.commit().await?;
    Ok(outcome)
}

/// Writes one profile unless equal to the stored one; the profile as it
/// now stands.
async fn profile(txn: &DatabaseTransaction, d: &LegacyDoctor, counts: &mut Counts) -> Result<doctor::Model> {
    let stored = doctor::Entity::find_by_id(d.id).one(txn).await?;
    let wanted = doctor::Model {
        id: d.id,
        user_id: d.user_id,
        name: d.name.clone(),
        birth_date: Some(d.birth_date),
        degree: d.degree.clone(),
        status: d.status,
        specialty_id: d.specialty_id,
        city: d.city.clone(),
        bio: stored.as_ref().and_then(|s| s.bio.clone()),
        languages: stored.as_ref().map_or_else(|| "[]".to_owned(), |s| s.languages.clone()),
        timezone: d.timezone.clone(),
        img_url: stored.as_ref().and_then(|s| s.img_url.clone()),
        avg_rating: stored.as_ref().map_or(0.0, |s| s.avg_rating),
        rating_count: stored.as_ref().map_or(0, |s| s.rating_count),
        rating_version: stored.as_ref().map_or(0, |s| s.rating_version),
        created_at: d.created_at,
        updated_at: d.updated_at,
    };
    let wanted = match &stored {
        Some(s) if doctor::Model { updated_at: s.updated_at, ..wanted.clone() } == *s => s.clone(),
        _ => wanted,
    };
    upsert(txn, stored.as_ref(), wanted.clone(), counts).await?;
    Ok(wanted)
}

/// The stored key of application `id`'s CV: its id names it, so a re-run
/// finds the file it stored before.
fn cv_key(id: ApplicationId, extension: &str) -> String {
    format!("cv/legacy-{id}.{extension}")
}

/// Puts a CV in the object store unless the same bytes are there already.
async fn store_cv(objects: &Objects, id: ApplicationId, file: &Cv, counts: &mut Counts) -> Result<()> {
    let key = cv_key(id, file.kind.extension());
    match objects.get(&key).await {
        Ok(stored) if stored.as_ref() == file.bytes.as_slice() => counts.unchanged += 1,
        Ok(_) | Err(ObjectsError::NotFound) => {
            objects.put(&key, file.bytes.clone().into()).await.map_err(anyhow::Error::from)?;
            counts.written += 1;
        }
        Err(e) => return Err(anyhow::Error::from(e).into()),
    }
    Ok(())
}

/// The row a legacy application stands for. Without its file, a CV stored
/// by an earlier run stays; a first run without it keeps a key of the
/// legacy file's type that holds nothing (downloading it answers 404).
fn application_row(a: &LegacyApplication, stored: Option<&application::Model>) -> application::Model {
    let (cv, cv_content_type) = match (&a.cv, stored) {
        (Some(file), _) => (cv_key(a.id, file.kind.extension()), file.kind.media_type().to_owned()),
        (None, Some(s)) => (s.cv.clone(), s.cv_content_type.clone()),
        (None, None) => {
            let kind = a.cv_name.rsplit_once('.').and_then(|(_, ext)| CvKind::from_extension(ext));
            let extension = kind.map_or("bin", CvKind::extension);
            let media_type = kind.map_or("application/octet-stream", CvKind::media_type);
            (cv_key(a.id, extension), media_type.to_owned())
        }
    };
    application::Model {
        id: a.id,
        name: a.name.clone(),
        email: a.email.clone(),
        details: a.details.clone(),
        cv,
        cv_content_type,
        status: a.status,
        registration_token: a.token.as_deref().map(secret_digest),
        token_expiry: a.token_expiry,
        token_used_at: stored.and_then(|s| s.token_used_at),
        claim_hash: stored.and_then(|s| s.claim_hash.clone()),
        reject_reason: stored.and_then(|s| s.reject_reason.clone()),
        created_at: a.created_at,
        updated_at: a.updated_at,
    }
}
