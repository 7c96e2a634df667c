//! What every service's `import` module (`quickcare import-legacy`) does
//! the same way: write a row only when it differs from what is stored, so
//! a re-run of the import reports "unchanged" and touches nothing, the
//! shape of one imported appointment every read model is built from, and
//! the watermarks that let a later run pass on only what changed since
//! ([`watermarks`]), and which legacy ids QuickCare has meanwhile given to
//! rows of its own ([`made_on_quickcare`]), so an import never writes over
//! them.

mod taken;
mod watermarks;

pub use taken::made_on_quickcare;

pub use watermarks::{Watermark, Watermarks, advance, migration, watermarks};

use sea_orm::{ActiveModelBehavior, ActiveModelTrait, DatabaseTransaction, EntityTrait, IntoActiveModel};

use crate::{Result, events::catalog};

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

/// One imported appointment as the other services' read models see it:
/// the payload its latest change would have announced, and when it was
/// booked and last changed. The importer hands these to each service's
/// `import` module instead of replaying events (which would send mail).
#[derive(Clone, Debug, PartialEq)]
pub struct AppointmentFact {
    pub appointment: catalog::AppointmentChanged,
    /// Pending or approved: it holds its slot (the appointment service's
    /// `status::ACTIVE`, decided there once).
    pub active: bool,
    pub booked_at: chrono::DateTime<chrono::Utc>,
    pub changed_at: chrono::DateTime<chrono::Utc>,
}
