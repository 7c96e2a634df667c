//! Read models the doctor service keeps from others' events.

pub mod contacts;
pub mod facts;
