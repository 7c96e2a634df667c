//! Read models the doctor service keeps from others' events.

pub mod facts;
pub mod summary;
