//! Moving an appointment from one status to another: a conditional update,
//! announced in the same transaction.

use chrono::Utc;
use kit::{Error, Result, ids::AppointmentId};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    sea_query::{Expr, SimpleExpr},
};

use crate::{
    announce::announce,
    booking::double_booking,
    entity::appointment,
    status::{Status, slot_hold},
};

/// Column assignments of one move.
pub type Sets = Vec<(appointment::Column, SimpleExpr)>;

/// 409: the appointment's status does not allow the move.
pub fn wrong_status(from: &[Status]) -> Error {
    let names: Vec<String> = from.iter().map(Status::to_string).collect();
    Error::conflict(format!("only a {} appointment can do that", names.join(" or ")))
}

/// The assignments that put an appointment in status `s`, holding or
/// releasing its slot accordingly.
pub fn to_status(s: Status) -> Sets {
    vec![
        (appointment::Column::Status, Expr::value(s)),
        (appointment::Column::ActiveSlot, Expr::value(slot_hold(s))),
    ]
}

/// Applies `sets` to appointment `id` if its status is one of `from`;
/// 409 otherwise. Returns the row as it is now.
pub async fn advance<C: ConnectionTrait>(
    conn: &C,
    id: AppointmentId,
    from: &[Status],
    sets: Sets,
) -> Result<appointment::Model> {
    let mut update = appointment::Entity::update_many()
        .col_expr(appointment::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(appointment::Column::Id.eq(id))
        .filter(appointment::Column::Status.is_in(from.iter().copied()));
    for (col, value) in sets {
        update = update.col_expr(col, value);
    }
    // Only a move onto another slot can trip the no-double-booking index.
    if double_booking::or_slot_taken(update.exec(conn).await)?.rows_affected == 0 {
        return Err(wrong_status(from));
    }
    appointment::Entity::find_by_id(id).one(conn).await?.ok_or(Error::NotFound)
}

/// [`advance`] in its own write transaction with the event `kind`, run
/// again on a deadlock or lock timeout.
pub async fn advance_and_announce(
    db: &DatabaseConnection,
    id: AppointmentId,
    from: &[Status],
    sets: Sets,
    kind: kit::events::catalog::EventType,
) -> Result<appointment::Model> {
    let mut retry = kit::db::Retry::default();
    loop {
        let attempt = async {
            let txn = kit::db::begin_write(db).await?;
            let row = advance(&txn, id, from, sets.clone()).await?;
            announce(&txn, kind, &row).await?;
            txn.commit().await?;
            Ok::<_, Error>(row)
        };
        match attempt.await {
            Err(e) if retry.again(&e).await => continue,
            done => return done,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_refusal_names_the_statuses_that_allow_the_move() {
        let e = wrong_status(&crate::status::ACTIVE);
        assert_eq!(e.to_string(), "only a pending or approved appointment can do that");
    }
}
