//! A patient's own rating of a doctor: the first submission (or its
//! replacement), the author's edits, and deletion by the author or an
//! admin. Who may rate at all is [`crate::eligibility`]'s question; the
//! route asks it before calling [`submit`].
//!
//! Every write takes the doctor's lock first (see [`crate::summaries`]),
//! then changes the row and announces the new summary in the same
//! transaction.

use chrono::{DateTime, Utc};
use kit::{
    Error, Result,
    identity::{AuthUser, Role},
    ids::{DoctorId, PatientId, RatingId},
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    IntoActiveModel, QueryFilter, Set,
};

use crate::{
    eligibility,
    entity::{rating, report},
    moderation::BlockList,
    summaries,
};

/// A score and comment, with the moderation verdict on the comment.
#[derive(Debug, Clone, PartialEq)]
pub struct Content {
    pub rating: i32,
    pub comment: Option<String>,
    pub status: rating::Status,
    pub hold_reason: Option<String>,
}

impl Content {
    /// A blank comment is no comment; a blocked word holds the rating.
    pub fn judge(blocked: &BlockList, rating: i32, comment: Option<String>) -> Self {
        let comment = comment.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty());
        let found = comment.as_deref().and_then(|c| blocked.find(c));
        let (status, hold_reason) = match found {
            Some(word) => {
                (rating::Status::Held, Some(format!("comment contains the blocked word \"{word}\"")))
            }
            None => (rating::Status::Published, None),
        };
        Self { rating, comment, status, hold_reason }
    }
}

/// What a submission did.
#[derive(Debug)]
pub enum Submitted {
    /// The patient's first rating of this doctor.
    First(rating::Model),
    /// Their earlier rating, rewritten.
    Replaced(rating::Model),
}

/// Records `patient_id`'s rating of `doctor_id`, replacing their earlier
/// one. The caller has checked eligibility.
pub async fn submit(
    db: &DatabaseConnection,
    patient_id: PatientId,
    doctor_id: DoctorId,
    content: Content,
) -> Result<Submitted> {
    let txn = kit::db::begin_write(db).await?;
    summaries::lock(&txn, doctor_id).await?;
    let now = Utc::now();
    // Insert first; the unique index, not a prior read, decides whether
    // this is a first rating or a replacement.
    let inserted = rating::ActiveModel {
        patient_id: Set(patient_id),
        doctor_id: Set(doctor_id),
        rating: Set(content.rating),
        comment: Set(content.comment.clone()),
        created_at: Set(now),
        updated_at: Set(now),
        status: Set(content.status),
        hold_reason: Set(content.hold_reason.clone()),
        report_count: Set(0),
        moderated_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let (row, first, was_published) = match inserted {
        Ok(row) => (row, true, false),
        Err(e) if kit::db::is_unique_violation(&e) => {
            let existing = by_patient_and_doctor(&txn, patient_id, doctor_id)
                .await?
                .ok_or_else(|| anyhow::anyhow!("the unique index refused a rating that cannot be found"))?;
            let was_published = existing.status == rating::Status::Published;
            (rewrite(&txn, existing, content, now).await?, false, was_published)
        }
        Err(e) => return Err(e.into()),
    };
    summaries::announce_if(&txn, row.doctor_id, was_published, row.status == rating::Status::Published)
        .await?;
    txn.commit().await?;
    Ok(if first { Submitted::First(row) } else { Submitted::Replaced(row) })
}

/// Puts new content into an existing rating. Moderation judges the
/// comment: a new comment starts moderation over (earlier reports were
/// about the old one, so they go), while an unchanged comment keeps its
/// state, so re-sending a held or rejected comment cannot republish it.
async fn rewrite(
    txn: &DatabaseTransaction,
    existing: rating::Model,
    content: Content,
    now: DateTime<Utc>,
) -> Result<rating::Model> {
    let same_comment = existing.comment == content.comment;
    let id = existing.id;
    let mut active = existing.into_active_model();
    active.rating = Set(content.rating);
    active.updated_at = Set(now);
    if !same_comment {
        drop_reports(txn, id).await?;
        active.comment = Set(content.comment);
        active.status = Set(content.status);
        active.hold_reason = Set(content.hold_reason);
        active.report_count = Set(0);
        active.moderated_at = Set(None);
    }
    Ok(active.update(txn).await?)
}

/// Deletes the reports on rating `id`: they were about a comment it no
/// longer has, so its moderation starts over.
pub async fn drop_reports<C: ConnectionTrait>(conn: &C, id: RatingId) -> Result<()> {
    report::Entity::delete_many().filter(report::Column::RatingId.eq(id)).exec(conn).await?;
    Ok(())
}

async fn by_patient_and_doctor<C: ConnectionTrait>(
    conn: &C,
    patient_id: PatientId,
    doctor_id: DoctorId,
) -> Result<Option<rating::Model>> {
    Ok(rating::Entity::find()
        .filter(rating::Column::PatientId.eq(patient_id))
        .filter(rating::Column::DoctorId.eq(doctor_id))
        .one(conn)
        .await?)
}

/// The caller's own rating `id`, read through `conn`; 404 for anyone else.
pub async fn own<C: ConnectionTrait>(conn: &C, caller: &AuthUser, id: RatingId) -> Result<rating::Model> {
    let patient = match caller.role {
        Role::Patient => eligibility::patient_of(conn, caller).await?,
        _ => None,
    };
    let patient_id = patient.map(|p| p.patient_id).ok_or(Error::NotFound)?;
    rating::Entity::find_by_id(id)
        .one(conn)
        .await?
        .filter(|r| r.patient_id == patient_id)
        .ok_or(Error::NotFound)
}

/// Replaces the content of the caller's own rating `id`.
pub async fn edit(
    db: &DatabaseConnection,
    caller: &AuthUser,
    id: RatingId,
    content: Content,
) -> Result<rating::Model> {
    let doctor_id = own(db, caller, id).await?.doctor_id;
    let txn = kit::db::begin_write(db).await?;
    summaries::lock(&txn, doctor_id).await?;
    // Read again under the lock: it may have been deleted meanwhile.
    let existing = own(&txn, caller, id).await?;
    let was_published = existing.status == rating::Status::Published;
    let row = rewrite(&txn, existing, content, Utc::now()).await?;
    summaries::announce_if(&txn, doctor_id, was_published, row.status == rating::Status::Published).await?;
    txn.commit().await?;
    Ok(row)
}

/// The rating `id` if the caller may delete it: its author, or an admin.
async fn deletable<C: ConnectionTrait>(conn: &C, caller: &AuthUser, id: RatingId) -> Result<rating::Model> {
    if caller.is(Role::Admin) {
        return rating::Entity::find_by_id(id).one(conn).await?.ok_or(Error::NotFound);
    }
    own(conn, caller, id).await
}

/// Deletes rating `id` (with the reports on it) for its author or an admin.
pub async fn delete(db: &DatabaseConnection, caller: &AuthUser, id: RatingId) -> Result<()> {
    let doctor_id = deletable(db, caller, id).await?.doctor_id;
    let txn = kit::db::begin_write(db).await?;
    summaries::lock(&txn, doctor_id).await?;
    let existing = deletable(&txn, caller, id).await?;
    drop_reports(&txn, id).await?;
    rating::Entity::delete_by_id(id).exec(&txn).await?;
    summaries::announce_if(&txn, doctor_id, existing.status == rating::Status::Published, false).await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_comment_is_none_and_a_blocked_word_holds_the_rating() {
        let list = BlockList::new(None);
        let blank = Content::judge(&list, 4, Some("   ".into()));
        assert_eq!((blank.comment, blank.status, blank.hold_reason), (None, rating::Status::Published, None));
        let rude = Content::judge(&list, 1, Some(" What an idiot ".into()));
        assert_eq!(rude.comment.as_deref(), Some("What an idiot"));
        assert_eq!(rude.status, rating::Status::Held);
        assert_eq!(rude.hold_reason.as_deref(), Some("comment contains the blocked word \"idiot\""));
    }
}
