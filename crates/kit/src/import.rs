//! What every service's `import` module (`quickcare import-legacy`) does
//! the same way: write a row only when it differs from what is stored, so
//! a re-run of the import reports "unchanged" and touches nothing.

use sea_orm::{ActiveModelBehavior, ActiveModelTrait, DatabaseTransaction, EntityTrait, IntoActiveModel};

use crate::Result;

/// What one import did to one table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub written: usize,
    pub unchanged: usize,
}

/// Inserts `wanted`, updates the stored row to it, or leaves an equal one.
pub async fn upsert<M, A>(
    txn: &DatabaseTransaction,
    stored: Option<&M>,
    wanted: M,
    counts: &mut Counts,
) -> Result<()>
where
    M: PartialEq + IntoActiveModel<A>,
    A: ActiveModelTrait + ActiveModelBehavior + Send,
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
