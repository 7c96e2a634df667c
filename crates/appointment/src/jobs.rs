//! Scheduled work kept in the appointment rows themselves, so it survives
//! restarts and runs exactly once however many replicas poll:
//!
//! - **expiry**: a pending appointment whose start has passed becomes
//!   `expired` (and frees nothing: its time is gone anyway);
//! - **reminders**: an active appointment whose `reminder_at` (its start
//!   minus the patient's lead time) has come gets `reminder_sent_at` and
//!   one `reminder_due` event.
//!
//! Each tick claims a batch in one transaction. On MySQL the batch is read
//! `FOR UPDATE SKIP LOCKED`, so replicas take disjoint rows; every row is
//! then moved by a conditional update (`… AND reminder_sent_at IS NULL`),
//! and its event is written to the outbox in the same transaction: a row
//! claimed twice cannot happen, and a crash before commit leaves it unclaimed.

use std::time::Duration;

use chrono::Utc;
use kit::{Result, events::catalog::EventType};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, LockBehavior, LockType},
};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::{
    announce::announce,
    entity::appointment,
    status::{Status, slot_hold},
};

const BATCH: u64 = 200;

pub fn spawn(
    db: DatabaseConnection,
    every: Duration,
    reminder_lead: chrono::Duration,
    shutdown: CancellationToken,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            // One tick is a unit of work: its events leave once it is done.
            kit::events::after_commit(async {
                if let Err(e) = expire_due(&db).await {
                    tracing::warn!(error = %e, "expiry job failed; retrying next tick");
                }
                if let Err(e) = remind_due(&db, reminder_lead).await {
                    tracing::warn!(error = %e, "reminder job failed; retrying next tick");
                }
            })
            .await;
            tokio::select! {
                _ = shutdown.cancelled() => return,
                _ = tokio::time::sleep(every) => {}
            }
        }
    })
}

fn claim(
    db: &DatabaseConnection,
    query: sea_orm::Select<appointment::Entity>,
) -> sea_orm::Select<appointment::Entity> {
    let query = query.order_by_asc(appointment::Column::StartAt).limit(BATCH);
    if db.get_database_backend() == DbBackend::MySql {
        query.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
    } else {
        query
    }
}

/// Expires pending appointments whose start has passed; returns how many.
pub async fn expire_due(db: &DatabaseConnection) -> Result<usize> {
    let now = Utc::now();
    let txn = kit::db::begin_write(db).await?;
    let due = claim(
        db,
        appointment::Entity::find()
            .filter(appointment::Column::Status.eq(Status::Pending))
            .filter(appointment::Column::StartAt.lte(now)),
    )
    .all(&txn)
    .await?;
    let mut moved = 0;
    for a in due {
        let done = appointment::Entity::update_many()
            .col_expr(appointment::Column::Status, Expr::value(Status::Expired))
            .col_expr(appointment::Column::ActiveSlot, Expr::value(slot_hold(Status::Expired)))
            .col_expr(appointment::Column::UpdatedAt, Expr::value(now))
            .filter(appointment::Column::Id.eq(a.id))
            .filter(appointment::Column::Status.eq(Status::Pending))
            .exec(&txn)
            .await?;
        if done.rows_affected == 1 {
            let row = appointment::Model { status: Status::Expired, active_slot: None, updated_at: now, ..a };
            announce(&txn, EventType::AppointmentExpired, &row).await?;
            moved += 1;
        }
    }
    txn.commit().await?;
    Ok(moved)
}

/// Marks and announces the reminders now due; returns how many.
pub async fn remind_due(db: &DatabaseConnection, lead: chrono::Duration) -> Result<usize> {
    let now = Utc::now();
    let txn = kit::db::begin_write(db).await?;
    let due = claim(
        db,
        appointment::Entity::find()
            .filter(appointment::Column::ActiveSlot.eq(true))
            .filter(appointment::Column::ReminderSentAt.is_null())
            .filter(appointment::Column::StartAt.gt(now))
            .filter(
                // Due by the patient's own lead time; rows from before
                // lead times existed use the platform's.
                Condition::any().add(appointment::Column::ReminderAt.lte(now)).add(
                    Condition::all()
                        .add(appointment::Column::ReminderAt.is_null())
                        .add(appointment::Column::StartAt.lte(now + lead)),
                ),
            ),
    )
    .all(&txn)
    .await?;
    let mut sent = 0;
    for a in due {
        let done = appointment::Entity::update_many()
            .col_expr(appointment::Column::ReminderSentAt, Expr::value(now))
            .filter(appointment::Column::Id.eq(a.id))
            .filter(appointment::Column::ReminderSentAt.is_null())
            .exec(&txn)
            .await?;
        if done.rows_affected == 1 {
            announce(
                &txn,
                EventType::AppointmentReminderDue,
                &appointment::Model { reminder_sent_at: Some(now), ..a },
            )
            .await?;
            sent += 1;
        }
    }
    txn.commit().await?;
    Ok(sent)
}
