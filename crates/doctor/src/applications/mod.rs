//! Doctor applications: a public form with a CV ([`intake`]), reviewed by
//! admins ([`review`]). Approval mints a registration token valid 24
//! hours; auth redeems it (once) when the doctor account is created.
//!
//! Every step (submitted, approved, rejected) is an event written in the
//! transaction of the row change; the notification service turns them into
//! the mails (to the applicant, and to admins for a new application), with
//! templates, delivery tracking and retries. The registration token travels
//! sealed with the platform keyring; the link is built by the notification
//! service. It is stored as a SHA-256.

pub mod intake;
pub mod review;

use sea_orm::{ConnectionTrait, DbErr};

use crate::entity::application;

/// The largest CV accepted.
pub const MAX_CV_BYTES: usize = 2 * 1024 * 1024;
/// How long a registration link works.
pub const TOKEN_TTL_HOURS: i64 = 24;

/// Writes an application event to the outbox of `txn`, the transaction of
/// the change it reports.
async fn announce<C: ConnectionTrait>(
    txn: &C,
    kind: kit::events::catalog::EventType,
    a: &application::Model,
    data: &impl kit::events::catalog::Payload,
) -> Result<(), DbErr> {
    kit::events::publish(txn, "doctor", kind, Some(format!("application/{}", a.id)), data).await?;
    Ok(())
}
