//! The status machine of api.md: who may move an appointment where.
//!
//! | action     | who                          | from              | to        |
//! |------------|------------------------------|-------------------|-----------|
//! | approve    | its doctor, admin            | pending           | approved  |
//! | cancel     | its patient*, its doctor, admin | pending, approved | cancelled |
//! | reschedule | its patient*, its doctor, admin | pending, approved | (same; patient's goes back to pending) |
//! | complete   | its doctor                   | approved          | completed |
//! | no-show    | its doctor                   | approved          | no_show   |
//!
//! \* patients not later than the cancellation deadline before the start.
//! Order of answers: 404 when the caller may not see it, 403 when the
//! caller's role may not take the action, 409 when the state forbids it.
//! Every move is a conditional update (`WHERE status IN …`), so of two
//! racing moves one wins and the other gets 409.

pub mod deadline;
pub mod moves;
pub mod permissions;
pub mod reschedule;
pub mod visits;
