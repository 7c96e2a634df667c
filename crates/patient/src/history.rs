//! Medical history: who may write it, when an entry may be dated, and the
//! sealed storage of its description.

use chrono::{DateTime, TimeDelta, Utc};
use kit::{
    Result,
    http::ClientIp,
    identity::{AuthUser, Role},
    pagination::Paging,
    service::ServiceContext,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::{
    access::{self, Action, Resource},
    entity::{history, patient},
};

/// The kinds of entry the history holds.
pub const KINDS: &[&str] = &["condition", "allergy", "medication", "procedure", "note"];

/// How far ahead of this server's clock an entry may be dated (a client's
/// clock running a little fast is not a future entry).
const CLOCK_SKEW: TimeDelta = TimeDelta::minutes(5);

/// One entry with its description opened.
pub struct Entry {
    pub id: i64,
    pub kind: String,
    pub description: String,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: i64,
}

/// Admins can read records but do not write clinical history.
pub fn admins_do_not_write() -> kit::Error {
    kit::Error::forbidden("only the patient or their doctor records medical history")
}

/// When an entry dated `recorded_at` (now when `None`) counts as recorded.
pub fn recorded_at(requested: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
    let at = requested.unwrap_or(now);
    if at > now + CLOCK_SKEW {
        return Err(kit::Error::invalid("recorded_at", "cannot be in the future"));
    }
    Ok(at)
}

/// Adds an entry to `p`'s history by `caller` (who may read the record),
/// and logs the change with it.
pub async fn add(
    ctx: &ServiceContext,
    caller: &AuthUser,
    client: ClientIp,
    p: &patient::Model,
    kind: String,
    description: &str,
    requested_at: Option<DateTime<Utc>>,
) -> Result<history::Model> {
    if caller.is(Role::Admin) {
        return Err(admins_do_not_write());
    }
    let now = Utc::now();
    let recorded_at = recorded_at(requested_at, now)?;
    let txn = kit::db::begin_write(&ctx.db).await?;
    let row = history::ActiveModel {
        patient_id: Set(p.id),
        kind: Set(kind),
        description: Set(ctx.keyring.seal_str(description)),
        recorded_at: Set(recorded_at),
        recorded_by: Set(caller.user_id),
        recorded_by_role: Set(caller.role),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    access::record(&txn, p.id, caller, client, Action::Create, Resource::MedicalHistory).await?;
    txn.commit().await?;
    Ok(row)
}

/// One page of `p`'s history, newest first, and the total; the read is
/// logged.
pub async fn page(
    ctx: &ServiceContext,
    caller: &AuthUser,
    client: ClientIp,
    p: &patient::Model,
    page: Paging,
) -> Result<(Vec<Entry>, u64)> {
    let query = history::Entity::find().filter(history::Column::PatientId.eq(p.id));
    let total = query.clone().count(&ctx.db).await?;
    let rows = query
        .order_by_desc(history::Column::RecordedAt)
        .order_by_desc(history::Column::Id)
        .offset(page.offset())
        .limit(page.per_page())
        .all(&ctx.db)
        .await?;
    access::record(&ctx.db, p.id, caller, client, Action::Read, Resource::MedicalHistory).await?;
    let mut data = Vec::with_capacity(rows.len());
    for r in rows {
        data.push(Entry {
            id: r.id,
            kind: r.kind,
            description: ctx.keyring.open_str(&r.description).map_err(kit::Error::internal)?,
            recorded_at: r.recorded_at,
            recorded_by: r.recorded_by.0,
        });
    }
    Ok((data, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_undated_entry_is_recorded_now() {
        let now = Utc::now();
        assert_eq!(recorded_at(None, now).ok(), Some(now));
    }

    #[test]
    fn past_entries_and_a_fast_clock_are_accepted() {
        let now = Utc::now();
        let last_year = now - TimeDelta::days(365);
        assert_eq!(recorded_at(Some(last_year), now).ok(), Some(last_year));
        let skewed = now + TimeDelta::minutes(4);
        assert_eq!(recorded_at(Some(skewed), now).ok(), Some(skewed));
    }

    #[test]
    fn future_entries_are_refused() {
        let now = Utc::now();
        let refused = recorded_at(Some(now + TimeDelta::minutes(6)), now);
        assert!(matches!(refused, Err(kit::Error::Invalid { ref field, .. }) if field == "recorded_at"));
    }
}
