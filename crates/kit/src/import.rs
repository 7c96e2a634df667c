//! The one write every service's legacy `import` module makes: a row keyed
//! by its legacy id is inserted, brought up to date, or left alone when
//! equal to what is stored, and counted either way — so a re-run of
//! `quickcare import-legacy` reports "unchanged" instead of rewriting.

use sea_orm::{ActiveModelBehavior, ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel};

use crate::Result;

/// What one import did to one table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub written: usize,
    pub unchanged: usize,
}

/// Inserts `wanted`, updates the stored row to it, or leaves an equal one.
/// `stored` is the row under `wanted`'s primary key, read by the caller
/// (who usually needs it to decide what of it to keep).
pub async fn upsert<C, M, A>(conn: &C, stored: Option<&M>, wanted: M, counts: &mut Counts) -> Result<()>
where
    C: ConnectionTrait,
    M: PartialEq + IntoActiveModel<A>,
    A: ActiveModelTrait + ActiveModelBehavior + Send,
    <A::Entity as EntityTrait>::Model: IntoActiveModel<A>,
{
    match stored {
        Some(s) if *s == wanted => counts.unchanged += 1,
        Some(_) => {
            wanted.into_active_model().reset_all().update(conn).await?;
            counts.written += 1;
        }
        None => {
            <A::Entity as EntityTrait>::insert(wanted.into_active_model().reset_all()).exec(conn).await?;
            counts.written += 1;
        }
    }
    Ok(())
}
