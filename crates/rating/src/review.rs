//! Admins' moderation: the queue of held and reported ratings, and the
//! decisions on them (publish or reject), each announcing the doctor's
//! summary when the published set changed.

use std::collections::HashMap;

use chrono::Utc;
use kit::{
    Error, Result,
    ids::RatingId,
    pagination::{Page, Paging},
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::{
    entity::{rating, report},
    summaries,
};

/// A rating with every report on it, oldest first.
pub type Reviewed = (rating::Model, Vec<report::Model>);

/// The reports on each of `ids`, oldest first.
async fn reports_of<C: ConnectionTrait>(
    conn: &C,
    ids: &[RatingId],
) -> Result<HashMap<RatingId, Vec<report::Model>>> {
    let mut by_rating: HashMap<RatingId, Vec<report::Model>> = HashMap::new();
    if ids.is_empty() {
        return Ok(by_rating);
    }
    let rows = report::Entity::find()
        .filter(report::Column::RatingId.is_in(ids.iter().copied()))
        .order_by_asc(report::Column::CreatedAt)
        .order_by_asc(report::Column::Id)
        .all(conn)
        .await?;
    for r in rows {
        by_rating.entry(r.rating_id).or_default().push(r);
    }
    Ok(by_rating)
}

/// One page of what waits for an admin: held ratings, and published ones
/// with reports, oldest change first.
pub async fn queue(db: &DatabaseConnection, paging: Paging) -> Result<Page<Reviewed>> {
    let waiting = Condition::any().add(rating::Column::Status.eq(rating::Status::Held)).add(
        Condition::all()
            .add(rating::Column::Status.eq(rating::Status::Published))
            .add(rating::Column::ReportCount.gt(0)),
    );
    let query = rating::Entity::find().filter(waiting);
    let total = query.clone().count(db).await?;
    let rows = query
        .order_by_asc(rating::Column::UpdatedAt)
        .order_by_asc(rating::Column::Id)
        .offset(paging.offset())
        .limit(paging.per_page())
        .all(db)
        .await?;
    let ids: Vec<RatingId> = rows.iter().map(|r| r.id).collect();
    let mut reports = reports_of(db, &ids).await?;
    let data = rows
        .into_iter()
        .map(|r| {
            let of_it = reports.remove(&r.id).unwrap_or_default();
            (r, of_it)
        })
        .collect();
    Ok(Page::new(data, paging, total))
}

/// Sets a moderation decision (`status`: published or rejected) on rating
/// `id` and announces the summary when the published set changed. The
/// caller is an admin.
pub async fn decide(db: &DatabaseConnection, id: RatingId, status: rating::Status) -> Result<Reviewed> {
    let doctor_id = rating::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound)?.doctor_id;
    let txn = kit::db::begin_write(db).await?;
    summaries::lock(&txn, doctor_id).await?;
    let r = rating::Entity::find_by_id(id).one(&txn).await?.ok_or(Error::NotFound)?;
    let was_published = r.status == rating::Status::Published;
    let mut active = r.into_active_model();
    active.status = Set(status);
    active.moderated_at = Set(Some(Utc::now()));
    if status == rating::Status::Published {
        // Approved as it stands: earlier reports are answered, and only
        // new ones (from other users) count towards holding it again.
        active.hold_reason = Set(None);
        active.report_count = Set(0);
    }
    let row = active.update(&txn).await?;
    summaries::announce_if(&txn, doctor_id, was_published, status == rating::Status::Published).await?;
    let mut reports = reports_of(&txn, &[id]).await?;
    txn.commit().await?;
    Ok((row, reports.remove(&id).unwrap_or_default()))
}
