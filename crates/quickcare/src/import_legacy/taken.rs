//! Legacy rows whose id QuickCare has given a row of its own since an
//! earlier run (the monolith, still open, numbered on): each service's
//! `taken_*` names them (`kit::import::made_on_quickcare`), and they are
//! left out and reported before anything that hangs off them is checked,
//! so those rows are left out too ("its schedule … was skipped").

use std::collections::BTreeSet;

use sea_orm::DatabaseConnection;

use super::report::Report;

/// Why such a row is left out.
pub const REASON: &str = "id taken on QuickCare (a row made there since)";

/// `rows` without those whose id (`id`) a row made on QuickCare holds
/// (`taken` asks the service, when its database exists: `db`), each
/// reported under `table`.
pub async fn without<T>(
    db: Option<&DatabaseConnection>,
    rows: Vec<T>,
    table: &'static str,
    id: impl Fn(&T) -> i64,
    taken: impl AsyncFnOnce(&DatabaseConnection, &[T]) -> kit::Result<BTreeSet<i64>>,
    report: &mut Report,
) -> anyhow::Result<Vec<T>> {
    let Some(db) = db else { return Ok(rows) };
    let taken = taken(db, &rows).await?;
    Ok(rows
        .into_iter()
        .filter(|r| {
            let free = !taken.contains(&id(r));
            if !free {
                report.skip(table, id(r), REASON);
            }
            free
        })
        .collect())
}
