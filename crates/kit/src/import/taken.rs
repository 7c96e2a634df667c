//! Legacy ids QuickCare has given to rows of its own. Between a rehearsal
//! run of the importer and the final one the platform may be in use, and
//! its new rows get ids after the imported ones: the very ids the monolith
//! gives its own new rows. Upserting a later legacy row by id would then
//! overwrite a QuickCare row (one patient's record replaced by another
//! person's). The importer always stores a legacy row's `created_at`, so a
//! stored row with the id whose `created_at` differs was made on
//! QuickCare, not by an earlier import: that legacy row is left out.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::Result;

/// Ids per `IN (...)` query: well under every backend's bound-parameter limit.
const CHUNK: usize = 500;

/// Of the `legacy` rows (`(id, created_at)`), the ids a row of `E` made on
/// QuickCare holds: stored with that id (`id`) but another `created_at`
/// (`created_at`, the entity's columns). One query per 500 ids.
pub async fn made_on_quickcare<E, C>(
    db: &C,
    id: E::Column,
    created_at: E::Column,
    legacy: &[(i64, DateTime<Utc>)],
) -> Result<BTreeSet<i64>>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let mut taken = BTreeSet::new();
    for chunk in legacy.chunks(CHUNK) {
        let stored: Vec<(i64, DateTime<Utc>)> = E::find()
            .select_only()
            .column(id)
            .column(created_at)
            .filter(id.is_in(chunk.iter().map(|(i, _)| *i)))
            .into_tuple()
            .all(db)
            .await?;
        taken.extend(made_here(chunk, &stored));
    }
    Ok(taken)
}

/// The ids of `stored` rows whose `created_at` is not their legacy row's.
fn made_here(legacy: &[(i64, DateTime<Utc>)], stored: &[(i64, DateTime<Utc>)]) -> Vec<i64> {
    let legacy: HashMap<i64, DateTime<Utc>> = legacy.iter().copied().collect();
    stored
        .iter()
        .filter(|(id, at)| legacy.get(id).is_some_and(|legacy_at| legacy_at != at))
        .map(|(id, _)| *id)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_stored_row_with_another_created_at_was_made_here() {
        let at = |s| DateTime::from_timestamp(s, 0).unwrap_or_default();
        let legacy = [(1, at(100)), (2, at(200)), (3, at(300))];
        // 1 imported before, 2 made on QuickCare, 3 not stored, 4 not legacy.
        let stored = [(1, at(100)), (2, at(250)), (4, at(400))];
        assert_eq!(made_here(&legacy, &stored), [2]);
    }

    mod row {
        use sea_orm::entity::prelude::*;

        #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
        #[sea_orm(table_name = "rows")]
        pub struct Model {
            #[sea_orm(primary_key, auto_increment = false)]
            pub id: i64,
            pub created_at: DateTimeUtc,
        }

        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}

        impl ActiveModelBehavior for ActiveModel {}
    }

    #[tokio::test]
    async fn every_chunk_of_ids_is_asked() {
        use sea_orm::{ConnectionTrait, Database, Schema};

        let db = Database::connect("sqlite::memory:").await.unwrap();
        let backend = db.get_database_backend();
        db.execute(&Schema::new(backend).create_table_from_entity(row::Entity)).await.unwrap();
        let at = |s| DateTime::from_timestamp(s, 0).unwrap_or_default();
        // Ids 1..=1200 imported (their legacy created_at), 3 of them,
        // one in each chunk, made on QuickCare.
        let legacy: Vec<(i64, DateTime<Utc>)> = (1..=1200).map(|id| (id, at(id))).collect();
        let made_here = [7, 600, 1200];
        let rows = legacy.iter().map(|&(id, created)| {
            let created_at = if made_here.contains(&id) { at(5_000) } else { created };
            sea_orm::IntoActiveModel::into_active_model(row::Model { id, created_at })
        });
        row::Entity::insert_many(rows).exec(&db).await.unwrap();
        let taken =
            made_on_quickcare::<row::Entity, _>(&db, row::Column::Id, row::Column::CreatedAt, &legacy).await;
        assert_eq!(taken.unwrap().into_iter().collect::<Vec<_>>(), made_here);
    }
}
