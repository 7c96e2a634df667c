//! The record of every mail and SMS attempt, as admins search it.

use kit::{ids::UserId, pagination::Paging};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::entity::delivery;

/// Which deliveries to list; `None` (or an empty status) means any.
#[derive(Debug, Default)]
pub struct Filter<'a> {
    /// Compared as stored: a word that is no status matches nothing.
    pub status: Option<&'a str>,
    pub user_id: Option<UserId>,
}

/// The deliveries matching `filter`, newest first, and how many match in all.
pub async fn page(
    db: &DatabaseConnection,
    filter: Filter<'_>,
    paging: Paging,
) -> kit::Result<(Vec<delivery::Model>, u64)> {
    let mut query = delivery::Entity::find();
    if let Some(s) = filter.status.filter(|s| !s.is_empty()) {
        query = query.filter(delivery::Column::Status.eq(s));
    }
    if let Some(u) = filter.user_id {
        query = query.filter(delivery::Column::UserId.eq(u));
    }
    let total = query.clone().count(db).await?;
    let rows = query
        .order_by_desc(delivery::Column::Id)
        .offset(paging.offset())
        .limit(paging.per_page())
        .all(db)
        .await?;
    Ok((rows, total))
}
